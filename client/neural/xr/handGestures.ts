/**
 * Hand gestures from the 25 WebXR hand joints (in the order of the WebXR Hand Input spec, in
 * metres, y up): pinch, thumbs-up, open palm and fist. Every measure is a ratio or a direction,
 * so hand size and where the hand is do not matter. Pure.
 */
export type Joint = readonly [number, number, number];
export const JOINT_COUNT = 25;

export const HAND_GESTURES = ['pinch', 'thumbs_up', 'open_palm', 'fist'] as const;
export type HandGesture = (typeof HAND_GESTURES)[number];
export type GestureScores = Record<HandGesture, number>;

/** Indices of the joints in a WebXR hand (XRHand iteration order). */
export const J = {
  wrist: 0,
  thumb: [1, 2, 3, 4],
  index: [5, 6, 7, 8, 9],
  middle: [10, 11, 12, 13, 14],
  ring: [15, 16, 17, 18, 19],
  pinky: [20, 21, 22, 23, 24],
} as const;

const sub = (a: Joint, b: Joint): Joint => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
const len = (v: Joint) => Math.hypot(v[0], v[1], v[2]);
const dist = (a: Joint, b: Joint) => len(sub(a, b));
/** 0 at `from`, 1 at `to`, clamped; `to` may be below `from`. */
const ramp = (x: number, from: number, to: number) => Math.max(0, Math.min(1, (x - from) / (to - from)));

/** How straight a chain of joints is: the distance from first to last over the path along it. */
function straightness(joints: readonly Joint[]): number {
  let path = 0;
  for (let i = 1; i < joints.length; i++) path += dist(joints[i]!, joints[i - 1]!);
  return path > 0 ? dist(joints.at(-1)!, joints[0]!) / path : 0;
}

/** Wrist to middle knuckle is about 8-10 cm on an adult hand, 5 cm or more on a child's. */
const MIN_PALM = 0.02;

/** How much each gesture the hand is making, each 0..1. */
export function gestureScores(joints: readonly Joint[]): GestureScores {
  if (joints.length !== JOINT_COUNT || joints.some((j) => j.length !== 3 || !j.every(Number.isFinite))) {
    throw new RangeError(`a hand has ${JOINT_COUNT} joints of three finite numbers`);
  }
  const at = (i: number) => joints[i]!;
  const chain = (ids: readonly number[]) => ids.map(at);
  // the palm's length sets the scale: wrist to the middle finger's knuckle
  const palm = dist(at(J.wrist), at(J.middle[1]));
  // no real hand has a palm this short: joints not placed yet (all at one point) are no gesture
  if (palm < MIN_PALM) return { pinch: 0, thumbs_up: 0, open_palm: 0, fist: 0 };
  const fingers = [J.index, J.middle, J.ring, J.pinky].map((f) => straightness(chain(f)));
  const extended = Math.min(...fingers.map((s) => ramp(s, 0.8, 0.95)));
  const curled = Math.min(...fingers.map((s) => ramp(s, 0.75, 0.6)));

  const thumbTip = at(J.thumb[3]);
  const pinchGap = dist(thumbTip, at(J.index[4])) / palm;
  const pinch = ramp(pinchGap, 0.4, 0.15);
  // an extended thumb is straight and stands away from the index finger's knuckle
  const thumbOut = Math.min(ramp(straightness(chain(J.thumb)), 0.8, 0.95), ramp(dist(thumbTip, at(J.index[1])) / palm, 0.5, 0.8));
  const thumbDir = sub(thumbTip, at(J.thumb[0]));
  const thumbUp = ramp(thumbDir[1] / Math.max(1e-6, len(thumbDir)), 0.5, 0.8);

  return {
    pinch,
    thumbs_up: Math.min(curled, thumbOut, thumbUp),
    open_palm: Math.min(extended, ramp(pinchGap, 0.4, 0.6)),
    fist: Math.min(curled, 1 - thumbOut),
  };
}

/** The gesture the hand makes most clearly, or null when none reaches `floor`. */
export function classifyHand(joints: readonly Joint[], floor = 0.5): { gesture: HandGesture; confidence: number } | null {
  const scores = gestureScores(joints);
  let best: HandGesture | null = null;
  for (const g of HAND_GESTURES) if (scores[g] >= floor && (best === null || scores[g] > scores[best])) best = g;
  return best ? { gesture: best, confidence: scores[best] } : null;
}
