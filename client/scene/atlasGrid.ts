/**
 * Where panel faces live in the shared face atlas: pages cut into a grid of square units, a face
 * taking a block of whole units. Many faces on one page means one texture and one draw call for
 * all of them. Pure, so allocation, freeing and reuse are tested without a browser.
 */

/** A block of an atlas page, in pixels from the page's top-left. */
export interface AtlasSlot {
  page: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

export class AtlasGrid {
  /** Per page, which units are taken (row-major, `cols` × `rows`). */
  private readonly taken: Uint8Array[] = [];
  private readonly cols: number;
  private readonly rows: number;

  constructor(
    readonly pageWidth: number,
    readonly pageHeight: number,
    readonly unitPx: number,
  ) {
    const whole = (n: number) => n > 0 && n % unitPx === 0;
    if (!(unitPx > 0 && whole(pageWidth) && whole(pageHeight))) throw new Error(`an atlas page of ${pageWidth}×${pageHeight} px cannot be cut into units of ${unitPx} px`);
    this.cols = pageWidth / unitPx;
    this.rows = pageHeight / unitPx;
  }

  get pageCount(): number {
    return this.taken.length;
  }

  /** Units in use on a page (for tests and the benchmark's report). */
  usedUnits(page: number): number {
    return this.taken[page]?.reduce((n, u) => n + u, 0) ?? 0;
  }

  /**
   * A free block at least `width` × `height` pixels: the first that fits on the pages opened so
   * far, scanning each page top to bottom, else on a new page.
   */
  allocate(width: number, height: number): AtlasSlot {
    const w = Math.ceil(Math.max(1, width) / this.unitPx);
    const h = Math.ceil(Math.max(1, height) / this.unitPx);
    if (w > this.cols || h > this.rows) throw new Error(`a face of ${width}×${height} px does not fit an atlas page of ${this.pageWidth}×${this.pageHeight} px`);
    for (let page = 0; page <= this.taken.length; page++) {
      if (page === this.taken.length) this.taken.push(new Uint8Array(this.cols * this.rows));
      const at = this.findFree(page, w, h);
      if (!at) continue;
      this.mark(page, at.col, at.row, w, h, 1);
      return { page, x: at.col * this.unitPx, y: at.row * this.unitPx, width: w * this.unitPx, height: h * this.unitPx };
    }
    throw new Error('unreachable: a new page always has room');
  }

  /** Gives a block back; freeing one twice, or one this grid never gave, is an error. */
  free(slot: AtlasSlot): void {
    const units = this.taken[slot.page];
    const col = slot.x / this.unitPx;
    const row = slot.y / this.unitPx;
    const w = slot.width / this.unitPx;
    const h = slot.height / this.unitPx;
    if (!units || !this.isBlock(col, row, w, h)) throw new Error('not a block of this atlas');
    for (let r = row; r < row + h; r++) for (let c = col; c < col + w; c++) if (!units[r * this.cols + c]) throw new Error('this block is not in use');
    this.mark(slot.page, col, row, w, h, 0);
  }

  /** Whether a block of `width` × `height` pixels would take exactly the units `slot` has. */
  sameBlock(slot: AtlasSlot, width: number, height: number): boolean {
    return Math.ceil(Math.max(1, width) / this.unitPx) * this.unitPx === slot.width && Math.ceil(Math.max(1, height) / this.unitPx) * this.unitPx === slot.height;
  }

  private isBlock(col: number, row: number, w: number, h: number): boolean {
    const whole = [col, row, w, h].every((n) => Number.isInteger(n) && n >= 0);
    return whole && w > 0 && h > 0 && col + w <= this.cols && row + h <= this.rows;
  }

  private findFree(page: number, w: number, h: number): { col: number; row: number } | null {
    const units = this.taken[page]!;
    for (let row = 0; row + h <= this.rows; row++) {
      for (let col = 0; col + w <= this.cols; col++) {
        let clash = -1;
        for (let r = row; r < row + h && clash < 0; r++) {
          for (let c = col; c < col + w; c++) {
            if (units[r * this.cols + c]) {
              clash = c;
              break;
            }
          }
        }
        if (clash < 0) return { col, row };
        col = clash; // nothing starting before the clash can fit either
      }
    }
    return null;
  }

  private mark(page: number, col: number, row: number, w: number, h: number, value: 0 | 1): void {
    const units = this.taken[page]!;
    for (let r = row; r < row + h; r++) units.fill(value, r * this.cols + col, r * this.cols + col + w);
  }
}

/**
 * The texture rectangle [u0, v0, du, dv] of the `width` × `height` pixels at a slot's top-left,
 * as fractions of the page, with v running down the page as the canvas rows do. Half a texel is
 * trimmed on each side so filtering never reaches the neighbouring block.
 */
export function slotUvRect(slot: AtlasSlot, width: number, height: number, page: { width: number; height: number }): [number, number, number, number] {
  const w = Math.min(width, slot.width);
  const h = Math.min(height, slot.height);
  return [(slot.x + 0.5) / page.width, (slot.y + 0.5) / page.height, (w - 1) / page.width, (h - 1) / page.height];
}

/** The largest size of the same shape as `width` × `height` that fits in `maxWidth` × `maxHeight` (never larger). */
export function fitWithin(width: number, height: number, maxWidth: number, maxHeight: number): { width: number; height: number } {
  const k = Math.min(1, maxWidth / width, maxHeight / height);
  return { width: Math.max(1, Math.floor(width * k)), height: Math.max(1, Math.floor(height * k)) };
}
