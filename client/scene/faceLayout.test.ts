import { describe, expect, it } from 'vitest';
import {
  FOOTER_RATIO,
  PAGE_BOX_M,
  clampPage,
  faceSizeMetres,
  faceToPage,
  hitNote,
  pageSizeMetres,
  pageToFace,
  shownPages,
  toggledSpread,
  turnPage,
  type FaceLayout,
} from './faceLayout';

const letter = 1000 / 1294;

describe('page and face size', () => {
  it('fits a portrait page to the box height and a landscape one to its width', () => {
    expect(pageSizeMetres(letter)).toEqual({ width: PAGE_BOX_M * letter, height: PAGE_BOX_M });
    expect(pageSizeMetres(2)).toEqual({ width: PAGE_BOX_M, height: PAGE_BOX_M / 2 });
  });

  it('widens the face by the spread and adds the footer under the pages', () => {
    const one = faceSizeMetres({ pageAspect: letter, slots: 1, footer: true });
    const two = faceSizeMetres({ pageAspect: letter, slots: 2, footer: true });
    expect(two.width).toBeCloseTo(one.width * 2, 9);
    expect(two.height).toBeCloseTo(one.height, 9);
    expect(one.height).toBeCloseTo(PAGE_BOX_M + one.width * FOOTER_RATIO, 9);
  });
});

describe('face ↔ page mapping', () => {
  const single: FaceLayout = { pageAspect: 0.75, slots: 1, footer: true };
  const spread: FaceLayout = { pageAspect: 0.75, slots: 2, footer: true };

  it('maps the top-left of the face to the top-left of the first page', () => {
    expect(faceToPage(single, 0, 0)).toEqual({ slot: 0, u: 0, v: 0 });
  });

  it('puts the right half of a two-page spread on the second page', () => {
    const p = faceToPage(spread, 0.75, 0.5)!;
    expect(p.slot).toBe(1);
    expect(p.u).toBeCloseTo(0.5, 9);
    const left = faceToPage(spread, 0.25, 0.5)!;
    expect(left.slot).toBe(0);
    expect(left.u).toBeCloseTo(0.5, 9);
  });

  it('gives no page point in the footer or off the face', () => {
    expect(faceToPage(single, 0.5, 0.999)).toBeNull();
    expect(faceToPage(single, -0.1, 0.5)).toBeNull();
    expect(faceToPage(single, 0.5, 1.2)).toBeNull();
  });

  it('round-trips page points through the face for single pages and spreads', () => {
    for (const layout of [single, spread, { pageAspect: 1.5, slots: 3, footer: false }]) {
      for (let slot = 0; slot < layout.slots; slot++) {
        for (const [u, v] of [[0.1, 0.2], [0.5, 0.5], [0.9, 0.95]] as const) {
          const { fu, fv } = pageToFace(layout, { slot, u, v });
          const back = faceToPage(layout, fu, fv)!;
          expect(back.slot).toBe(slot);
          expect(back.u).toBeCloseTo(u, 9);
          expect(back.v).toBeCloseTo(v, 9);
        }
      }
    }
  });

  it('keeps the bottom of the page above the footer', () => {
    const { fv } = pageToFace(single, { slot: 0, u: 0.5, v: 1 });
    expect(fv).toBeLessThan(1);
    expect(fv).toBeCloseTo(1 / 0.75 / (1 / 0.75 + FOOTER_RATIO), 9);
  });
});

describe('paging', () => {
  it('shows the spread from the current page, leaving out pages past the end', () => {
    expect(shownPages(1, 1, 3)).toEqual([1]);
    expect(shownPages(1, 2, 3)).toEqual([1, 2]);
    expect(shownPages(3, 2, 3)).toEqual([3]);
    expect(shownPages(9, 1, 3)).toEqual([3]);
    expect(shownPages(2, 2, 0)).toEqual([2, 3]);
  });

  it('turns by a whole spread and stops at the first and last page', () => {
    expect(turnPage(1, 1, 3, 1)).toBe(2);
    expect(turnPage(3, 1, 3, 1)).toBe(3);
    expect(turnPage(1, 2, 3, 1)).toBe(3);
    expect(turnPage(2, 2, 3, 1)).toBe(2);
    expect(turnPage(3, 2, 3, -1)).toBe(1);
    expect(turnPage(1, 1, 3, -1)).toBe(1);
  });

  it('clamps a page the server holds to the pages this client knows of', () => {
    expect(clampPage(7, 3)).toBe(3);
    expect(clampPage(0, 3)).toBe(1);
    expect(clampPage(7, 0)).toBe(7);
  });

  it('toggles between one and two pages', () => {
    expect(toggledSpread(1)).toBe(2);
    expect(toggledSpread(2)).toBe(1);
    expect(toggledSpread(4)).toBe(1);
  });
});

describe('hitNote', () => {
  const boxes = [
    { id: 'a', left: 0.1, top: 0.1, right: 0.3, bottom: 0.2 },
    { id: 'b', left: 0.2, top: 0.15, right: 0.4, bottom: 0.25 },
  ];
  it('finds the note under a point, the one drawn last where two overlap', () => {
    expect(hitNote(boxes, 0.15, 0.12)).toBe('a');
    expect(hitNote(boxes, 0.25, 0.18)).toBe('b');
    expect(hitNote(boxes, 0.5, 0.5)).toBeNull();
  });
});
