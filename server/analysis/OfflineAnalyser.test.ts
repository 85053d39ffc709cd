import { describe, expect, it } from 'vitest';
import { MAX_ANALYSED_CHARS, analyse, entityChunks, plainText } from './OfflineAnalyser';

const CONTRACT = `# Supply agreement

Acme Corporation and Northwind Traders signed the supply agreement in Berlin on 12 March 2026.
Under the agreement, Acme Corporation delivers steel components every month for a fee of $250,000.
Maria Schmidt, the procurement lead at Northwind Traders, approved the delivery schedule.
Either party may end the agreement with ninety days of written notice.
The weather in Berlin was pleasant that week.`;

const HAPPY = 'The launch was a wonderful success. Customers love the new design and the team is proud and delighted with the excellent results.';
const ANGRY = 'The delivery was late and broken. Support was rude, the product is awful, and we are furious about this terrible experience.';

describe('offline analyser', () => {
  it('summarises with the document’s own sentences, in document order', () => {
    const a = analyse(CONTRACT, { summarySentences: 2 });
    expect(a.summary).toHaveLength(2);
    const prose = plainText(CONTRACT);
    for (const s of a.summary) expect(prose).toContain(s);
    expect(prose.indexOf(a.summary[0]!)).toBeLessThan(prose.indexOf(a.summary[1]!));
    expect(a.summary.join(' ')).not.toContain('weather');
  });

  it('finds the people, places, organisations, dates and money', () => {
    const { entities } = analyse(CONTRACT);
    expect(entities.people).toContain('Maria Schmidt');
    expect(entities.places).toContain('Berlin');
    expect(entities.organisations.join(' ')).toMatch(/Acme Corporation|Northwind Traders/);
    expect(entities.dates.join(' ')).toMatch(/12 March 2026/);
    expect(entities.money.join(' ')).toMatch(/250,000/);
  });

  it('scores clearly positive and clearly negative texts on the right side', () => {
    expect(analyse(HAPPY).sentiment.label).toBe('positive');
    expect(analyse(ANGRY).sentiment.label).toBe('negative');
    expect(analyse(HAPPY).sentiment.score).toBeGreaterThan(analyse(ANGRY).sentiment.score);
  });

  it('ranks the keywords and picks the obvious label', () => {
    const a = analyse(CONTRACT, {
      labels: [
        { label: 'contract', hints: ['agreement', 'party', 'notice', 'fee'] },
        { label: 'recipe', hints: ['flour', 'oven', 'bake'] },
      ],
    });
    expect(a.keywords.map((k) => k.term)).toContain('agreement');
    expect(a.labels[0]!.label).toBe('contract');
    expect(a.labels[0]!.score).toBeGreaterThan(a.labels[1]!.score);
  });

  it('copes with empty and hostile input', () => {
    const empty = analyse('');
    expect(empty.summary).toEqual([]);
    expect(empty.sentiment.label).toBe('neutral');
    expect(() => analyse('<script>alert(1)</script>'.repeat(100))).not.toThrow();
  });

  it('turns Markdown into the same prose as before', () => {
    expect(plainText('# Title\n\n- one *bold*\n2. two [link](http://x) ![pic](p.png)\n\n```\ncode\n```\n> quote')).toBe('Title.\n\none bold \ntwo link \n\n \n quote');
  });
});

function took(f: () => unknown): number {
  const start = performance.now();
  f();
  return performance.now() - start;
}

describe('offline analyser on hostile input', () => {
  it.each([
    ['100 KB of newlines', '\n'.repeat(100_000)],
    ['a heading with 50,000 spaces', `#${' '.repeat(50_000)}x`],
    ['200 KB of one repeated character', '#'.repeat(200_000)],
    ['200 KB of image openings', '!['.repeat(100_000)],
    ['200 KB of unclosed links', '[a]('.repeat(50_000)],
    ['alternating list markers and newlines', '-\n'.repeat(100_000)],
  ])('turns %s into prose quickly', (_what, text) => {
    expect(took(() => plainText(text))).toBeLessThan(500);
  });

  it.each([
    ['200 KB of one repeated character', '#'.repeat(200_000)],
    ['200 KB of dotted letters', 'a.'.repeat(100_000)],
    ['200 KB of image openings', '!['.repeat(100_000)],
    ['100 KB of newlines', '\n'.repeat(100_000)],
  ])('analyses %s quickly', (_what, text) => {
    expect(took(() => analyse(text))).toBeLessThan(500);
  });

  it('reads at most its limit of a long document, and says so', () => {
    const long = `${'The board approved the budget. '.repeat(MAX_ANALYSED_CHARS / 20)}Zanzibar appears only at the end.`;
    const a = analyse(long);
    expect(a.coverage?.totalCharacters).toBe(long.length);
    expect(a.coverage?.analysedCharacters).toBeLessThanOrEqual(MAX_ANALYSED_CHARS);
    expect(a.entities.places).not.toContain('Zanzibar');
    expect(analyse(CONTRACT).coverage).toBeUndefined();
  }, 30_000);

  it('hands the entity finder sentences in bounded pieces', () => {
    expect(entityChunks(['One.', 'Two.'])).toEqual(['One. Two.']);
    const pieces = entityChunks([`${'word '.repeat(1000)}end.`]);
    expect(pieces.length).toBeGreaterThan(4);
    for (const p of pieces) expect(p.length).toBeLessThanOrEqual(1000);
    expect(pieces.join(' ')).toBe(`${'word '.repeat(1000)}end.`);
  });
});
