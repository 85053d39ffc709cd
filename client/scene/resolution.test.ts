import { describe, expect, it } from 'vitest';
import { drawingScale, LIGHT_TIER_SCALE } from './resolution';

describe('drawing resolution', () => {
  it('draws every device pixel in the full tier', () => {
    expect(drawingScale('full', false, 1)).toBe(1);
    expect(drawingScale('full', false, 2)).toBe(0.5);
    expect(drawingScale('full', true, 3)).toBeCloseTo(1 / 3);
  });

  it('draws the light tier at half size each way, and at every device pixel while a page is read', () => {
    expect(drawingScale('light', false, 1)).toBe(LIGHT_TIER_SCALE);
    expect(LIGHT_TIER_SCALE).toBe(2);
    expect(drawingScale('light', false, 3)).toBe(2);
    expect(drawingScale('light', true, 1)).toBe(1);
    expect(drawingScale('light', true, 2)).toBe(0.5);
  });
});
