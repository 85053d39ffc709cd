import { describe, expect, it } from 'vitest';
import { ROOM_HALF_SIZE } from '../../shared/model/worlds';
import type { Quat } from '../../shared/protocol';
import { VIGNETTE_STRENGTH, WALL_MARGIN, clampToRoom, easeVignette, headingAfterTeleport, vignetteTarget } from './locomotion';
import { multiplyQuat, yawOf, yawQuat } from './xrMaths';

describe('moving about comfortably in a headset', () => {
  it('keeps the head inside the walls, and a place inside where it is', () => {
    const limit = ROOM_HALF_SIZE - WALL_MARGIN;
    expect(clampToRoom(1.5, -2)).toEqual([1.5, -2]);
    expect(clampToRoom(20, -20)).toEqual([limit, -limit]);
    expect(clampToRoom(-limit - 0.01, limit + 0.01)).toEqual([-limit, limit]);
    expect(clampToRoom(Number.NaN, Number.POSITIVE_INFINITY)).toEqual([0, 0]);
    expect(clampToRoom(5, 5, 2, 0.5)).toEqual([1.5, 1.5]);
  });

  it('keeps the heading across teleports, adding only a turn the person chose', () => {
    // looking 40 degrees left and a little down
    const before: Quat = multiplyQuat(yawQuat((40 * Math.PI) / 180), [Math.sin(-0.1), 0, 0, Math.cos(-0.1)]);
    const once = headingAfterTeleport(before);
    const twice = headingAfterTeleport(once);
    expect(twice).toEqual(before);
    const turned = headingAfterTeleport(before, Math.PI / 2);
    expect((yawOf(turned) * 180) / Math.PI).toBeCloseTo(130, 6);
  });

  it('darkens the edge of the view while the stick walks or smoothly turns, not at rest or for snap turns', () => {
    expect(vignetteTarget([0, 0], 0, true)).toBe(0);
    expect(vignetteTarget([0.1, 0.05], 0.1, true), 'a resting stick drifts a little').toBe(0);
    expect(vignetteTarget([0, -1], 0, false)).toBeCloseTo(VIGNETTE_STRENGTH, 9);
    expect(vignetteTarget([0, 0], 1, true)).toBeCloseTo(VIGNETTE_STRENGTH, 9);
    expect(vignetteTarget([0, 0], 1, false)).toBe(0);
    const half = vignetteTarget([0, 0.575], 0, false);
    expect(half).toBeGreaterThan(0);
    expect(half).toBeLessThan(VIGNETTE_STRENGTH);
  });

  it('fades the ring in quickly and out gently, never past its target', () => {
    expect(easeVignette(0, 0.85, 0.05)).toBeCloseTo(0.3, 9);
    expect(easeVignette(0.8, 0.85, 0.05)).toBe(0.85);
    expect(easeVignette(0.85, 0, 0.05)).toBeCloseTo(0.7, 9);
    expect(easeVignette(0.1, 0, 0.05)).toBe(0);
    expect(easeVignette(0, 0.85, 5), 'a long stall is one short step').toBeCloseTo(0.6, 9);
  });
});
