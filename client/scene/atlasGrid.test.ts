import { describe, expect, it } from 'vitest';
import { AtlasGrid, fitWithin, slotUvRect, type AtlasSlot } from './atlasGrid';

const overlaps = (a: AtlasSlot, b: AtlasSlot) =>
  a.page === b.page && a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe('AtlasGrid', () => {
  it('rounds a face up to whole units and packs faces side by side on one page', () => {
    const grid = new AtlasGrid(2048, 2048, 128);
    const a = grid.allocate(512, 691);
    expect(a).toEqual({ page: 0, x: 0, y: 0, width: 512, height: 768 });
    const b = grid.allocate(512, 691);
    expect(b).toEqual({ page: 0, x: 512, y: 0, width: 512, height: 768 });
    expect(grid.usedUnits(0)).toBe(2 * 4 * 6);
  });

  it('never hands out overlapping blocks, and opens a new page only when a page is full', () => {
    const grid = new AtlasGrid(2048, 2048, 128);
    const slots = Array.from({ length: 200 }, (_, i) => grid.allocate(i % 3 === 0 ? 1024 : 512, i % 2 ? 691 : 300));
    for (let i = 0; i < slots.length; i++) for (let j = i + 1; j < slots.length; j++) expect(overlaps(slots[i]!, slots[j]!), `${i} and ${j}`).toBe(false);
    for (const s of slots) expect(s.x + s.width <= 2048 && s.y + s.height <= 2048).toBe(true);
    // 2048² in 128 px units is 256 units a page; a new page opens only when the last could not take a face
    expect(grid.pageCount).toBeGreaterThan(1);
    for (let p = 0; p < grid.pageCount - 1; p++) expect(grid.usedUnits(p)).toBeGreaterThan(256 * 0.6);
  });

  it('reuses a freed block for the next face that fits it, before opening a new page', () => {
    const grid = new AtlasGrid(1024, 1024, 256);
    const slots = Array.from({ length: 16 }, () => grid.allocate(256, 256));
    expect(grid.pageCount).toBe(1);
    grid.free(slots[5]!);
    expect(grid.allocate(200, 100)).toEqual(slots[5]);
    expect(grid.pageCount).toBe(1);
    expect(grid.allocate(10, 10).page).toBe(1);
  });

  it('refuses to free a block twice or one it never gave', () => {
    const grid = new AtlasGrid(1024, 1024, 256);
    const slot = grid.allocate(300, 300);
    grid.free(slot);
    expect(() => grid.free(slot)).toThrow(/not in use/);
    expect(() => grid.free({ page: 0, x: 100, y: 0, width: 256, height: 256 })).toThrow(/not a block/);
    expect(() => grid.free({ page: 3, x: 0, y: 0, width: 256, height: 256 })).toThrow(/not a block/);
  });

  it('packs tall pages by their own width and height', () => {
    // far Letter faces (512×690) on 2048×4096 pages: four across, five down
    const grid = new AtlasGrid(2048, 4096, 128);
    const slots = Array.from({ length: 21 }, () => grid.allocate(512, 690));
    expect(slots.filter((s) => s.page === 0)).toHaveLength(20);
    expect(slots[20]!.page).toBe(1);
    expect(Math.max(...slots.map((s) => s.y + s.height))).toBeLessThanOrEqual(4096);
  });

  it('refuses a face larger than a page, and a page that units do not divide', () => {
    expect(() => new AtlasGrid(2048, 2048, 128).allocate(2049, 10)).toThrow(/does not fit/);
    expect(() => new AtlasGrid(2048, 4096, 128).allocate(10, 4097)).toThrow(/does not fit/);
    expect(() => new AtlasGrid(1000, 1024, 128)).toThrow(/cannot be cut/);
  });

  it('tells whether a new size still takes the same block, so a redraw can stay in place', () => {
    const grid = new AtlasGrid(2048, 2048, 128);
    const slot = grid.allocate(512, 691);
    expect(grid.sameBlock(slot, 500, 700)).toBe(true);
    expect(grid.sameBlock(slot, 1024, 691)).toBe(false);
  });
});

describe('slotUvRect', () => {
  it('covers the used pixels of the block, half a texel inside, as fractions of the page', () => {
    const [u, v, du, dv] = slotUvRect({ page: 0, x: 512, y: 1024, width: 512, height: 768 }, 512, 691, { width: 2048, height: 4096 });
    expect(u).toBeCloseTo(512.5 / 2048, 9);
    expect(v).toBeCloseTo(1024.5 / 4096, 9);
    expect(du).toBeCloseTo(511 / 2048, 9);
    expect(dv).toBeCloseTo(690 / 4096, 9);
  });
});

describe('fitWithin', () => {
  it('keeps sizes that fit, and shrinks larger ones keeping their shape', () => {
    expect(fitWithin(1024, 1381, 2048, 4096)).toEqual({ width: 1024, height: 1381 });
    expect(fitWithin(4096, 1381, 2048, 4096)).toEqual({ width: 2048, height: 690 });
    expect(fitWithin(1000, 5000, 2048, 4096)).toEqual({ width: 819, height: 4096 });
  });
});
