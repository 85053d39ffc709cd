/**
 * What a rule says about the minute rows of its series, without I/O: a threshold's aggregate over
 * its window, or an anomaly's verdict on each minute completed since it last looked, against a mean
 * and variance learned by exponentially weighted moving averages (EWMA).
 *
 * A minute's value is the sum over the rows that match the rule's labels: for a gauge each row's
 * average in that minute, for a counter what it grew by. A minute the series was sampled in without
 * a matching row counts as 0 (no failed run is a row of other outcomes); a minute it was not sampled
 * in (the server was down) is no minute at all, so a restart is not a drop to zero.
 */
import type { RollupPoint } from '../adapters/storage/AnalyticsStore';
import { labelsMatch, type Operator, type RuleInput } from './rules';

const MINUTE_MS = 60_000;

type Row = Pick<RollupPoint, 'bucket' | 'labels' | 'count' | 'sum'>;
type ThresholdRule = Extract<RuleInput, { kind: 'threshold' }>;
type AnomalyRule = Extract<RuleInput, { kind: 'anomaly' }>;

/** A rule's verdict: breached or not, with the value it judged; null: nothing new to judge. */
export type Verdict = { breached: boolean; value: number | null } | null;

/** Per-minute values, in time order, of the rows matching `labels` among those from `from` on. */
export function minuteValues(rows: readonly Row[], labels: Readonly<Record<string, string>>, gauge: boolean, from = -Infinity): Array<[bucket: number, value: number]> {
  const minutes = new Map<number, number>();
  for (const r of rows) {
    if (r.bucket < from) continue;
    const before = minutes.get(r.bucket) ?? 0;
    const value = labelsMatch(r.labels, labels) ? (gauge ? (r.count ? r.sum / r.count : 0) : r.sum) : 0;
    minutes.set(r.bucket, before + value);
  }
  return [...minutes].sort((a, b) => a[0] - b[0]);
}

export function compare(value: number, op: Operator, to: number): boolean {
  switch (op) {
    case '>':
      return value > to;
    case '>=':
      return value >= to;
    case '<':
      return value < to;
    case '<=':
      return value <= to;
  }
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

/**
 * A threshold rule over the window ending with the minute of `now` (the current minute so far
 * included, so a burst is seen as it happens). No rows, or a total below `minTotal`, is "not
 * breached": too little to judge is no alarm, and lets a firing alert resolve when traffic stops.
 */
export function evaluateThreshold(rule: ThresholdRule, rows: readonly Row[], gauge: boolean, now: number): NonNullable<Verdict> {
  const from = Math.floor(now / MINUTE_MS) * MINUTE_MS - (rule.windowMinutes - 1) * MINUTE_MS;
  const values = minuteValues(rows, rule.labels, gauge, from).map(([, v]) => v);
  if (!values.length) return { breached: false, value: null };
  let value: number;
  if (rule.aggregate === 'share') {
    const total = sum(minuteValues(rows, {}, gauge, from).map(([, v]) => v));
    if (total <= 0 || total < rule.minTotal) return { breached: false, value: null };
    value = sum(values) / total;
  } else {
    if (sum(values) < rule.minTotal) return { breached: false, value: null };
    value = aggregate(rule.aggregate, values);
  }
  return { breached: compare(value, rule.op, rule.value), value };
}

function aggregate(how: Exclude<ThresholdRule['aggregate'], 'share'>, values: readonly number[]): number {
  switch (how) {
    case 'avg':
      return sum(values) / values.length;
    case 'sum':
      return sum(values);
    case 'min':
      return Math.min(...values);
    case 'max':
      return Math.max(...values);
  }
}

/** What an anomaly rule has learned of its series. */
export interface Baseline {
  mean: number;
  variance: number;
  /** Minutes learned. */
  n: number;
  /** The last minute learned (its bucket start, ms). */
  lastBucket: number;
}

/** The variance learns this many times more slowly than the mean: a steadier σ fires less on noise. */
const VARIANCE_SLOWER = 4;

/**
 * The baseline with one more minute learned. Each minute weighs `alpha` in the mean and
 * `alpha / VARIANCE_SLOWER` in the variance (of the deviations from the mean before it), but never
 * less than 1/n: the first minutes make a plain average rather than one pulled towards zero.
 */
export function learn(b: Baseline | null, x: number, bucket: number, alpha: number): Baseline {
  if (!b || b.n === 0) return { mean: x, variance: 0, n: 1, lastBucket: bucket };
  const n = b.n + 1;
  const diff = x - b.mean;
  const a = Math.max(alpha, 1 / n);
  const av = Math.max(alpha / VARIANCE_SLOWER, 1 / (n - 1));
  return { mean: b.mean + a * diff, variance: b.variance + av * (diff * diff - b.variance), n, lastBucket: bucket };
}

/** Whether `x` is an anomaly against `b`: past warm-up, more than k·σ and more than `minDeviation` from the mean. */
export function isAnomaly(rule: Pick<AnomalyRule, 'k' | 'warmup' | 'minDeviation'>, b: Baseline | null, x: number): boolean {
  if (!b || b.n < rule.warmup) return false;
  const deviation = Math.abs(x - b.mean);
  return deviation > rule.k * Math.sqrt(b.variance) && deviation >= rule.minDeviation;
}

/**
 * Judges each minute completed (before the minute of `now`) since the baseline's last one, then
 * learns it: a lasting change becomes the new normal, so its alert resolves in time. The verdict is
 * the newest minute's; null when no minute completed since the last look.
 */
export function evaluateAnomaly(rule: AnomalyRule, baseline: Baseline | null, rows: readonly Row[], gauge: boolean, now: number): { verdict: Verdict; baseline: Baseline | null } {
  const current = Math.floor(now / MINUTE_MS) * MINUTE_MS;
  let b = baseline;
  let verdict: Verdict = null;
  for (const [bucket, x] of minuteValues(rows, rule.labels, gauge, (b?.lastBucket ?? -Infinity) + 1)) {
    if (bucket >= current) break;
    verdict = { breached: isAnomaly(rule, b, x), value: x };
    b = learn(b, x, bucket, rule.alpha);
  }
  return { verdict, baseline: b };
}
