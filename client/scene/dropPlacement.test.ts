import { describe, expect, it } from 'vitest';
import type { Quat, Vec3 } from '../../shared/protocol';
import { DropTarget, FLOOR_DROP_HEIGHT, IN_FRONT_DISTANCE, WALL_GAP, facing, placementForRay, placementInFront } from './dropPlacement';

const room = { halfSize: 8, height: 4 };
const eye: Vec3 = [0, 1.6, 2];
const halfHeight = 0.6;

/** Where a rotation sends the panel's readable side (+Z), on the floor plane. */
function front(q: Quat): [number, number] {
  const [x, y, z, w] = q;
  // (0, 0, 1) rotated by q: only x and z matter on the floor plane
  return [2 * (x * z + w * y), 1 - 2 * (x * x + y * y)];
}

describe('placementForRay', () => {
  it('hangs a document dropped on the front wall just in front of it, facing into the room', () => {
    const p = placementForRay(eye, [0, 0, -1], room, halfHeight);
    expect(p.target).toBe(DropTarget.WALL);
    expect(p.position[2]).toBeCloseTo(-room.halfSize + WALL_GAP, 9);
    expect(p.position[1]).toBeCloseTo(1.6, 9);
    const [fx, fz] = front(p.rotation);
    expect(fx).toBeCloseTo(0, 9);
    expect(fz).toBeCloseTo(1, 9);
  });

  it('faces a document on a side wall into the room', () => {
    const left = placementForRay(eye, [-1, 0.05, 0], room, halfHeight);
    expect(left.target).toBe(DropTarget.WALL);
    expect(left.position[0]).toBeCloseTo(-room.halfSize + WALL_GAP, 9);
    expect(front(left.rotation)[0]).toBeCloseTo(1, 9);
    const right = placementForRay(eye, [1, 0, 0.2], room, halfHeight);
    expect(front(right.rotation)[0]).toBeCloseTo(-1, 9);
  });

  it('keeps a document hung low on a wall above the floor', () => {
    const p = placementForRay([0, 1.6, 6], [0, -0.1, -1], room, halfHeight);
    expect(p.target).toBe(DropTarget.WALL);
    expect(p.position[1]).toBeGreaterThanOrEqual(halfHeight);
  });

  it('stands a document dropped on the floor up at reading height, facing the eye', () => {
    const p = placementForRay(eye, [0, -1, -1], room, halfHeight);
    expect(p.target).toBe(DropTarget.FLOOR);
    expect(p.position[1]).toBe(FLOOR_DROP_HEIGHT);
    expect(p.position[2]).toBeCloseTo(2 - 1.6, 9);
    const [fx, fz] = front(p.rotation);
    expect(fx).toBeCloseTo(0, 9);
    expect(fz).toBeCloseTo(1, 9);
  });

  it('puts a drop towards the ceiling in front of the eye, inside the room', () => {
    const p = placementForRay(eye, [0, 1, -0.2], room, halfHeight);
    expect(p.target).toBe(DropTarget.NONE);
    const d = Math.hypot(p.position[0] - eye[0], p.position[2] - eye[2]);
    expect(d).toBeLessThanOrEqual(IN_FRONT_DISTANCE);
    expect(p.position[1] + halfHeight).toBeLessThanOrEqual(room.height);
  });
});

describe('placementInFront', () => {
  it('places the document two metres ahead, level with the eye, facing it', () => {
    const p = placementInFront(eye, [0, -0.3, -1], room, halfHeight);
    expect(p.position[0]).toBeCloseTo(0, 9);
    expect(p.position[2]).toBeCloseTo(2 - IN_FRONT_DISTANCE, 9);
    expect(p.position[1]).toBeCloseTo(1.5, 9);
    expect(front(p.rotation)[1]).toBeCloseTo(1, 9);
  });

  it('stays inside the walls when the eye stands close to one', () => {
    const p = placementInFront([7.5, 1.6, 0], [1, 0, 0], room, halfHeight);
    expect(p.position[0]).toBeLessThanOrEqual(room.halfSize - WALL_GAP);
  });
});

describe('facing', () => {
  it('is the identity for +Z and a half turn for -Z', () => {
    expect(facing(0, 1)).toEqual([0, 0, 0, 1]);
    const back = facing(0, -1);
    expect(Math.abs(back[1])).toBeCloseTo(1, 9);
  });
});
