/**
 * An alert's life, without I/O: a rule's state moves ok → firing when its condition holds, a
 * warning becomes critical once it has lasted `escalateAfterMinutes`, and firing → ok when the
 * condition no longer holds. Each of those happens once per alert, so a rule that stays firing
 * announces nothing more. A silenced rule still changes state, but its changes notify no one;
 * an acknowledged alert still escalates, but its escalation notifies no one.
 */
import type { Baseline, Verdict } from './evaluate';

export type Severity = 'warning' | 'critical';
export type Transition = 'fired' | 'escalated' | 'resolved';

export interface AlertState {
  ruleId: string;
  status: 'ok' | 'firing';
  /** The firing alert's id (what an acknowledgement names); null while ok. */
  alertId: string | null;
  /** When the alert started firing (ms). */
  since: number | null;
  severity: Severity | null;
  ackedBy: string | null;
  ackedAt: number | null;
  /** The value last judged. */
  value: number | null;
  /** What an anomaly rule has learned of its series. */
  baseline: Baseline | null;
}

export interface Change {
  kind: Transition;
  severity: Severity;
  value: number | null;
  /** Whether anyone beyond the log is told (not while silenced; no escalation once acknowledged). */
  notify: boolean;
}

export interface RuleTiming {
  escalateAfterMinutes: number | null;
  silencedUntil: number | null;
}

export const okState = (ruleId: string, baseline: Baseline | null = null): AlertState => ({
  ruleId,
  status: 'ok',
  alertId: null,
  since: null,
  severity: null,
  ackedBy: null,
  ackedAt: null,
  value: null,
  baseline,
});

export const isSilenced = (rule: Pick<RuleTiming, 'silencedUntil'>, now: number) => rule.silencedUntil !== null && now < rule.silencedUntil;

/** The state after a verdict, and the change it makes, if any. `newAlertId` names an alert that starts. */
export function advance(state: AlertState, verdict: Verdict, rule: RuleTiming, now: number, newAlertId: () => string): { state: AlertState; change: Change | null } {
  if (!verdict) return { state, change: null };
  const quiet = isSilenced(rule, now);
  const value = verdict.value;
  if (state.status === 'ok') {
    if (!verdict.breached) return { state: { ...state, value }, change: null };
    return {
      state: { ...state, status: 'firing', alertId: newAlertId(), since: now, severity: 'warning', ackedBy: null, ackedAt: null, value },
      change: { kind: 'fired', severity: 'warning', value, notify: !quiet },
    };
  }
  if (!verdict.breached) {
    return { state: okState(state.ruleId, state.baseline), change: { kind: 'resolved', severity: state.severity ?? 'warning', value, notify: !quiet } };
  }
  const lasted = now - (state.since ?? now);
  if (state.severity === 'warning' && rule.escalateAfterMinutes !== null && lasted >= rule.escalateAfterMinutes * 60_000) {
    return { state: { ...state, severity: 'critical', value }, change: { kind: 'escalated', severity: 'critical', value, notify: !quiet && state.ackedBy === null } };
  }
  return { state: { ...state, value }, change: null };
}

export type AckOutcome = 'acknowledged' | 'already' | 'not-firing';

/** Acknowledges the firing alert `alertId` as `by`; an alert acknowledged before stays as it was. */
export function acknowledge(state: AlertState, alertId: string, by: string, now: number): { state: AlertState; outcome: AckOutcome } {
  if (state.status !== 'firing' || state.alertId !== alertId) return { state, outcome: 'not-firing' };
  if (state.ackedBy !== null) return { state, outcome: 'already' };
  return { state: { ...state, ackedBy: by, ackedAt: now }, outcome: 'acknowledged' };
}
