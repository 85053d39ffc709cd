import { describe, expect, it } from 'vitest';
import { ellipsize, fitTitle, type Measure } from './textFit';

// bold sans-serif averages a little over half an em per character
const measure: Measure = (text, px) => text.length * px * 0.6;
const NODE = { oneLine: [52, 46, 40], twoLines: [44, 40, 34] };
const FACE_TEXT_WIDTH = 452;

describe('fitting titles on chain nodes', () => {
  it('keeps a short title on one line at full size', () => {
    expect(fitTitle(measure, 'Analyse', FACE_TEXT_WIDTH, NODE)).toEqual({ px: 52, lines: ['Analyse'], cut: false });
  });

  it('shows "Anchor on chain" whole', () => {
    const fitted = fitTitle(measure, 'Anchor on chain', FACE_TEXT_WIDTH, NODE);
    expect(fitted.cut).toBe(false);
    expect(fitted.lines.join(' ')).toBe('Anchor on chain');
    for (const line of fitted.lines) expect(measure(line, fitted.px)).toBeLessThanOrEqual(FACE_TEXT_WIDTH);
  });

  it('wraps a longer name to two lines before making it small', () => {
    const fitted = fitTitle(measure, 'Summarise the quarterly report', FACE_TEXT_WIDTH, NODE);
    expect(fitted).toMatchObject({ lines: ['Summarise the', 'quarterly report'], cut: false });
    expect(fitted.px).toBeGreaterThanOrEqual(34);
  });

  it('cuts only what does not fit even small, and says so', () => {
    const fitted = fitTitle(measure, 'An exceedingly long step name that nobody could ever fit on a node face', FACE_TEXT_WIDTH, NODE);
    expect(fitted.cut).toBe(true);
    expect(fitted.lines).toHaveLength(2);
    expect(fitted.lines[1]).toMatch(/…$/);
    for (const line of fitted.lines) expect(measure(line, fitted.px)).toBeLessThanOrEqual(FACE_TEXT_WIDTH);
  });

  it('keeps one-line titles on one line, cut at the smallest size', () => {
    const fitted = fitTitle(measure, 'x'.repeat(40), 600, { oneLine: [52, 34], twoLines: [] });
    expect(fitted).toMatchObject({ px: 34, cut: true });
    expect(fitted.lines).toHaveLength(1);
    expect(measure(fitted.lines[0]!, 34)).toBeLessThanOrEqual(600);
  });

  it('ellipsizes within the width', () => {
    expect(ellipsize(measure, 'abcdefghij', 10, 40)).toBe('abcde…');
    expect(ellipsize(measure, 'abc', 10, 40)).toBe('abc');
  });
});
