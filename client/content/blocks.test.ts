import { describe, expect, it } from 'vitest';
import { BlockKind, markdownBlocks, textBlocks } from './blocks';

const text = (runs: Array<{ text: string }>) => runs.map((r) => r.text).join('');

describe('markdownBlocks', () => {
  it('reads headings with their level, and bold, italic and code runs', () => {
    const [h, p] = markdownBlocks('## Terms *of* use\n\nSome **bold**, _it_ and `code`.');
    expect(h).toMatchObject({ kind: BlockKind.HEADING, level: 2 });
    expect(text(h!.runs)).toBe('Terms of use');
    expect(p!.kind).toBe(BlockKind.PARAGRAPH);
    expect(p!.runs).toContainEqual({ text: 'bold', bold: true });
    expect(p!.runs).toContainEqual({ text: 'it', italic: true });
    expect(p!.runs).toContainEqual({ text: 'code', code: true });
  });

  it('numbers ordered lists from their start and nests bullets one level deeper', () => {
    const blocks = markdownBlocks('3. three\n4. four\n   - inner\n\n- a\n- b');
    expect(blocks.map((b) => [b.kind, b.marker, b.level, text(b.runs)])).toEqual([
      [BlockKind.ITEM, '3.', 0, 'three'],
      [BlockKind.ITEM, '4.', 0, 'four'],
      [BlockKind.ITEM, '◦', 1, 'inner'],
      [BlockKind.ITEM, '•', 0, 'a'],
      [BlockKind.ITEM, '•', 0, 'b'],
    ]);
  });

  it('never keeps markup: HTML tags are dropped, entities shown as characters', () => {
    const blocks = markdownBlocks('<script>alert(1)</script>\n\nA <b>bold</b> &amp; safe line');
    const all = blocks.map((b) => text(b.runs)).join('|');
    expect(all).not.toMatch(/<|>/);
    expect(all).toContain('A bold & safe line');
  });

  it('keeps code blocks, quotes and rules as their own kinds', () => {
    const kinds = markdownBlocks('```\nx = 1\n  y\n```\n\n> said\n\n---').map((b) => b.kind);
    expect(kinds).toEqual([BlockKind.CODE, BlockKind.QUOTE, BlockKind.RULE]);
    expect(markdownBlocks('```\nx = 1\n  y\n```')[0]!.runs[0]!.text).toBe('x = 1\n  y');
  });
});

describe('textBlocks', () => {
  it('keeps every line, and marks lines that follow each other without a blank as tight', () => {
    const blocks = textBlocks('one\ntwo\n\nthree');
    expect(blocks.map((b) => [text(b.runs), !!b.tight])).toEqual([
      ['one', false],
      ['two', true],
      ['three', false],
    ]);
  });

  it('does not read Markdown in plain text', () => {
    expect(text(textBlocks('# not a heading')[0]!.runs)).toBe('# not a heading');
  });
});

describe('hostile Markdown', () => {
  it('lays out an HTML block of 100,000 unclosed tags quickly', () => {
    const start = performance.now();
    const blocks = markdownBlocks(`<div ${'<'.repeat(100_000)}`);
    expect(performance.now() - start).toBeLessThan(500);
    expect(blocks.length).toBeGreaterThan(0);
  });

  it('shows Markdown nested too deep to lex as its plain text', () => {
    const deep = `${'>'.repeat(100_000)} quoted`;
    expect(text(markdownBlocks(deep)[0]!.runs)).toBe(deep);
  });
});
