import { describe, expect, it } from 'vitest';
import { classifyPose, POSE, POSE_LANDMARK_COUNT, type PoseCommand, type PoseLandmark } from './poseGestures';

type Point = [x: number, y: number];

/**
 * A person facing an unmirrored camera, arms hanging: their left side appears on the image's right.
 * Shoulder width 0.2 of the image, so 1 shoulder width = 0.2 in y.
 */
const STANDING: Record<number, Point> = {
  [POSE.nose]: [0.5, 0.2],
  [POSE.leftShoulder]: [0.6, 0.35],
  [POSE.rightShoulder]: [0.4, 0.35],
  [POSE.leftElbow]: [0.63, 0.47],
  [POSE.rightElbow]: [0.37, 0.47],
  [POSE.leftWrist]: [0.64, 0.58],
  [POSE.rightWrist]: [0.36, 0.58],
  [POSE.leftHip]: [0.56, 0.62],
  [POSE.rightHip]: [0.44, 0.62],
};

function person(changes: Record<number, Point> = {}, visibility: Record<number, number> = {}, mirror = false): PoseLandmark[] {
  const points = { ...STANDING, ...changes };
  return Array.from({ length: POSE_LANDMARK_COUNT }, (_, i) => {
    const [x, y] = points[i] ?? [0.5, 0.8];
    return { x: mirror ? 1 - x : x, y, z: 0, visibility: visibility[i] ?? 0.99 };
  });
}

const LEFT_UP = { [POSE.leftElbow]: [0.66, 0.22], [POSE.leftWrist]: [0.67, 0.08] } satisfies Record<number, Point>;
const RIGHT_UP = { [POSE.rightElbow]: [0.34, 0.22], [POSE.rightWrist]: [0.33, 0.08] } satisfies Record<number, Point>;
// forearms in an X in front of the chest: the left wrist on the person's right, and the other way round
const CROSSED = {
  [POSE.leftElbow]: [0.6, 0.5],
  [POSE.rightElbow]: [0.4, 0.5],
  [POSE.leftWrist]: [0.4, 0.42],
  [POSE.rightWrist]: [0.6, 0.42],
} satisfies Record<number, Point>;

function top(landmarks: PoseLandmark[]): { command: PoseCommand | 'none'; confidence: number } {
  return classifyPose(landmarks)[0] ?? { command: 'none', confidence: 0 };
}

const confidenceOf = (landmarks: PoseLandmark[], command: PoseCommand) => classifyPose(landmarks).find((g) => g.command === command)?.confidence ?? 0;

describe('pose gestures from landmarks', () => {
  it('sees nothing in a person standing with arms down', () => {
    expect(classifyPose(person())).toEqual([]);
  });

  it('recognises a raised left hand as the person’s own left', () => {
    expect(top(person(LEFT_UP))).toMatchObject({ command: 'raise_left_hand' });
    expect(top(person(LEFT_UP)).confidence).toBeGreaterThan(0.95);
  });

  it('recognises a raised right hand', () => {
    expect(top(person(RIGHT_UP))).toMatchObject({ command: 'raise_right_hand' });
    expect(top(person(RIGHT_UP)).confidence).toBeGreaterThan(0.95);
  });

  it('keeps the person’s own side in a mirrored picture', () => {
    // mirrored, their left hand shows on the image's left, and it is still their left hand
    expect(top(person(LEFT_UP, {}, true))).toMatchObject({ command: 'raise_left_hand' });
    expect(top(person(RIGHT_UP, {}, true))).toMatchObject({ command: 'raise_right_hand' });
  });

  it('recognises both hands up, and then not either hand alone', () => {
    const both = person({ ...LEFT_UP, ...RIGHT_UP });
    expect(top(both)).toMatchObject({ command: 'both_hands_up' });
    expect(top(both).confidence).toBeGreaterThan(0.95);
    expect(confidenceOf(both, 'raise_left_hand')).toBeLessThan(0.05);
    expect(confidenceOf(both, 'raise_right_hand')).toBeLessThan(0.05);
  });

  it('recognises hands crossed in front of the chest, facing the camera or mirrored', () => {
    expect(top(person(CROSSED))).toMatchObject({ command: 'hands_crossed' });
    expect(top(person(CROSSED)).confidence).toBeGreaterThan(0.9);
    expect(top(person(CROSSED, {}, true))).toMatchObject({ command: 'hands_crossed' });
  });

  it('calls arms crossed above the head crossed, not both hands up', () => {
    const overhead = person({ [POSE.leftWrist]: [0.42, 0.08], [POSE.rightWrist]: [0.58, 0.08], [POSE.leftElbow]: [0.62, 0.2], [POSE.rightElbow]: [0.38, 0.2] });
    expect(top(overhead)).toMatchObject({ command: 'hands_crossed' });
    expect(confidenceOf(overhead, 'both_hands_up')).toBeLessThan(0.1);
  });

  describe('near misses', () => {
    it('a hand at shoulder height is not raised', () => {
      expect(classifyPose(person({ [POSE.leftElbow]: [0.7, 0.35], [POSE.leftWrist]: [0.8, 0.35] }))).toEqual([]);
    });

    it('a hand barely above the shoulder is not raised', () => {
      expect(confidenceOf(person({ [POSE.leftWrist]: [0.66, 0.3] }), 'raise_left_hand')).toBe(0);
    });

    it('a hand at chin height counts for little, and more the higher it goes', () => {
      const chin = confidenceOf(person({ [POSE.leftWrist]: [0.64, 0.22] }), 'raise_left_hand');
      const forehead = confidenceOf(person({ [POSE.leftWrist]: [0.64, 0.17] }), 'raise_left_hand');
      expect(chin).toBeLessThan(0.3);
      expect(forehead).toBeGreaterThan(chin);
      expect(forehead).toBeLessThan(0.9);
    });

    it('a raised hand MediaPipe hardly sees counts for nothing, a half-seen one for less', () => {
      expect(confidenceOf(person(LEFT_UP, { [POSE.leftWrist]: 0.2 }), 'raise_left_hand')).toBe(0);
      const half = confidenceOf(person(LEFT_UP, { [POSE.leftWrist]: 0.5 }), 'raise_left_hand');
      expect(half).toBeGreaterThan(0);
      expect(half).toBeLessThan(0.6);
    });

    it('one hand up and the other barely up is one raised hand, not both', () => {
      const landmarks = person({ ...LEFT_UP, [POSE.rightWrist]: [0.36, 0.28] });
      expect(top(landmarks)).toMatchObject({ command: 'raise_left_hand' });
      expect(confidenceOf(landmarks, 'both_hands_up')).toBe(0);
    });

    it('hands together at the middle of the chest are not crossed', () => {
      expect(confidenceOf(person({ [POSE.leftWrist]: [0.51, 0.45], [POSE.rightWrist]: [0.49, 0.45] }), 'hands_crossed')).toBeLessThan(0.1);
    });

    it('wrists crossed down at the hips are not crossed arms', () => {
      expect(confidenceOf(person({ [POSE.leftWrist]: [0.45, 0.66], [POSE.rightWrist]: [0.55, 0.66] }), 'hands_crossed')).toBe(0);
    });

    it('a person too small or side-on to judge gives nothing', () => {
      expect(classifyPose(person({ ...LEFT_UP, [POSE.leftShoulder]: [0.505, 0.35], [POSE.rightShoulder]: [0.5, 0.35] }))).toEqual([]);
    });

    it('too few landmarks give nothing', () => {
      expect(classifyPose(person(LEFT_UP).slice(0, 20))).toEqual([]);
    });
  });
});
