import { describe, expect, it } from 'vitest';
import type { Pose, Quat } from '../../shared/protocol';
import {
  MAX_SAMPLES,
  REST_GAP_MS,
  TYPICAL_INTERVAL_MS,
  approachFactor,
  interpolatePose,
  lerp,
  lerpVec3,
  pushSample,
  sampleAt,
  slerp,
  type PoseSample,
} from './interpolation';

const yaw = (degrees: number): Quat => {
  const half = (degrees * Math.PI) / 360;
  return [0, Math.sin(half), 0, Math.cos(half)];
};
const yawOf = (q: Quat): number => (Math.atan2(q[1], q[3]) * 360) / Math.PI;
const head = (x: number, deg = 0): Pose => [x, 1.6, 0, ...yaw(deg)];
const sample = (t: number, x: number, extra: Partial<PoseSample> = {}): PoseSample => ({ t, head: head(x), left: null, right: null, ...extra });

describe('lerp and slerp', () => {
  it('lerps numbers and vectors linearly', () => {
    expect(lerp(2, 4, 0.25)).toBe(2.5);
    expect(lerpVec3([0, 0, 0], [2, 4, -8], 0.5)).toEqual([1, 2, -4]);
  });

  it('slerps halfway between two yaws', () => {
    expect(yawOf(slerp(yaw(0), yaw(90), 0.5))).toBeCloseTo(45, 5);
  });

  it('slerps along the short arc even when the quaternions have opposite signs', () => {
    const b = yaw(30).map((v) => -v) as Quat;
    expect(yawOf(slerp(yaw(0), b, 0.5))).toBeCloseTo(15, 5);
  });

  it('returns unit quaternions at the ends and for nearly equal inputs', () => {
    for (const q of [slerp(yaw(10), yaw(170), 0), slerp(yaw(10), yaw(170), 1), slerp(yaw(10), yaw(10.0001), 0.5)]) {
      expect(Math.hypot(...q)).toBeCloseTo(1, 9);
    }
    expect(yawOf(slerp(yaw(10), yaw(170), 1))).toBeCloseTo(170, 5);
  });

  it('interpolates position and rotation of a pose together', () => {
    const p = interpolatePose(head(0, 0), head(2, 90), 0.5);
    expect(p[0]).toBeCloseTo(1);
    expect(yawOf([p[3], p[4], p[5], p[6]])).toBeCloseTo(45, 5);
  });
});

describe('pose buffer', () => {
  it('is empty until the first sample', () => {
    expect(sampleAt([], 100)).toBeNull();
  });

  it('interpolates between the two samples around the render time', () => {
    const buf: PoseSample[] = [];
    pushSample(buf, sample(0, 0));
    pushSample(buf, sample(50, 1));
    pushSample(buf, sample(100, 3));
    expect(sampleAt(buf, 25)!.head[0]).toBeCloseTo(0.5);
    expect(sampleAt(buf, 75)!.head[0]).toBeCloseTo(2);
  });

  it('holds the oldest sample before the buffer and the newest after it (no extrapolation)', () => {
    const buf: PoseSample[] = [];
    pushSample(buf, sample(100, 1));
    pushSample(buf, sample(150, 2));
    expect(sampleAt(buf, 0)!.head[0]).toBe(1);
    expect(sampleAt(buf, 10_000)!.head[0]).toBe(2);
  });

  it('skips a sample that repeats the newest pose, and drops late ones', () => {
    const buf: PoseSample[] = [];
    pushSample(buf, sample(0, 0));
    pushSample(buf, sample(40, 0));
    expect(buf.map((s) => s.t)).toEqual([0]);
    pushSample(buf, sample(50, 1));
    pushSample(buf, sample(45, 5));
    expect(buf.map((s) => s.t)).toEqual([0, 50]);
  });

  it('starts motion after a rest from the resting pose instead of jumping', () => {
    const buf: PoseSample[] = [];
    pushSample(buf, sample(0, 0));
    pushSample(buf, sample(1000, 1));
    expect(buf.map((s) => s.t)).toEqual([0, 1000 - TYPICAL_INTERVAL_MS, 1000]);
    // just after the rest ends the avatar has barely moved
    expect(sampleAt(buf, 1000 - TYPICAL_INTERVAL_MS + 5)!.head[0]).toBeCloseTo(0.1);
    expect(REST_GAP_MS).toBeLessThan(1000);
  });

  it('keeps at most MAX_SAMPLES, dropping the oldest', () => {
    const buf: PoseSample[] = [];
    for (let i = 0; i < MAX_SAMPLES + 10; i++) pushSample(buf, sample(i * 50, i));
    expect(buf).toHaveLength(MAX_SAMPLES);
    expect(buf[0]!.t).toBe(10 * 50);
  });

  it('interpolates hands tracked in both samples and snaps a hand that appears', () => {
    const hand = (x: number): Pose => [x, 1, 0, 0, 0, 0, 1];
    const buf: PoseSample[] = [];
    pushSample(buf, sample(0, 0, { left: hand(0), right: null }));
    pushSample(buf, sample(100, 0, { left: hand(1), right: hand(5) }));
    const early = sampleAt(buf, 25)!;
    expect(early.left![0]).toBeCloseTo(0.25);
    expect(early.right).toBeNull();
    expect(sampleAt(buf, 75)!.right).toEqual(hand(5));
  });
});

describe('approachFactor', () => {
  it('closes half the gap after one half-life, whatever the frame split', () => {
    expect(approachFactor(100, 100)).toBeCloseTo(0.5);
    const twoFrames = 1 - (1 - approachFactor(50, 100)) ** 2;
    expect(twoFrames).toBeCloseTo(0.5);
  });

  it('snaps with no half-life and never overshoots', () => {
    expect(approachFactor(16, 0)).toBe(1);
    expect(approachFactor(-5, 100)).toBe(0);
    expect(approachFactor(1e9, 100)).toBeLessThanOrEqual(1);
  });
});
