import { describe, expect, it } from 'vitest';
import { LineStyle, layoutBody, wrap, type Measure } from './panelText';

// one unit per character keeps the expectations readable
const measure: Measure = (text) => text.length;

describe('wrap', () => {
  it('breaks between words to fit the width', () => {
    expect(wrap('the quick brown fox jumps', LineStyle.TEXT, 10, measure)).toEqual(['the quick', 'brown fox', 'jumps']);
  });

  it('cuts a word longer than the width by characters', () => {
    expect(wrap('abcdefghijkl xy', LineStyle.TEXT, 5, measure)).toEqual(['abcde', 'fghij', 'kl xy']);
  });
});

describe('layoutBody', () => {
  it('turns Markdown headings and bullets into styled lines and drops a heading that repeats the title', () => {
    const lines = layoutBody('Plan', '# Plan\n## Steps\n- one\n* two\n\n\nDone.', 40, 10, measure);
    expect(lines).toEqual([
      { style: LineStyle.HEADING, text: 'Steps' },
      { style: LineStyle.BULLET, text: '• one' },
      { style: LineStyle.BULLET, text: '• two' },
      { style: LineStyle.GAP, text: '' },
      { style: LineStyle.TEXT, text: 'Done.' },
    ]);
  });

  it('keeps at most maxLines and marks the cut with an ellipsis', () => {
    expect(layoutBody('T', 'a\nb\nc\nd', 40, 2, measure).map((l) => l.text)).toEqual(['a', 'b…']);
    expect(layoutBody('T', 'a\nbbbb\nc', 4, 2, measure).map((l) => l.text)).toEqual(['a', 'bbb…']);
  });

  it('handles an empty body', () => {
    expect(layoutBody('T', '', 40, 5, measure)).toEqual([]);
  });
});
