import { describe, expect, it } from 'vitest';
import type { Quat, Vec3 } from '../../shared/protocol';
import { MAX_SCALE, MIN_SCALE } from '../../shared/protocol';
import { HIGHEST, LOWEST, MAX_TILT, READING_ANGLE, READING_DISTANCE, heldPose, levelRotation, readingScale, twoHandScale, wrapAngle } from './holdComfort';

/** A vector turned by a unit quaternion. */
function rotate(q: Quat, v: Vec3): Vec3 {
  const [x, y, z, w] = q;
  const [vx, vy, vz] = v;
  const tx = 2 * (y * vz - z * vy);
  const ty = 2 * (z * vx - x * vz);
  const tz = 2 * (x * vy - y * vx);
  return [vx + w * tx + (y * tz - z * ty), vy + w * ty + (z * tx - x * tz), vz + w * tz + (x * ty - y * tx)];
}
const dist = (a: Vec3, b: Vec3) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
const deg = (r: number) => (r * 180) / Math.PI;

describe('holding a document to read in a headset', () => {
  const head: Vec3 = [1, 1.6, 2];

  it('brings the panel to reading distance towards the hand, facing the head, never rolled', () => {
    // the hand 45 cm ahead (down -Z) and a little to the right and below
    const pose = heldPose(head, [1.15, 1.35, 1.6], 0);
    expect(dist(pose.position, head)).toBeCloseTo(READING_DISTANCE, 6);
    // the readable side (+Z) faces back towards the head
    const normal = rotate(pose.rotation, [0, 0, 1]);
    const toHead: Vec3 = [head[0] - pose.position[0], head[1] - pose.position[1], head[2] - pose.position[2]];
    const cos = (normal[0] * toHead[0] + normal[1] * toHead[1] + normal[2] * toHead[2]) / Math.hypot(...toHead);
    expect(cos).toBeGreaterThan(Math.cos((MAX_TILT * Math.PI) / 180) - 1e-6);
    // its sideways axis stays level: no roll
    expect(rotate(pose.rotation, [1, 0, 0])[1]).toBeCloseTo(0, 9);
    // below the eyes it leans back towards them, but no more than MAX_TILT
    const up = rotate(pose.rotation, [0, 1, 0]);
    expect(up[1]).toBeGreaterThanOrEqual(Math.cos((MAX_TILT * Math.PI) / 180) - 1e-9);
    expect(normal[1]).toBeGreaterThan(0);
  });

  it('keeps a hand held low or high within a comfortable band around eye level', () => {
    const low = heldPose(head, [1, 0.6, 1.9], 0);
    expect(deg(Math.asin((low.position[1] - head[1]) / READING_DISTANCE))).toBeCloseTo(LOWEST, 6);
    const high = heldPose(head, [1, 2.6, 1.9], 0);
    expect(deg(Math.asin((high.position[1] - head[1]) / READING_DISTANCE))).toBeCloseTo(HIGHEST, 6);
    // a hand 30 degrees below the eyes holds the panel's lower edge: its centre is half the reading angle higher
    const held = heldPose(head, [1, 1.6 - 0.4 * Math.tan(Math.PI / 6), 1.6], 0);
    expect(deg(Math.asin((held.position[1] - head[1]) / READING_DISTANCE))).toBeCloseTo(-30 + READING_ANGLE / 2, 6);
    // a hand at the head still gives a spot straight ahead
    const same = heldPose(head, head, 0);
    expect(same.position[0]).toBeCloseTo(head[0], 6);
    expect(same.position[2]).toBeCloseTo(head[2] - READING_DISTANCE * Math.cos((HIGHEST * Math.PI) / 180), 6);
  });

  it('turns with the hand about the vertical only, and lets go level', () => {
    const straight = heldPose(head, [1, 1.6, 1], 0);
    expect(straight.yaw).toBeCloseTo(0, 9);
    const turned = heldPose(head, [1, 1.6, 1], Math.PI / 6);
    expect(turned.yaw).toBeCloseTo(Math.PI / 6, 9);
    expect(turned.position).toEqual(straight.position);
    const level = levelRotation(turned.yaw);
    expect(rotate(level, [0, 1, 0])).toEqual([expect.closeTo(0, 9), expect.closeTo(1, 9), expect.closeTo(0, 9)]);
    expect(rotate(level, [1, 0, 0])[1]).toBeCloseTo(0, 9);
    expect(wrapAngle(2.5 * Math.PI)).toBeCloseTo(Math.PI / 2, 9);
    expect(wrapAngle(-Math.PI / 2 - 2 * Math.PI)).toBeCloseTo(-Math.PI / 2, 9);
  });

  it('sizes the panel to span the reading angle, within what the server accepts', () => {
    // the Welcome panel: 1.2 m tall at scale 1
    const s = readingScale(0.6);
    const span = 2 * Math.atan((0.6 * s) / READING_DISTANCE);
    expect(deg(span)).toBeCloseTo(READING_ANGLE, 6);
    expect(readingScale(100)).toBe(MIN_SCALE);
    expect(readingScale(0.001)).toBe(MAX_SCALE);
  });

  it('scales by how far apart two hands move, within bounds', () => {
    expect(twoHandScale(0.5, 0.3, 0.6)).toBeCloseTo(1, 9);
    expect(twoHandScale(0.5, 0.3, 0.15)).toBeCloseTo(0.25, 9);
    expect(twoHandScale(0.5, 0.3, 30)).toBe(MAX_SCALE);
    expect(twoHandScale(0.5, 0.3, 0.001)).toBe(MIN_SCALE);
    expect(twoHandScale(0.5, 0, 1), 'hands that started together do not blow it up').toBe(0.5);
    expect(twoHandScale(0.5, 0.3, Number.NaN)).toBe(0.5);
  });
});
