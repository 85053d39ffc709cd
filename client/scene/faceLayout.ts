/**
 * The geometry of a panel's face: one or more page slots side by side (the spread), with a footer
 * strip under them, and the mapping between a point on the face and a point on one of its pages.
 * Pure, so the mapping that places notes is tested without a scene.
 */

/** A page is scaled to fit a square of this many metres (a Letter page: 0.93 × 1.2 m). */
export const PAGE_BOX_M = 1.2;
/** Height of the footer strip, as a share of one page's width. */
export const FOOTER_RATIO = 0.055;

export interface FaceLayout {
  /** Width / height of one page slot. */
  pageAspect: number;
  /** Page slots side by side. */
  slots: number;
  /** Whether a footer strip (title, "page N of M") runs under the pages. */
  footer: boolean;
}

/** Size of one page in metres: as large as fits the page box, at the page's aspect. */
export function pageSizeMetres(aspect: number): { width: number; height: number } {
  const a = aspect > 0 && Number.isFinite(aspect) ? aspect : 1;
  return a >= 1 ? { width: PAGE_BOX_M, height: PAGE_BOX_M / a } : { width: PAGE_BOX_M * a, height: PAGE_BOX_M };
}

/** Height of the whole face in units of one page's width. */
function faceHeightInPageWidths(layout: FaceLayout): number {
  return 1 / layout.pageAspect + (layout.footer ? FOOTER_RATIO : 0);
}

export function faceSizeMetres(layout: FaceLayout): { width: number; height: number } {
  const page = pageSizeMetres(layout.pageAspect);
  return { width: page.width * layout.slots, height: page.width * faceHeightInPageWidths(layout) };
}

/** Pixel size of the face when each page is drawn `pageWidth` pixels wide. */
export function facePixels(layout: FaceLayout, pageWidth: number): { width: number; height: number; pageHeight: number; footerHeight: number } {
  const pageHeight = Math.round(pageWidth / layout.pageAspect);
  const footerHeight = layout.footer ? Math.round(pageWidth * FOOTER_RATIO) : 0;
  return { width: pageWidth * layout.slots, height: pageHeight + footerHeight, pageHeight, footerHeight };
}

/** A point on a page: which slot of the spread, and u, v from the page's top-left (0..1). */
export interface PagePoint {
  slot: number;
  u: number;
  v: number;
}

/**
 * The page point under a face point (fu, fv from the face's top-left, 0..1), or null when it is in
 * the footer or off the face.
 */
export function faceToPage(layout: FaceLayout, fu: number, fv: number): PagePoint | null {
  if (!(fu >= 0 && fu <= 1 && fv >= 0 && fv <= 1)) return null;
  const across = fu * layout.slots;
  const slot = Math.min(layout.slots - 1, Math.floor(across));
  const down = fv * faceHeightInPageWidths(layout);
  const pageHeight = 1 / layout.pageAspect;
  if (down > pageHeight) return null;
  return { slot, u: across - slot, v: down / pageHeight };
}

/** The face point (fu, fv) of a point on the page in `slot`. */
export function pageToFace(layout: FaceLayout, point: PagePoint): { fu: number; fv: number } {
  const pageHeight = 1 / layout.pageAspect;
  return { fu: (point.slot + point.u) / layout.slots, fv: (point.v * pageHeight) / faceHeightInPageWidths(layout) };
}

/** The pages a spread shows, first to last; pages past the end are left out. 0 = count unknown. */
export function shownPages(page: number, spread: number, count: number): number[] {
  const first = clampPage(page, count);
  const out: number[] = [];
  for (let p = first; p < first + Math.max(1, spread); p++) if (count === 0 || p <= count) out.push(p);
  return out;
}

/** A page number that exists: 1..count (or at least 1 while the count is unknown). */
export function clampPage(page: number, count: number): number {
  const p = Math.max(1, Math.floor(page) || 1);
  return count > 0 ? Math.min(p, count) : p;
}

/** The first page after turning forward (+1) or back (-1) by a whole spread; unchanged at the ends. */
export function turnPage(page: number, spread: number, count: number, direction: 1 | -1): number {
  const step = Math.max(1, spread);
  const current = clampPage(page, count);
  if (direction < 0) return Math.max(1, current - step);
  const next = current + step;
  return count > 0 && next > count ? current : next;
}

/** Spread toggle of the page controls: one page ↔ two pages. */
export function toggledSpread(spread: number): number {
  return spread > 1 ? 1 : 2;
}

/** Where a note is drawn on the face, in face coordinates (0..1 from the top-left). */
export interface NoteBox {
  id: string;
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** The note drawn at a face point, if any; the last drawn (topmost) wins where notes overlap. */
export function hitNote(boxes: readonly NoteBox[], fu: number, fv: number): string | null {
  for (let i = boxes.length - 1; i >= 0; i--) {
    const b = boxes[i]!;
    if (fu >= b.left && fu <= b.right && fv >= b.top && fv <= b.bottom) return b.id;
  }
  return null;
}
