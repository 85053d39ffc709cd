/**
 * Rule evaluation on minute rows made here: thresholds over their window, and the anomaly detector
 * on seeded noisy series (half of them seasonal, a third of them whole counts), with and without a
 * spike, to measure how often it cries wolf.
 */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../shared/random';
import { evaluateAnomaly, evaluateThreshold, isAnomaly, learn, minuteValues, type Baseline } from './evaluate';
import { RuleInput } from './rules';

const M = 60_000;
const T0 = Date.UTC(2026, 5, 1, 12, 0, 0);
const row = (minute: number, labels: string, sum: number, count = 1) => ({ bucket: T0 + minute * M, labels, count, sum });

const threshold = (over: Record<string, unknown>) => {
  const r = RuleInput.parse({ kind: 'threshold', name: 't', series: 'http_requests', aggregate: 'sum', windowMinutes: 5, op: '>', value: 10, ...over });
  if (r.kind !== 'threshold') throw new Error('not a threshold');
  return r;
};
const anomaly = (over: Record<string, unknown> = {}) => {
  const r = RuleInput.parse({ kind: 'anomaly', name: 'a', series: 'intents', k: 5, warmup: 30, alpha: 0.1, minDeviation: 1, ...over });
  if (r.kind !== 'anomaly') throw new Error('not an anomaly');
  return r;
};

describe('threshold rules', () => {
  const rows = [
    row(-10, 'status=5xx', 100), // outside a 5-minute window
    row(-4, 'status=2xx', 40),
    row(-4, 'status=5xx', 6),
    row(-1, 'status=2xx', 50),
    row(0, 'status=2xx', 10),
    row(0, 'status=5xx', 4),
  ];
  const now = T0 + 30_000;

  it('ALERTS-2: aggregate the per-minute values of the matching rows over the window, the current minute included', () => {
    expect(evaluateThreshold(threshold({ labels: { status: '5xx' } }), rows, false, now)).toEqual({ breached: false, value: 10 });
    expect(evaluateThreshold(threshold({ labels: { status: '5xx' }, op: '>=' }), rows, false, now)).toEqual({ breached: true, value: 10 });
    // minutes sampled without a 5xx row count as 0: -4 (6), -1 (0), 0 (4)
    expect(evaluateThreshold(threshold({ labels: { status: '5xx' }, aggregate: 'avg', op: '<', value: 4 }), rows, false, now)).toEqual({ breached: true, value: 10 / 3 });
    expect(evaluateThreshold(threshold({ labels: { status: '5xx' }, aggregate: 'min', op: '<=', value: 0 }), rows, false, now).breached).toBe(true);
    expect(evaluateThreshold(threshold({ aggregate: 'max', value: 49 }), rows, false, now)).toEqual({ breached: true, value: 50 });
    // a window of one minute is the current minute alone
    expect(evaluateThreshold(threshold({ windowMinutes: 1 }), rows, false, now).value).toBe(14);
  });

  it('ALERTS-2: a share is the matching rows over all rows, judged only past the minimum total', () => {
    const share = threshold({ labels: { status: '5xx' }, aggregate: 'share', value: 0.05, minTotal: 100 });
    expect(evaluateThreshold(share, rows, false, now)).toEqual({ breached: true, value: 10 / 110 });
    expect(evaluateThreshold({ ...share, minTotal: 111 }, rows, false, now)).toEqual({ breached: false, value: null });
    expect(evaluateThreshold({ ...share, value: 0.1 }, rows, false, now).breached).toBe(false);
    // no rows at all is nothing to judge, and no alarm
    expect(evaluateThreshold(share, [], false, now)).toEqual({ breached: false, value: null });
  });

  it("ALERTS-2: a gauge's minute is its average, summed over the matching labels", () => {
    const gauge = [row(0, 'device=vr', 6, 3), row(0, 'device=desktop', 10, 2), row(-1, 'device=vr', 4, 2)];
    expect(minuteValues(gauge, {}, true)).toEqual([[T0 - M, 2], [T0, 7]]);
    expect(minuteValues(gauge, { device: 'vr' }, true)).toEqual([[T0 - M, 2], [T0, 2]]);
    expect(evaluateThreshold(threshold({ series: 'people', aggregate: 'avg', value: 4 }), gauge, true, now)).toEqual({ breached: true, value: 4.5 });
  });
});

