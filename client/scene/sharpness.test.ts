import { describe, expect, it } from 'vitest';
import { ATLAS_MAX_TIER, chooseTier, closeUpPageWidth, grantCloseUps, projectedPagePx } from './sharpness';

describe('chooseTier', () => {
  it('starts at the smallest tier that gives every screen pixel a texel and a half', () => {
    expect(chooseTier(100, null)).toBe(512);
    expect(chooseTier(340, null)).toBe(512);
    expect(chooseTier(400, null)).toBe(1024);
    expect(chooseTier(1000, null)).toBe(2048);
    expect(chooseTier(5000, null)).toBe(3072);
  });

  it('goes up as soon as the page would be magnified', () => {
    expect(chooseTier(341, 512)).toBe(512);
    expect(chooseTier(342, 512)).toBe(1024);
    expect(chooseTier(1300, 512)).toBe(2048);
  });

  it('comes down only well below the tier under it, so swaying at a boundary does not redraw', () => {
    // just under the boundary that raised it, it stays
    expect(chooseTier(330, 1024)).toBe(1024);
    expect(chooseTier(260, 1024)).toBe(1024);
    expect(chooseTier(250, 1024)).toBe(512);
    // a page far off drops straight to the lowest tier
    expect(chooseTier(50, 3072)).toBe(512);
    // back and forth across one boundary keeps one tier
    let tier = chooseTier(345, null);
    for (const px of [335, 345, 330, 350, 300]) tier = chooseTier(px, tier);
    expect(tier).toBe(1024);
  });
});

describe('grantCloseUps', () => {
  it('gives the close-up tier only to the largest panels in view, the rest stay in the atlas', () => {
    const tiers = grantCloseUps(
      [
        { id: 'a', tier: 2048, projectedPx: 900, inView: true },
        { id: 'b', tier: 3072, projectedPx: 1500, inView: false },
        { id: 'c', tier: 2048, projectedPx: 1100, inView: true },
        { id: 'd', tier: 512, projectedPx: 100, inView: true },
      ],
      1,
    );
    expect(Object.fromEntries(tiers)).toEqual({ a: ATLAS_MAX_TIER, b: ATLAS_MAX_TIER, c: 2048, d: 512 });
  });
});

describe('closeUpPageWidth', () => {
  it('keeps the whole face within the side limit', () => {
    expect(closeUpPageWidth(2048, 1, 1.35, 4096)).toBe(2048);
    expect(closeUpPageWidth(3072, 1, 1.35, 4096)).toBe(Math.floor(4096 / 1.35));
    expect(closeUpPageWidth(3072, 2, 1.35, 4096)).toBe(2048);
  });
});

describe('projectedPagePx', () => {
  it('halves with twice the distance', () => {
    expect(projectedPagePx(0.93, 1, 732)).toBeCloseTo(680.8, 1);
    expect(projectedPagePx(0.93, 2, 732)).toBeCloseTo(340.4, 1);
  });
});
