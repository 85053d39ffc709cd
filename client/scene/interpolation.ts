/**
 * Smooth remote motion: poses arrive at the server's patch rate (a few per 100 ms, with jitter), so
 * each remote participant keeps a short buffer of timestamped samples and is drawn slightly in the
 * past, between two samples that really happened. Pure: no Babylon, no clocks; times are passed in.
 */
import type { Pose, Quat, Vec3 } from '../../shared/protocol';

/** How far behind the newest data remote avatars are drawn, in milliseconds. */
export const RENDER_DELAY_MS = 100;
/** Samples kept per participant; enough for ~1 s at 20 Hz. */
export const MAX_SAMPLES = 24;

/** One received pose of a participant: head always, hands only while tracked. */
export interface PoseSample {
  /** Receive time in milliseconds (any monotonic clock, the same for all samples). */
  t: number;
  head: Pose;
  left: Pose | null;
  right: Pose | null;
}

export type InterpolatedPose = Omit<PoseSample, 't'>;

export function lerp(a: number, b: number, alpha: number): number {
  return a + (b - a) * alpha;
}

export function lerpVec3(a: Vec3, b: Vec3, alpha: number): Vec3 {
  return [lerp(a[0], b[0], alpha), lerp(a[1], b[1], alpha), lerp(a[2], b[2], alpha)];
}

/** Spherical interpolation along the shorter arc; falls back to normalised lerp when nearly equal. */
export function slerp(a: Quat, b: Quat, alpha: number): Quat {
  let [bx, by, bz, bw] = b;
  let cos = a[0] * bx + a[1] * by + a[2] * bz + a[3] * bw;
  // q and -q are the same rotation; flipping keeps us on the short way round
  if (cos < 0) {
    cos = -cos;
    bx = -bx;
    by = -by;
    bz = -bz;
    bw = -bw;
  }
  let wa: number;
  let wb: number;
  if (cos > 0.9995) {
    wa = 1 - alpha;
    wb = alpha;
  } else {
    const theta = Math.acos(Math.min(1, cos));
    const sin = Math.sin(theta);
    wa = Math.sin((1 - alpha) * theta) / sin;
    wb = Math.sin(alpha * theta) / sin;
  }
  return normalise([wa * a[0] + wb * bx, wa * a[1] + wb * by, wa * a[2] + wb * bz, wa * a[3] + wb * bw]);
}

function normalise(q: Quat): Quat {
  const len = Math.hypot(q[0], q[1], q[2], q[3]);
  if (!(len > 1e-9)) return [0, 0, 0, 1];
  return [q[0] / len, q[1] / len, q[2] / len, q[3] / len];
}

export function interpolatePose(a: Pose, b: Pose, alpha: number): Pose {
  const [x, y, z] = lerpVec3([a[0], a[1], a[2]], [b[0], b[1], b[2]], alpha);
  const [qx, qy, qz, qw] = slerp([a[3], a[4], a[5], a[6]], [b[3], b[4], b[5], b[6]], alpha);
  return [x, y, z, qx, qy, qz, qw];
}

/** A hand that appears or disappears between two samples snaps to whichever sample is nearer. */
function interpolateHand(a: Pose | null, b: Pose | null, alpha: number): Pose | null {
  if (a && b) return interpolatePose(a, b, alpha);
  return alpha < 0.5 ? a : b;
}

function samePose(a: Pose | null, b: Pose | null): boolean {
  if (a === null || b === null) return a === b;
  return a.every((v, i) => v === b[i]);
}

/** Longer than this between two samples means the participant was standing still in between. */
export const REST_GAP_MS = 200;
/** The interval a pose stream usually has (the server patches at 20 Hz). */
export const TYPICAL_INTERVAL_MS = 50;

/**
 * Appends a sample, keeping the buffer ordered by time and at most `max` long. Duplicates of the
 * newest pose are skipped (a still participant adds nothing); late samples are dropped, since the
 * buffer is drawn in time order. After a rest, a copy of the resting pose is put one typical
 * interval before the new sample, so motion starts from rest instead of jumping most of the way.
 */
export function pushSample(buffer: PoseSample[], sample: PoseSample, max = MAX_SAMPLES): void {
  const last = buffer[buffer.length - 1];
  if (last) {
    if (sample.t < last.t) return;
    if (samePose(last.head, sample.head) && samePose(last.left, sample.left) && samePose(last.right, sample.right)) return;
    if (sample.t - last.t > REST_GAP_MS) buffer.push({ ...last, t: sample.t - TYPICAL_INTERVAL_MS });
  }
  buffer.push(sample);
  if (buffer.length > max) buffer.splice(0, buffer.length - max);
}

/**
 * The pose at `time`: interpolated between the two samples around it, held at the oldest before the
 * buffer starts and at the newest after it ends (no extrapolation: a stopped participant must not
 * drift). Null for an empty buffer.
 */
export function sampleAt(buffer: readonly PoseSample[], time: number): InterpolatedPose | null {
  const first = buffer[0];
  const last = buffer[buffer.length - 1];
  if (!first || !last) return null;
  if (time <= first.t) return strip(first);
  if (time >= last.t) return strip(last);
  // buffers are short, so a linear scan from the end (where render time usually is) is enough
  for (let i = buffer.length - 1; i > 0; i--) {
    const a = buffer[i - 1]!;
    const b = buffer[i]!;
    if (time >= a.t) {
      const alpha = b.t === a.t ? 1 : (time - a.t) / (b.t - a.t);
      return {
        head: interpolatePose(a.head, b.head, alpha),
        left: interpolateHand(a.left, b.left, alpha),
        right: interpolateHand(a.right, b.right, alpha),
      };
    }
  }
  return strip(first);
}

function strip(s: PoseSample): InterpolatedPose {
  return { head: s.head, left: s.left, right: s.right };
}

/**
 * Fraction of the remaining distance to cover this frame so that an exponential approach feels the
 * same at any frame rate: after `halfLifeMs` half the gap is closed.
 */
export function approachFactor(dtMs: number, halfLifeMs: number): number {
  if (halfLifeMs <= 0) return 1;
  return 1 - Math.pow(0.5, Math.max(0, dtMs) / halfLifeMs);
}
