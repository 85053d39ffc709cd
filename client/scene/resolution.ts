/**
 * How many of the page's CSS pixels each drawn pixel covers (Babylon's hardware scaling level).
 *
 * The full tier draws every device pixel. The light tier exists for browsers that draw WebGL on
 * the CPU, where a frame's cost grows with its pixels: at 1280×720 a furnished room took about
 * 150 ms a frame there, a quarter of the pixels about 45 ms — the difference between a page that
 * lags behind the mouse and one that follows it. So the light tier draws at half the window's
 * size each way, and at every device pixel while a page is read up close, when sharp text is the
 * point and the view holds still (so it is drawn only when something changes).
 */
import type { GraphicsTier } from './graphics';

export const LIGHT_TIER_SCALE = 2;

export function drawingScale(tier: GraphicsTier, reading: boolean, devicePixelRatio: number): number {
  if (tier === 'full' || reading) return 1 / Math.max(1, devicePixelRatio);
  return LIGHT_TIER_SCALE;
}
