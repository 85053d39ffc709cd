import { describe, expect, it } from 'vitest';
import { classifyHand, gestureScores, type Joint } from './handGestures';

/**
 * A right hand built joint by joint like a WebXR hand: wrist at the origin, fingers pointing +y
 * when straight, palm facing +z, each finger joint bending toward the palm by its curl (radians).
 */
interface HandShape {
  curl: [number, number, number, number];
  /** Thumb: direction from its base when straight, and how far (radians) it folds across the palm. */
  thumbDir?: Joint;
  thumbFold?: number;
  /** Puts the thumb tip this far (m) from the index tip, when given. */
  pinchGap?: number;
  /** Rotation of the whole hand about z (radians), e.g. to turn a fist on its side. */
  roll?: number;
  scale?: number;
  at?: Joint;
}

const norm = (v: Joint): Joint => {
  const l = Math.hypot(...v);
  return [v[0] / l, v[1] / l, v[2] / l];
};
const add = (a: Joint, b: Joint, k = 1): Joint => [a[0] + b[0] * k, a[1] + b[1] * k, a[2] + b[2] * k];

function finger(x: number, curl: number): Joint[] {
  const meta: Joint = [x, 0.02, 0];
  const knuckle: Joint = [x * 1.2, 0.09, 0];
  const joints = [meta, knuckle];
  let angle = 0;
  for (const length of [0.045, 0.025, 0.02]) {
    angle += curl;
    joints.push(add(joints.at(-1)!, [0, Math.cos(angle), Math.sin(angle)], length));
  }
  return joints;
}

function hand(shape: HandShape): Joint[] {
  const fingers = [0.02, 0, -0.02, -0.038].map((x, i) => finger(x, shape.curl[i]!));
  const base: Joint = [0.03, 0.015, 0.015];
  const dir = norm(shape.thumbDir ?? [0.7, 0.7, 0.1]);
  const fold = norm([-0.6, 0.1, 0.8]);
  let thumb: Joint[] = [base];
  let angle = 0;
  for (const length of [0.04, 0.03, 0.025]) {
    angle += shape.thumbFold ?? 0;
    const d = norm(add([dir[0] * Math.cos(angle), dir[1] * Math.cos(angle), dir[2] * Math.cos(angle)], fold, Math.sin(angle)));
    thumb.push(add(thumb.at(-1)!, d, length));
  }
  if (shape.pinchGap !== undefined) {
    const indexTip = fingers[0]![4]!;
    const target = add(indexTip, [1, 0, 0], shape.pinchGap);
    thumb = [0, 0.4, 0.75, 1].map((t) => add(base, add(target, base, -1), t));
  }
  const joints: Joint[] = [[0, 0, 0], ...thumb, ...fingers.flat()];
  const roll = shape.roll ?? 0;
  const s = shape.scale ?? 1;
  const at = shape.at ?? [0.2, 1.2, -0.3];
  return joints.map(([x, y, z]) => [at[0] + s * (x * Math.cos(roll) - y * Math.sin(roll)), at[1] + s * (x * Math.sin(roll) + y * Math.cos(roll)), at[2] + s * z]);
}

const OPEN: HandShape = { curl: [0.05, 0.05, 0.05, 0.05] };
const FIST: HandShape = { curl: [1.4, 1.4, 1.4, 1.4], thumbFold: 0.9 };
// fingers curled, thumb out across the knuckles' line, the fist turned on its side so it points up
const THUMBS_UP: HandShape = { curl: [1.4, 1.4, 1.4, 1.4], thumbDir: [1, 0.25, 0.3], roll: Math.PI / 2 };

describe('XR hand gestures', () => {
  it('recognises an open palm, a fist, a thumbs-up and a pinch', () => {
    expect(classifyHand(hand(OPEN))).toMatchObject({ gesture: 'open_palm' });
    expect(classifyHand(hand(FIST))).toMatchObject({ gesture: 'fist' });
    expect(classifyHand(hand(THUMBS_UP))).toMatchObject({ gesture: 'thumbs_up' });
    expect(classifyHand(hand({ curl: [0.5, 0.3, 0.3, 0.3], pinchGap: 0.005 }))).toMatchObject({ gesture: 'pinch' });
  });

  it('does not care how big the hand is or where it is', () => {
    for (const shape of [OPEN, FIST, THUMBS_UP]) {
      const expected = classifyHand(hand(shape))!.gesture;
      expect(classifyHand(hand({ ...shape, scale: 0.8, at: [-1, 0.9, 2] }))?.gesture).toBe(expected);
      expect(classifyHand(hand({ ...shape, scale: 1.2 }))?.gesture).toBe(expected);
    }
  });

  it('near misses are not recognised', () => {
    // thumb and index tips 4 cm apart: reaching for a pinch, not pinching
    expect(gestureScores(hand({ curl: [0.5, 0.3, 0.3, 0.3], pinchGap: 0.04 })).pinch).toBeLessThan(0.5);
    // one finger half bent is not an open palm
    expect(classifyHand(hand({ curl: [0.05, 0.05, 0.6, 0.05] }))?.gesture).not.toBe('open_palm');
    // a claw (fingers half bent) is not a fist
    expect(classifyHand(hand({ curl: [0.5, 0.5, 0.5, 0.5], thumbFold: 0.9 }))).toBeNull();
    // a thumb held out sideways is not a thumbs-up, and not a fist either
    const sideways = classifyHand(hand({ ...THUMBS_UP, roll: 0 }));
    expect(sideways?.gesture).not.toBe('thumbs_up');
    expect(sideways?.gesture).not.toBe('fist');
    // a thumbs-down is not a thumbs-up
    expect(classifyHand(hand({ ...THUMBS_UP, roll: -Math.PI / 2 }))?.gesture).not.toBe('thumbs_up');
    // tilted 45° from upright, it is still a thumbs-up; tilted 70°, no longer
    expect(classifyHand(hand({ ...THUMBS_UP, roll: Math.PI / 4 }))?.gesture).toBe('thumbs_up');
    expect(classifyHand(hand({ ...THUMBS_UP, roll: Math.PI / 2 - 1.2 }))?.gesture).not.toBe('thumbs_up');
  });

  it('refuses joint data that is not a hand', () => {
    expect(() => gestureScores([])).toThrow(/25 joints/);
    expect(() => gestureScores(hand(OPEN).map((j, i) => (i === 3 ? ([NaN, 0, 0] as Joint) : j)))).toThrow(/finite/);
  });

  it('sees no gesture in joints not yet placed (all at one point), though the tips touch', () => {
    const unplaced = Array.from({ length: 25 }, () => [0, 1.5, -0.3] as Joint);
    expect(classifyHand(unplaced)).toBeNull();
    expect(gestureScores(unplaced)).toEqual({ pinch: 0, thumbs_up: 0, open_palm: 0, fist: 0 });
  });
});