/** A seeded minute series: a level, noise, maybe a daily-ish wave, maybe whole counts, maybe a spike. */
function seededSeries(seed: number, minutes: number, spikeAt: number | null): number[] {
  const r = seededRandom(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  const level = 20 + r() * 1000;
  const sd = level * (0.02 + r() * 0.15);
  const wave = seed % 2 === 0 ? sd * (1 + r() * 3) : 0;
  const period = 120 + r() * 1320;
  const phase = r() * 2 * Math.PI;
  return Array.from({ length: minutes }, (_, i) => {
    const x = level + wave * Math.sin(phase + (2 * Math.PI * i) / period) + sd * gauss() + (i === spikeAt ? 10 * sd : 0);
    return seed % 3 === 0 ? Math.max(0, Math.round(x)) : x;
  });
}

/** The minutes an anomaly rule fires at, fed one completed minute per round as the server does. */
function firedAt(values: readonly number[], rule = anomaly()): number[] {
  let baseline: Baseline | null = null;
  const fired: number[] = [];
  values.forEach((x, i) => {
    const { verdict, baseline: next } = evaluateAnomaly(rule, baseline, [row(i, '', x), row(i + 1, '', 0)], false, T0 + (i + 1) * M + 1000);
    baseline = next;
    if (verdict?.breached) fired.push(i);
  });
  return fired;
}

describe('anomaly rules', () => {
  it('ALERTS-2: learn an EWMA mean and variance, starting as a plain average', () => {
    let b: Baseline | null = null;
    for (const [i, x] of [10, 12, 8, 10].entries()) b = learn(b, x, i, 0.1);
    // the first minutes weigh 1/n: the mean of the four, the mean square deviation from the mean before each
    expect(b!.mean).toBeCloseTo(10);
    expect(b!.variance).toBeCloseTo((4 + 9 + 0) / 3, 5);
    expect(b).toMatchObject({ n: 4, lastBucket: 3 });
    // past 1/alpha minutes each new one weighs alpha in the mean
    let long: Baseline | null = null;
    for (let i = 0; i < 100; i++) long = learn(long, 10, i, 0.1);
    expect(learn(long, 20, 100, 0.1).mean).toBeCloseTo(11);
  });

  it('ALERTS-2: judge nothing during the warm-up, and nothing closer than the minimum deviation on a flat series', () => {
    const flat: Baseline = { mean: 5, variance: 0, n: 100, lastBucket: 0 };
    expect(isAnomaly(anomaly({ minDeviation: 1 }), flat, 5.5)).toBe(false);
    expect(isAnomaly(anomaly({ minDeviation: 1 }), flat, 6)).toBe(true);
    expect(isAnomaly(anomaly({ minDeviation: 1 }), { ...flat, n: 29 }, 60)).toBe(false);
    expect(isAnomaly(anomaly({ minDeviation: 1, k: 3 }), { ...flat, variance: 4 }, 11)).toBe(false);
    expect(isAnomaly(anomaly({ minDeviation: 1, k: 3 }), { ...flat, variance: 4 }, 11.5)).toBe(true);
  });

  it('ALERTS-2: judge each completed minute once, never the current one, and skip minutes the server was down', () => {
    const rule = anomaly({ warmup: 5 });
    const rows = [0, 1, 2, 3, 4, 5].map((m) => row(m, '', 10)).concat([row(9, '', 50), row(10, '', 10)]);
    const first = evaluateAnomaly(rule, null, rows, false, T0 + 10 * M + 5000);
    expect(first.verdict).toEqual({ breached: true, value: 50 });
    expect(first.baseline).toMatchObject({ n: 7, lastBucket: T0 + 9 * M });
    // nothing completed since: no verdict, nothing learned twice
    expect(evaluateAnomaly(rule, first.baseline, rows, false, T0 + 10 * M + 30_000)).toEqual({ verdict: null, baseline: first.baseline });
  });

  // Measured on these 200 seeds (k = 5, alpha = 0.1, warm-up 30, 600 minutes each): every spike of
  // 10σ found, and 1 of the 200 series without one fired once. With k = 4 it was 14 series.
  it('ALERTS-2: find a 10σ spike in each of 200 seeded noisy series and fire on at most 3 of the same series without it (measured: 1)', () => {
    let falseAlarms = 0;
    const missed: number[] = [];
    for (let seed = 1; seed <= 200; seed++) {
      const spikeAt = 300 + (seed % 250);
      if (!firedAt(seededSeries(seed, 600, spikeAt)).includes(spikeAt)) missed.push(seed);
      if (firedAt(seededSeries(seed, 600, null)).length) falseAlarms++;
    }
    expect(missed).toEqual([]);
    expect(falseAlarms).toBeLessThanOrEqual(3);
  });
});
