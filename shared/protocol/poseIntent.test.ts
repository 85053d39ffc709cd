import { describe, expect, it } from 'vitest';
import { Intent } from './index';
import { fastPoseIntent } from './poseIntent';

const head = [1, 1.6, -2, 0, 0, 0, 1];
const hand = [1.2, 1.1, -1.8, 0.5, 0.5, 0.5, 0.5];

/** Values near every edge the schema has, and some it has not thought of. */
function hostileValues(): unknown[] {
  const numbers = [0, -0, 1, -1, 1.0001, -1.0001, 1.0002, 500, -500, 500.0001, NaN, Infinity, -Infinity, '1', null, undefined, true, 1n];
  const poses: unknown[] = [head, hand, null, undefined, [], head.slice(0, 6), [...head, 0], 'pose', { 0: 1 }, new Float32Array(7)];
  for (let i = 0; i < 7; i++) for (const n of numbers) poses.push(head.map((v, k) => (k === i ? n : v)));
  const values: unknown[] = [null, undefined, 7, 'pose', [], [head], Object.create(null), new Map()];
  for (const p of poses) {
    values.push({ type: 'pose', head: p, left: null, right: null });
    values.push({ type: 'pose', head, left: p, right: hand });
    values.push({ type: 'pose', head, left: null, right: p });
  }
  for (const device of ['vr', 'desktop', 'ar', 'mobile', 'VR', '', undefined, null, 3, ['vr']]) values.push({ type: 'pose', head, left: null, right: null, device });
  values.push({ type: 'pose', head, left: null });
  values.push({ type: 'pose', head, right: null });
  values.push({ type: 'grab', head, left: null, right: null });
  values.push({ type: 'pose', head, left: null, right: null, extra: 1 });
  values.push({ type: 'pose', head, left: null, right: null, __proto__: { device: 'vr' } });
  values.push(JSON.parse('{"type":"pose","head":[1,1.6,-2,0,0,0,1],"left":null,"right":null,"__proto__":{"x":1}}'));
  const inherited = Object.create({ right: null }) as Record<string, unknown>;
  Object.assign(inherited, { type: 'pose', head, left: null });
  values.push(inherited);
  return values;
}

describe('the pose intent read without the schema library', () => {
  it('accepts only what the schema accepts, and gives the same value', () => {
    let accepted = 0;
    for (const value of hostileValues()) {
      const fast = fastPoseIntent(value);
      const schema = Intent.safeParse(value);
      if (fast === undefined) continue;
      accepted++;
      expect(schema.success, JSON.stringify(value)).toBe(true);
      expect(fast).toEqual(schema.data);
    }
    // it is a fast path, not a refusal of everything
    expect(accepted).toBeGreaterThan(20);
  });

  it('takes a sound pose of every kind', () => {
    expect(fastPoseIntent({ type: 'pose', head, left: hand, right: hand, device: 'vr' })).toEqual({ type: 'pose', head, left: hand, right: hand, device: 'vr' });
    expect(fastPoseIntent({ type: 'pose', head, left: null, right: null })).toEqual({ type: 'pose', head, left: null, right: null });
  });

  it('copies the poses: changing the message afterwards changes nothing taken', () => {
    const message = { type: 'pose', head: [...head], left: null, right: null };
    const taken = fastPoseIntent(message)!;
    message.head[0] = 99;
    expect(taken.head[0]).toBe(1);
  });
});
