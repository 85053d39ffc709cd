/** An alert's life through a run of verdicts: what changes, once, and who is told. */
import { describe, expect, it } from 'vitest';
import type { Verdict } from './evaluate';
import { acknowledge, advance, okState, type AlertState, type Change, type RuleTiming } from './transitions';

const M = 60_000;
const yes: Verdict = { breached: true, value: 9 };
const no: Verdict = { breached: false, value: 1 };

/** Feeds one verdict a minute from minute 0; the changes made, with the minute each came at. */
function live(verdicts: Verdict[], rule: RuleTiming, start: AlertState = okState('r1'), between?: (minute: number, s: AlertState) => AlertState) {
  let state = start;
  let ids = 0;
  const changes: Array<Change & { minute: number }> = [];
  verdicts.forEach((v, minute) => {
    if (between) state = between(minute, state);
    const next = advance(state, v, rule, minute * M, () => `a${++ids}`);
    state = next.state;
    if (next.change) changes.push({ ...next.change, minute });
  });
  return { state, changes };
}

const plain: RuleTiming = { escalateAfterMinutes: 3, silencedUntil: null };

describe('alert transitions', () => {
  it('ALERTS-3: fire once when the condition starts, escalate once when it lasts, resolve once when it ends', () => {
    const { state, changes } = live([no, yes, yes, yes, yes, yes, yes, no, no], plain);
    expect(changes).toEqual([
      { kind: 'fired', severity: 'warning', value: 9, notify: true, minute: 1 },
      { kind: 'escalated', severity: 'critical', value: 9, notify: true, minute: 4 },
      { kind: 'resolved', severity: 'critical', value: 1, notify: true, minute: 7 },
    ]);
    expect(state).toMatchObject({ status: 'ok', alertId: null, severity: null });
  });

  it('ALERTS-3: never escalate without an escalation time; start a new alert with a new id after a resolve', () => {
    const { changes } = live([yes, yes, yes, yes, yes, yes, no, yes], { escalateAfterMinutes: null, silencedUntil: null });
    expect(changes.map((c) => c.kind)).toEqual(['fired', 'resolved', 'fired']);
    const first = advance(okState('r1'), yes, plain, 0, () => 'x1').state;
    const again = advance(advance(first, no, plain, M, () => 'x2').state, yes, plain, 2 * M, () => 'x3').state;
    expect([first.alertId, again.alertId]).toEqual(['x1', 'x3']);
  });

  it('ALERTS-3: keep the state when there is nothing new to judge', () => {
    const firing = advance(okState('r1'), yes, plain, 0, () => 'a').state;
    expect(advance(firing, null, plain, 10 * M, () => 'b')).toEqual({ state: firing, change: null });
  });

  it('ALERTS-3: while silenced, still change state but notify no one; after the silence, notify again', () => {
    const silenced: RuleTiming = { escalateAfterMinutes: 2, silencedUntil: 5 * M };
    const { changes } = live([yes, yes, yes, no, no, no, yes, no], silenced);
    expect(changes.map((c) => [c.kind, c.minute, c.notify])).toEqual([
      ['fired', 0, false],
      ['escalated', 2, false],
      ['resolved', 3, false],
      ['fired', 6, true],
      ['resolved', 7, true],
    ]);
  });

  it('ALERTS-3: an acknowledged alert escalates without notifying, and still says when it resolves', () => {
    const ack = (minute: number, s: AlertState) => (minute === 2 ? acknowledge(s, s.alertId!, 'root', minute * M).state : s);
    const { changes, state } = live([yes, yes, yes, yes, yes, no], plain, okState('r1'), ack);
    expect(changes.map((c) => [c.kind, c.notify])).toEqual([
      ['fired', true],
      ['escalated', false],
      ['resolved', true],
    ]);
    // the acknowledgement belongs to the alert it named, not to the next one
    expect(state.ackedBy).toBeNull();
  });

  it('ALERTS-3: acknowledge only the firing alert named, once, saying who and when', () => {
    const firing = advance(okState('r1'), yes, plain, 0, () => 'a1').state;
    const acked = acknowledge(firing, 'a1', 'root', 5 * M);
    expect(acked.outcome).toBe('acknowledged');
    expect(acked.state).toMatchObject({ ackedBy: 'root', ackedAt: 5 * M });
    expect(acknowledge(acked.state, 'a1', 'someone', 6 * M)).toEqual({ state: acked.state, outcome: 'already' });
    expect(acknowledge(firing, 'a0', 'root', 0).outcome).toBe('not-firing');
    expect(acknowledge(okState('r1'), 'a1', 'root', 0).outcome).toBe('not-firing');
  });
});
