import { describe, expect, it } from 'vitest';
import { seededRandom as seeded } from '../../shared/random';
import { feed, initialState, zScore, type FireKind, type StartMode, type TriggerRule } from './thresholds';


/** A trend through `points` (linear between them, `per` readings a leg) with uniform jitter of ± `jitter`. */
function noisy(seed: number, points: number[], per: number, jitter: number): number[] {
  const random = seeded(seed);
  const out: number[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    for (let j = 0; j < per; j++) out.push(points[i]! + ((points[i + 1]! - points[i]!) * j) / per + (random() * 2 - 1) * jitter);
  }
  return out;
}

function fires(rule: TriggerRule, values: number[], mode: StartMode = 'armed'): Array<{ at: number; kind: FireKind }> {
  let state = initialState(mode);
  const out: Array<{ at: number; kind: FireKind }> = [];
  values.forEach((v, at) => {
    const r = feed(rule, state, v);
    state = r.state;
    if (r.fired) out.push({ at, kind: r.fired });
  });
  return out;
}

describe('thresholds', () => {
  // two real crossings of 30 upwards (20 → 40 → 20 → 40 → 20), jittering ±0.7 all the way
  const series = (seed: number) => noisy(seed, [20, 40, 20, 40, 20], 200, 0.7);

  it('fires once per real crossing of a noisy series, for every seed tried', () => {
    for (const seed of [1, 2, 3, 42, 1234, 99_999]) {
      const got = fires({ type: 'threshold', above: 30 }, series(seed));
      expect(got.map((f) => f.kind), `seed ${seed}`).toEqual(['above', 'above']);
      // each near its crossing (readings 100 and 500 of the trend), never on the way down
      expect(Math.abs(got[0]!.at - 100), `seed ${seed}`).toBeLessThan(10);
      expect(Math.abs(got[1]!.at - 500), `seed ${seed}`).toBeLessThan(10);
    }
  });

  it('without hysteresis the same noisy series fires again and again: the margin is what makes it once', () => {
    expect(fires({ type: 'threshold', above: 30, hysteresis: 0 }, series(42)).length).toBeGreaterThan(4);
  });

  it('mirrors for a value going below, with an absolute hysteresis', () => {
    const falling = noisy(7, [40, 20, 40, 20, 40], 200, 0.7);
    expect(fires({ type: 'threshold', below: 30, hysteresis: 2 }, falling).map((f) => f.kind)).toEqual(['below', 'below']);
  });

  it('watches both sides at once', () => {
    expect(fires({ type: 'threshold', above: 30, below: 10, hysteresis: 1 }, [20, 31, 32, 20, 9, 8, 20, 31]).map((f) => `${f.kind}@${f.at}`)).toEqual(['above@1', 'below@4', 'above@7']);
  });

  it('armed: a value already past the threshold fires at once; learn: it waits for a crossing', () => {
    const already = [35, 36, 35, 20, 35];
    expect(fires({ type: 'threshold', above: 30 }, already, 'armed').map((f) => f.at)).toEqual([0, 4]);
    expect(fires({ type: 'threshold', above: 30 }, already, 'learn').map((f) => f.at)).toEqual([4]);
  });

  it('learn: a first value inside the hysteresis band arms nothing until it is clearly below', () => {
    // 29 is within 1.5 of 30: it may be on its way down from a crossing that was already counted
    expect(fires({ type: 'threshold', above: 30 }, [29, 31, 29, 28, 31], 'learn').map((f) => f.at)).toEqual([4]);
  });

  it('ignores values that are not finite numbers', () => {
    expect(fires({ type: 'threshold', above: 30 }, [20, Number.NaN, Number.POSITIVE_INFINITY, 31]).map((f) => f.at)).toEqual([3]);
  });
});

describe('anomaly', () => {
  const rule: TriggerRule = { type: 'anomaly', k: 4, warmup: 30, alpha: 0.05 };

  it('fires once on a spike in a seeded noisy series, and not during warm-up', () => {
    const values = noisy(11, [20, 20], 200, 0.5);
    values[15] = 40; // during warm-up: ignored
    values[120] = 40;
    values[121] = 41; // the same anomalous stretch
    values[160] = 0;
    expect(fires(rule, values).map((f) => `${f.kind}@${f.at}`)).toEqual(['anomaly@120', 'anomaly@160']);
  });

  it('learns a lasting change of level as the new normal', () => {
    const values = [...noisy(5, [20, 20], 100, 0.5), ...noisy(6, [30, 30], 200, 0.5)];
    expect(fires(rule, values).map((f) => f.at)).toEqual([100]);
  });

  it('measures the distance in running standard deviations', () => {
    let state = initialState('armed');
    for (const v of [10, 12, 10, 12, 10, 12, 10, 12]) state = feed(rule, state, v).state;
    expect(state.mean).toBeGreaterThan(10);
    expect(state.mean).toBeLessThan(12);
    expect(zScore(state, state.mean)).toBe(0);
    expect(zScore(state, state.mean + 2 * Math.sqrt(state.variance))).toBeCloseTo(2);
  });
});
