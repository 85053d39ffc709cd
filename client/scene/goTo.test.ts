import { describe, expect, it } from 'vitest';
import { ROOM_HALF_SIZE } from '../../shared/model/worlds';
import { GO_TO_DISTANCE, spotNear } from './goTo';

const facing = (yaw: number) => [-Math.sin(yaw), -Math.cos(yaw)] as const;

describe('going to someone', () => {
  it('stops a little short of them on the side one comes from, facing them', () => {
    const spot = spotNear([0, 5], [0, -2]);
    expect(spot.x).toBeCloseTo(0);
    expect(spot.z).toBeCloseTo(-2 + GO_TO_DISTANCE);
    const [fx, fz] = facing(spot.yaw);
    expect(fx).toBeCloseTo(0);
    expect(fz).toBeCloseTo(-1);
  });

  it('faces them from any side', () => {
    for (const me of [[5, 0], [-3, -4], [2, 7]] as const) {
      const them = [1, 1] as const;
      const spot = spotNear(me, them);
      expect(Math.hypot(spot.x - them[0], spot.z - them[1])).toBeCloseTo(GO_TO_DISTANCE);
      const [fx, fz] = facing(spot.yaw);
      expect(fx).toBeCloseTo((them[0] - spot.x) / GO_TO_DISTANCE);
      expect(fz).toBeCloseTo((them[1] - spot.z) / GO_TO_DISTANCE);
    }
  });

  it('stands in front of them, where they look, when that is inside the room', () => {
    // they look down +X (yaw -90°): the spot is on their +X side whichever side one comes from
    const spot = spotNear([-5, 0], [0, 0], -Math.PI / 2);
    expect(spot.x).toBeCloseTo(GO_TO_DISTANCE);
    expect(spot.z).toBeCloseTo(0);
    const [fx, fz] = facing(spot.yaw);
    expect(fx).toBeCloseTo(-1);
    expect(fz).toBeCloseTo(0);
    // facing a wall close by: from the side one comes from instead
    const byWall = spotNear([0, 3], [0, -ROOM_HALF_SIZE + 0.5], 0);
    expect(byWall.z).toBeCloseTo(-ROOM_HALF_SIZE + 0.5 + GO_TO_DISTANCE);
  });

  it('keeps inside the room, and copes with standing on them already', () => {
    const spot = spotNear([0, 0], [ROOM_HALF_SIZE - 0.2, 0]);
    expect(Math.abs(spot.x)).toBeLessThan(ROOM_HALF_SIZE);
    const same = spotNear([2, 2], [2, 2]);
    expect([same.x, same.z]).toEqual([2, 2 + GO_TO_DISTANCE]);
    expect(Number.isFinite(same.yaw)).toBe(true);
  });
});
