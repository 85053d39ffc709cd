import { describe, expect, it } from 'vitest';
import { BlockKind, markdownBlocks, textBlocks, type Block } from './blocks';
import { BODY_SIZE, CARD_PAGE, TEXT_PAGE, layoutDocument, layoutPages, wrapRuns, type Measure, type PageGeometry } from './textLayout';

/** Every character is half its font size wide: easy to reason about. */
const measure: Measure = (text, font) => text.length * font.size * 0.5;
const lineText = (segments: Array<{ text: string }>) => segments.map((s) => s.text).join('');

describe('wrapRuns', () => {
  it('breaks between words so that no line is wider than allowed', () => {
    // 15 px per character at size 30: 10 characters fit in 150
    const lines = wrapRuns([{ text: 'aaa bbb ccc ddd eee' }], 30, 150, measure);
    expect(lines.map((l) => lineText(l.segments))).toEqual(['aaa bbb', 'ccc ddd', 'eee']);
    for (const l of lines) expect(l.width).toBeLessThanOrEqual(150);
  });

  it('cuts a word longer than a line by characters', () => {
    const lines = wrapRuns([{ text: 'abcdefghijklmnopqrstuvwxyz' }], 30, 150, measure);
    expect(lines.map((l) => lineText(l.segments))).toEqual(['abcdefghij', 'klmnopqrst', 'uvwxyz']);
  });

  it('keeps styles as separate segments on one line and honours hard breaks', () => {
    const lines = wrapRuns([{ text: 'plain ' }, { text: 'bold', bold: true }, { text: '\n' }, { text: 'next' }], 30, 1000, measure);
    expect(lines).toHaveLength(2);
    expect(lines[0]!.segments.map((s) => [s.text, s.font.bold])).toEqual([
      ['plain ', false],
      ['bold', true],
    ]);
    expect(lineText(lines[1]!.segments)).toBe('next');
  });
});

describe('layoutPages', () => {
  const small: PageGeometry = { width: 400, height: 300, margin: 20 };

  it('puts everything on one page when it fits, and always returns a page', () => {
    expect(layoutPages([], measure)).toHaveLength(1);
    expect(layoutPages(markdownBlocks('# Title\n\nShort.'), measure)).toHaveLength(1);
  });

  it('starts a new page when the next line would cross the bottom margin', () => {
    const lineHeight = BODY_SIZE * 1.38;
    const perPage = Math.floor((small.height - 2 * small.margin) / lineHeight);
    const blocks = textBlocks(Array.from({ length: perPage * 2 + 1 }, (_, i) => `line ${i}`).join('\n'));
    const pages = layoutPages(blocks, measure, small);
    expect(pages.map((p) => p.lines.length)).toEqual([perPage, perPage, 1]);
    for (const p of pages) for (const l of p.lines) expect(l.top + l.height).toBeLessThanOrEqual(small.height - small.margin + 1e-9);
    expect(lineText(pages[1]!.lines[0]!.segments)).toBe(`line ${perPage}`);
  });

  it('does not leave a heading alone at the foot of a page', () => {
    const lineHeight = BODY_SIZE * 1.38;
    const perPage = Math.floor((small.height - 2 * small.margin) / lineHeight);
    const filler = Array.from({ length: perPage - 1 }, (_, i) => `line ${i}`).join('\n');
    const blocks: Block[] = [...textBlocks(filler), ...markdownBlocks('## Next part\n\nIts text.')];
    const pages = layoutPages(blocks, measure, small);
    expect(pages).toHaveLength(2);
    expect(lineText(pages[1]!.lines[0]!.segments)).toBe('Next part');
  });

  it('sizes headings by level, indents list items and draws their markers in the margin', () => {
    const [page] = layoutPages(markdownBlocks('# One\n\n### Three\n\n1. first\n2. second\n   - inner'), measure);
    const [h1, h3, first, second, inner] = page!.lines;
    expect(h1!.segments[0]!.font.size).toBeGreaterThan(h3!.segments[0]!.font.size);
    expect(h3!.segments[0]!.font.size).toBeGreaterThan(BODY_SIZE);
    expect(first!.marker?.text).toBe('1.');
    expect(second!.marker?.text).toBe('2.');
    expect(inner!.marker?.text).toBe('◦');
    expect(first!.segments[0]!.x).toBeGreaterThan(TEXT_PAGE.margin);
    expect(inner!.segments[0]!.x).toBeGreaterThan(first!.segments[0]!.x);
    expect(first!.marker!.x).toBeLessThan(first!.segments[0]!.x);
  });

  it('wraps long list items under their own text, not under the marker', () => {
    const long = `- ${'word '.repeat(60)}`;
    const [page] = layoutPages(markdownBlocks(long), measure);
    const [a, b] = page!.lines;
    expect(b!.segments[0]!.x).toBe(a!.segments[0]!.x);
    expect(b!.marker).toBeUndefined();
    expect(page!.lines.every((l) => l.segments.every((s) => s.x + measure(s.text, s.font) <= TEXT_PAGE.width - TEXT_PAGE.margin + 1e-9))).toBe(true);
  });

  it('marks code and quote lines for their decorations', () => {
    const [page] = layoutPages([{ kind: BlockKind.CODE, level: 0, runs: [{ text: 'a\nb', code: true }] }, ...markdownBlocks('> q')], measure);
    expect(page!.lines.map((l) => l.decoration)).toEqual(['code', 'code', 'quote']);
  });
});

describe('layoutDocument', () => {
  it('puts short text on one large-type card', () => {
    const { geometry, pages } = layoutDocument(markdownBlocks('# Welcome\nClick a panel to pick it up.'), measure);
    expect(geometry).toBe(CARD_PAGE);
    expect(pages).toHaveLength(1);
  });

  it('puts text that does not fit a card on Letter pages', () => {
    const long = Array.from({ length: 40 }, (_, i) => `Paragraph ${i} with a few words in it.`).join('\n\n');
    const { geometry, pages } = layoutDocument(markdownBlocks(long), measure);
    expect(geometry).toBe(TEXT_PAGE);
    expect(pages.length).toBeGreaterThan(1);
  });
});
