/**
 * One evaluation round over every rule, without I/O: which minute rows each series must be read
 * from, and, given those rows, each rule's new state and the change it makes. The service reads
 * the rows, writes what changed and sends the notifications.
 */
import type { RollupPoint } from '../adapters/storage/AnalyticsStore';
import { evaluateAnomaly, evaluateThreshold, type Verdict } from './evaluate';
import { isGauge, MAX_WINDOW_MINUTES, type AlertRule } from './rules';
import { advance, okState, type AlertState, type Change } from './transitions';

const MINUTE_MS = 60_000;

/** How far back an anomaly rule with nothing learned yet reads, in warm-ups: enough to judge at once. */
const PRIMING_WARMUPS = 2;

/** The first minute (ms) a rule needs rows from. */
export function needsFrom(rule: AlertRule, state: AlertState | undefined, now: number): number {
  const current = Math.floor(now / MINUTE_MS) * MINUTE_MS;
  const earliest = current - MAX_WINDOW_MINUTES * MINUTE_MS;
  if (rule.kind === 'threshold') return current - (rule.windowMinutes - 1) * MINUTE_MS;
  const learned = state?.baseline?.lastBucket;
  // after a long stop, what was missed beyond a day is not worth a round's time
  return Math.max(earliest, learned !== undefined ? learned + MINUTE_MS : current - rule.warmup * PRIMING_WARMUPS * MINUTE_MS);
}

/** For each series, the first minute any of its rules needs. */
export function readPlan(rules: readonly AlertRule[], states: ReadonlyMap<string, AlertState>, now: number): Map<string, number> {
  const plan = new Map<string, number>();
  for (const r of rules) {
    const from = needsFrom(r, states.get(r.id), now);
    plan.set(r.series, Math.min(plan.get(r.series) ?? Infinity, from));
  }
  return plan;
}

export interface Judged {
  rule: AlertRule;
  state: AlertState;
  /** Whether the state differs from what was stored (so must be written). */
  changed: boolean;
  change: Change | null;
}

/** Each rule's verdict on its rows and what it does to the rule's state. */
export function judge(rules: readonly AlertRule[], states: ReadonlyMap<string, AlertState>, rows: ReadonlyMap<string, readonly RollupPoint[]>, now: number, newAlertId: () => string): Judged[] {
  return rules.map((rule) => {
    const before = states.get(rule.id) ?? okState(rule.id);
    const series = rows.get(rule.series) ?? [];
    const gauge = isGauge(rule.series);
    let verdict: Verdict;
    let learned = before;
    if (rule.kind === 'threshold') verdict = evaluateThreshold(rule, series, gauge, now);
    else {
      const a = evaluateAnomaly(rule, before.baseline, series, gauge, now);
      verdict = a.verdict;
      learned = { ...before, baseline: a.baseline };
    }
    const { state, change } = advance(learned, verdict, rule, now, newAlertId);
    return { rule, state, change, changed: JSON.stringify(state) !== JSON.stringify(states.get(rule.id)) };
  });
}
