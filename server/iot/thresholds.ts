/**
 * When a device's readings make a trigger fire, as a pure state machine: past a threshold, with
 * hysteresis so that a noisy sensor hovering at the threshold fires once per real crossing, or far
 * from its recent behaviour (a z-score against an exponentially weighted mean and variance).
 */

/** What made a trigger fire. */
export const FIRE_KINDS = ['above', 'below', 'anomaly'] as const;
export type FireKind = (typeof FIRE_KINDS)[number];

/** The default hysteresis: this share of the threshold's size. */
export const DEFAULT_HYSTERESIS_SHARE = 0.05;

export interface ThresholdRule {
  type: 'threshold';
  /** Fires when a value goes above this. */
  above?: number;
  /** Fires when a value goes below this. */
  below?: number;
  /** How far back past the threshold a value must come before it may fire again (absolute; default 5 % of each threshold's size). */
  hysteresis?: number;
}

export interface AnomalyRule {
  type: 'anomaly';
  /** Fires when a value is more than `k` standard deviations from the running mean. */
  k: number;
  /** Readings seen before it may fire: the mean and variance mean nothing before. */
  warmup: number;
  /** Weight of each new reading in the running mean and variance (0–1]. */
  alpha: number;
}

export type TriggerRule = ThresholdRule | AnomalyRule;

/**
 * `armed`: may fire. `fired`: fired (or was past the threshold when first seen) and waits for the
 * value to come back by the hysteresis. `unknown`: has seen nothing yet.
 */
export type Arm = 'armed' | 'fired' | 'unknown';

export interface TriggerState {
  above: Arm;
  below: Arm;
  anomaly: Arm;
  /** Readings seen, and their exponentially weighted mean and variance. */
  n: number;
  mean: number;
  variance: number;
}

/**
 * `armed`: a value already past a threshold fires at once (a step waiting for "above 30" goes on
 * when it is 35). `learn`: the first readings only learn which side the value is on, so re-arming
 * (a restart, an edit) while the value is past the threshold starts nothing until it crosses again.
 */
export type StartMode = 'armed' | 'learn';

export function initialState(mode: StartMode): TriggerState {
  const arm: Arm = mode === 'armed' ? 'armed' : 'unknown';
  return { above: arm, below: arm, anomaly: 'armed', n: 0, mean: 0, variance: 0 };
}

/** The hysteresis a rule uses for a threshold. */
export function hysteresisFor(rule: ThresholdRule, threshold: number): number {
  return rule.hysteresis ?? Math.abs(threshold) * DEFAULT_HYSTERESIS_SHARE;
}

/** One side of a threshold: `sign` 1 fires above, -1 below (the value is mirrored so one rule serves both). */
function side(arm: Arm, value: number, threshold: number, margin: number, sign: 1 | -1): { arm: Arm; fired: boolean } {
  const past = sign * value > sign * threshold;
  const back = sign * value <= sign * threshold - margin;
  switch (arm) {
    case 'armed':
      return past ? { arm: 'fired', fired: true } : { arm, fired: false };
    case 'fired':
      return { arm: back ? 'armed' : 'fired', fired: false };
    case 'unknown':
      // inside the hysteresis band the value may be on its way back down: wait until it is clearly out
      return { arm: past ? 'fired' : back ? 'armed' : 'unknown', fired: false };
    default: {
      const unreachable: never = arm;
      throw new Error(`unknown arm ${String(unreachable)}`);
    }
  }
}

/** Feeds one value; the new state and what fired (null: nothing). Non-finite values change nothing. */
export function feed(rule: TriggerRule, state: TriggerState, value: number): { state: TriggerState; fired: FireKind | null } {
  if (!Number.isFinite(value)) return { state, fired: null };
  switch (rule.type) {
    case 'threshold': {
      let next = state;
      let fired: FireKind | null = null;
      if (rule.above !== undefined) {
        const s = side(state.above, value, rule.above, hysteresisFor(rule, rule.above), 1);
        next = { ...next, above: s.arm };
        if (s.fired) fired = 'above';
      }
      if (rule.below !== undefined) {
        const s = side(state.below, value, rule.below, hysteresisFor(rule, rule.below), -1);
        next = { ...next, below: s.arm };
        if (s.fired) fired ??= 'below';
      }
      return { state: next, fired };
    }
    case 'anomaly':
      return anomaly(rule, state, value);
    default: {
      const unreachable: never = rule;
      throw new Error(`unknown rule ${JSON.stringify(unreachable)}`);
    }
  }
}

/** How many standard deviations `value` lies from the running mean (0 before any reading). */
export function zScore(state: TriggerState, value: number): number {
  if (state.n === 0) return 0;
  // a perfectly steady series has no spread: any change at all is then far out
  const sd = Math.max(Math.sqrt(state.variance), 1e-9);
  return Math.abs(value - state.mean) / sd;
}

function anomaly(rule: AnomalyRule, state: TriggerState, value: number): { state: TriggerState; fired: FireKind | null } {
  const z = zScore(state, value);
  const ready = state.n >= rule.warmup;
  let arm = state.anomaly;
  let fired: FireKind | null = null;
  if (ready && arm === 'armed' && z > rule.k) {
    arm = 'fired';
    fired = 'anomaly';
  } else if (arm === 'fired' && z <= rule.k / 2) {
    // one anomalous stretch fires once: it may fire again once a reading is back near the mean
    arm = 'armed';
  }
  // the anomaly is learnt from too, so a lasting change of level becomes the new normal
  const d = value - state.mean;
  const mean = state.n === 0 ? value : state.mean + rule.alpha * d;
  const variance = state.n === 0 ? 0 : (1 - rule.alpha) * (state.variance + rule.alpha * d * d);
  return { state: { ...state, anomaly: arm, n: Math.min(state.n + 1, Number.MAX_SAFE_INTEGER), mean, variance }, fired };
}
