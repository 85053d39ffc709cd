import { describe, expect, it } from 'vitest';
import { MAX_DOWN, OPEN_DISTANCE_M, menuPose } from './menuPlacement';

const deg = (r: number) => (r * 180) / Math.PI;

describe('where the menu opens', () => {
  it('looking ahead: 60 cm away, 15 cm below the eyes, facing them', () => {
    const p = menuPose([0, 1.6, 0], [0, 0, -1], 1);
    expect(Math.hypot(p.position[0], p.position[1] - 1.6, p.position[2])).toBeCloseTo(OPEN_DISTANCE_M, 5);
    expect(p.position[1]).toBeCloseTo(1.6 - 0.6 * Math.sin(Math.atan2(0.15, 0.6)), 5);
    expect(p.position[2]).toBeLessThan(0);
    // the face (+Z turned by yaw) points back along +z, at the person
    expect(Math.cos(p.yaw)).toBeCloseTo(1, 5);
    expect(deg(p.pitch)).toBeCloseTo(-deg(Math.atan2(0.15, 0.6)), 5);
  });

  it('looking down at a table it opens lower, tilted up to the eyes; looking up it stays below the line of sight', () => {
    const down = menuPose([0, 1.6, 0], [0, -Math.SQRT1_2, -Math.SQRT1_2], 1);
    expect(down.pitch).toBeCloseTo(-MAX_DOWN, 5);
    expect(down.position[1]).toBeLessThan(1.6 - 0.4);
    const up = menuPose([0, 1.6, 0], [0, 0.8, -0.6], 1);
    expect(up.position[1]).toBeLessThan(1.6);
  });

  it('keeps its real distance in a world scaled for the AR miniature, and faces the way the person faces', () => {
    const p = menuPose([1, 2, 3], [1, 0, 0], 10);
    expect(Math.hypot(p.position[0] - 1, p.position[1] - 2, p.position[2] - 3)).toBeCloseTo(OPEN_DISTANCE_M * 10, 5);
    expect(p.position[0]).toBeGreaterThan(1);
    // the face (+Z turned by yaw) points back along -x, at the person
    expect(Math.sin(p.yaw)).toBeCloseTo(-1, 5);
  });
});
