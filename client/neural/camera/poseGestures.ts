/**
 * Recognises arm gestures from MediaPipe's 33 pose landmarks (normalised image coordinates, y down).
 *
 * Left and right are the person's own: `raise_left_hand` means they raised their own left hand,
 * whichever side of the picture it appears on and whether or not the preview is mirrored. MediaPipe
 * names landmarks the same way (index 15 is the person's left wrist in an unmirrored camera frame),
 * so the classifier uses its indices as they are and never looks at which half of the image a hand
 * is in, except relative to the person's own shoulders.
 *
 * Pure: landmarks in, gestures with a confidence out. Distances are measured in shoulder widths so
 * the same gesture scores the same near the camera or far from it.
 */

export interface PoseLandmark {
  readonly x: number;
  readonly y: number;
  readonly z: number;
  /** 0..1: how likely the point is visible (not hidden or out of frame). */
  readonly visibility?: number;
}

export const POSE_COMMANDS = ['raise_left_hand', 'raise_right_hand', 'both_hands_up', 'hands_crossed'] as const;
export type PoseCommand = (typeof POSE_COMMANDS)[number];

export interface PoseGesture {
  readonly command: PoseCommand;
  /** 0..1 */
  readonly confidence: number;
}

/** MediaPipe pose landmark indices (BlazePose topology) that the gestures use. */
export const POSE = {
  nose: 0,
  leftShoulder: 11,
  rightShoulder: 12,
  leftElbow: 13,
  rightElbow: 14,
  leftWrist: 15,
  rightWrist: 16,
  leftHip: 23,
  rightHip: 24,
} as const;

export const POSE_LANDMARK_COUNT = 33;

/** A wrist this many shoulder widths above its shoulder starts to count as raised… */
const RAISE_FROM = 0.6;
/** …and counts fully from here (about the top of the head for most people). */
const RAISE_FULL = 1.0;
/** How far past the body's midline (in shoulder widths) a wrist must be for arms to count as crossed. */
const CROSS_FULL = 0.25;
/** Below this shoulder width (in image widths) the person is too small or side-on to judge. */
const MIN_SHOULDER_WIDTH = 0.02;

const clamp01 = (v: number) => Math.min(1, Math.max(0, v));

/** 0 at or below `from`, 1 at or above `to`, smooth between. */
function ramp(from: number, to: number, v: number): number {
  const t = clamp01((v - from) / (to - from));
  return t * t * (3 - 2 * t);
}

/** Landmarks MediaPipe is unsure of weigh less: below 0.3 they count for nothing, above 0.7 fully. */
function seen(...points: PoseLandmark[]): number {
  return Math.min(...points.map((p) => ramp(0.3, 0.7, p.visibility ?? 1)));
}

/**
 * The gestures in one frame's landmarks, most confident first; gestures with no evidence are left
 * out. Raising one hand and both hands are exclusive: with both up, only `both_hands_up` scores high.
 */
export function classifyPose(landmarks: readonly PoseLandmark[]): PoseGesture[] {
  if (landmarks.length < POSE_LANDMARK_COUNT) return [];
  const at = (i: number) => landmarks[i]!;
  const ls = at(POSE.leftShoulder);
  const rs = at(POSE.rightShoulder);
  const lw = at(POSE.leftWrist);
  const rw = at(POSE.rightWrist);
  const width = Math.hypot(ls.x - rs.x, ls.y - rs.y);
  if (width < MIN_SHOULDER_WIDTH) return [];

  // how far each wrist is above its own shoulder, in shoulder widths
  const left = ramp(RAISE_FROM, RAISE_FULL, (ls.y - lw.y) / width) * seen(ls, lw);
  const right = ramp(RAISE_FROM, RAISE_FULL, (rs.y - rw.y) / width) * seen(rs, rw);

  // +1 when the person's left shoulder is on the image's right (facing the camera), -1 facing away
  const facing = Math.sign(ls.x - rs.x) || 1;
  const midX = (ls.x + rs.x) / 2;
  const midY = (ls.y + rs.y) / 2;
  // each wrist's distance past the midline onto the other side, in shoulder widths
  const leftAcross = (-facing * (lw.x - midX)) / width;
  const rightAcross = (facing * (rw.x - midX)) / width;
  // crossed arms are held in front of the body, not hanging: both wrists above the waist
  const lh = at(POSE.leftHip);
  const rh = at(POSE.rightHip);
  const waistY = seen(lh, rh) > 0.5 ? (lh.y + rh.y) / 2 : midY + 1.5 * width;
  const raisedEnough = Math.min(ramp(0, 0.3, (waistY - lw.y) / width), ramp(0, 0.3, (waistY - rw.y) / width));
  const crossed = ramp(0, CROSS_FULL, leftAcross) * ramp(0, CROSS_FULL, rightAcross) * raisedEnough * seen(ls, rs, lw, rw);

  const gestures: PoseGesture[] = [
    { command: 'raise_left_hand', confidence: left * (1 - right) },
    { command: 'raise_right_hand', confidence: right * (1 - left) },
    // arms crossed above the head are crossed arms, not two raised hands
    { command: 'both_hands_up', confidence: Math.min(left, right) * (1 - crossed) },
    { command: 'hands_crossed', confidence: crossed },
  ];
  return gestures.filter((g) => g.confidence > 0.01).sort((a, b) => b.confidence - a.confidence);
}
