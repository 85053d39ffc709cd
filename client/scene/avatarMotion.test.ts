import { describe, expect, it } from 'vitest';
import { TORSO_DEADBAND, WALK_START, bodyMotion, followYaw, newGait, stepGait, talkMotion, wrapAngle } from './avatarMotion';

const DEG = Math.PI / 180;

/** Runs the torso for `seconds` at 60 fps towards a fixed head yaw. */
function settle(torso: number, head: number, seconds: number, walking = false): number {
  let s = { yaw: torso, turning: false };
  for (let i = 0; i < seconds * 60; i++) s = followYaw(s.yaw, head, 1 / 60, s.turning, walking);
  return s.yaw;
}

describe('wrapAngle', () => {
  it('keeps angles in (-π, π]', () => {
    expect(wrapAngle(3 * Math.PI)).toBeCloseTo(Math.PI);
    expect(wrapAngle(-3 * Math.PI / 2)).toBeCloseTo(Math.PI / 2);
    expect(wrapAngle(0.5)).toBeCloseTo(0.5);
  });
});

describe('followYaw', () => {
  it('does not turn the torso for a glance inside the dead band', () => {
    expect(settle(0, TORSO_DEADBAND - 5 * DEG, 2)).toBe(0);
  });
  it('turns the torso after the head once the head turns far, and ends facing nearly the same way', () => {
    const yaw = settle(0, 90 * DEG, 2);
    expect(Math.abs(wrapAngle(90 * DEG - yaw))).toBeLessThan(TORSO_DEADBAND / 6 + 1e-6);
  });
  it('lags: one frame after a big turn it has not arrived', () => {
    const s = followYaw(0, 90 * DEG, 1 / 60, false, false);
    expect(s.yaw).toBeGreaterThan(0);
    expect(s.yaw).toBeLessThan(20 * DEG);
  });
  it('turns the short way across ±180°', () => {
    const s = followYaw(170 * DEG, -150 * DEG, 1 / 60, false, false);
    expect(wrapAngle(s.yaw - 170 * DEG)).toBeGreaterThan(0);
  });
  it('faces the way of walking even for a small gap', () => {
    expect(settle(0, 20 * DEG, 2, true)).toBeCloseTo(20 * DEG, 2);
  });
});

/** Walks the head along x at `speed` m/s for `seconds`, at 20 fps. */
function walk(speed: number, seconds: number, g = newGait()) {
  for (let i = 0; i < seconds * 20; i++) g = stepGait(g, g.x + speed / 20, g.z, 1 / 20);
  return g;
}

describe('walk detection', () => {
  it('calls a steady 1 m/s walking and standing still not', () => {
    expect(walk(1, 1).walking).toBe(true);
    expect(walk(0, 1).walking).toBe(false);
  });
  it('does not call a slow shuffle (leaning in a headset) walking', () => {
    expect(walk(WALK_START * 0.5, 2).walking).toBe(false);
  });
  it('stops soon after the head stops', () => {
    expect(walk(0, 1, walk(1, 1)).walking).toBe(false);
  });
  it('does not call a teleport walking', () => {
    const g = stepGait(newGait(), 5, 0, 1 / 60);
    expect(g.walking).toBe(false);
    expect(g.speed).toBe(0);
  });
  it('bobs and swings hands while walking; standing only breathes', () => {
    const walking = walk(1, 1.13);
    const m = bodyMotion(walking);
    expect(m.bob).toBeGreaterThan(0);
    expect(Math.abs(m.swing)).toBeGreaterThan(0);
    const still = bodyMotion(walk(0, 1));
    expect(still).toMatchObject({ bob: 0, sway: 0, swing: 0 });
    expect(Math.abs(still.breath - 1)).toBeLessThan(0.02);
  });
});

describe('talkMotion', () => {
  it('is still when silent and opens the mouth when talking', () => {
    expect(talkMotion(0, 1)).toEqual({ nod: 0, mouth: 0 });
    expect(talkMotion(1, 1).mouth).toBeGreaterThan(0.5);
    expect(talkMotion(5, 1).mouth).toBeLessThanOrEqual(1);
  });
});
