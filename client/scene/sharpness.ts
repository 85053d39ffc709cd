/**
 * How sharp a panel's face is drawn: a page width in pixels (a tier) picked from how large the page
 * appears on screen, so text stays crisp up close without every panel across the room costing the
 * memory and drawing time of a close-up. Pure, so the choice is tested without a browser.
 */

/** Page widths a face is drawn at. Up to ATLAS_MAX_TIER it lives in the shared face atlas. */
export const PAGE_TIERS = [512, 1024, 2048, 3072] as const;
export const ATLAS_MAX_TIER = 1024;
/**
 * Texture pixels wanted per screen pixel: a little more than one, so a page seen at a slant or
 * leaned towards still has a texel for every pixel (mip-mapping takes care of the excess).
 */
const OVERSAMPLE = 1.5;
/** Back down a tier only once the tier below would be this comfortably enough. */
const DOWN_MARGIN = 0.75;
/** A close-up texture is at most this many pixels on a side (and never past the GPU's limit). */
export const CLOSE_UP_MAX_SIDE = 4096;

/** Screen pixels across one page of a panel: its width in metres seen from `distance` metres. */
export function projectedPagePx(pageWidthM: number, distance: number, focalPx: number): number {
  return (pageWidthM * focalPx) / Math.max(0.05, distance);
}

function ideal(wanted: number): number {
  return PAGE_TIERS.find((t) => t >= wanted) ?? PAGE_TIERS[PAGE_TIERS.length - 1]!;
}

/**
 * The tier for a page seen `projectedPx` wide, given the tier it has now (null: none yet). It goes
 * up as soon as the page would show blurred, and down only once it is well below the tier under
 * the current one, so a person swaying at a boundary does not make the face redraw back and forth.
 */
export function chooseTier(projectedPx: number, current: number | null): number {
  const wanted = Math.max(0, projectedPx) * OVERSAMPLE;
  if (current === null || !PAGE_TIERS.includes(current as (typeof PAGE_TIERS)[number])) return ideal(wanted);
  if (wanted > current) return ideal(wanted);
  const below = PAGE_TIERS.filter((t) => t < current).pop();
  if (below !== undefined && wanted < below * DOWN_MARGIN) return ideal(wanted);
  return current;
}

export interface CloseUpCandidate {
  id: string;
  tier: number;
  projectedPx: number;
  /** Whether it is in view at all: one behind you has no need of a close-up. */
  inView: boolean;
}

/**
 * The tier each panel is drawn at once close-ups are shared out: only the `max` largest panels in
 * view keep a tier above the atlas; every other is held at the atlas's best.
 */
export function grantCloseUps(candidates: readonly CloseUpCandidate[], max: number): Map<string, number> {
  const granted = new Set(
    candidates
      .filter((c) => c.tier > ATLAS_MAX_TIER && c.inView)
      .sort((a, b) => b.projectedPx - a.projectedPx)
      .slice(0, Math.max(0, max))
      .map((c) => c.id),
  );
  return new Map(candidates.map((c) => [c.id, granted.has(c.id) ? c.tier : Math.min(c.tier, ATLAS_MAX_TIER)]));
}

/**
 * The page width to draw a close-up at so the whole face (`slots` pages side by side, each
 * `heightPerWidth` page-widths tall with its footer) fits in `maxSide` pixels both ways.
 */
export function closeUpPageWidth(tier: number, slots: number, heightPerWidth: number, maxSide: number): number {
  const k = Math.min(1, maxSide / (tier * Math.max(1, slots)), maxSide / (tier * Math.max(0.01, heightPerWidth)));
  return Math.max(1, Math.floor(tier * k));
}
