import { describe, expect, it } from 'vitest';
import { extractSection, outline } from './transform';

const DOC = `# Plan ##

Intro text.

## Scope
- one
- two

\`\`\`
# not a heading
\`\`\`

### Details   ###
More.

## Budget
Money.
####### seven is too many
#no-space
`;

function took(f: () => unknown): number {
  const start = performance.now();
  f();
  return performance.now() - start;
}

describe('outline and sections of Markdown', () => {
  it('lists the headings outside code fences, without closing #s', () => {
    expect(outline(DOC)).toEqual([
      { level: 1, text: 'Plan' },
      { level: 2, text: 'Scope' },
      { level: 3, text: 'Details' },
      { level: 2, text: 'Budget' },
    ]);
    expect(outline('# C# in practice\n## Title #hash')).toEqual([
      { level: 1, text: 'C# in practice' },
      { level: 2, text: 'Title #hash' },
    ]);
  });

  it('extracts the text under a heading up to the next one of its level', () => {
    expect(extractSection(DOC, 'budget')).toBe('Money.\n####### seven is too many\n#no-space');
    expect(extractSection(DOC, 'Details')).toBe('More.');
    expect(extractSection(DOC, 'Nowhere')).toBeUndefined();
  });

  it.each([
    ['a heading padded with 50,000 spaces', `# a${' '.repeat(50_000)}\u2028x`],
    ['a heading of 50,000 spaces and hashes', `#${' #'.repeat(25_000)}\rx`],
    ['200 KB of hashes', '#'.repeat(200_000)],
    ['100 KB of newlines', '\n'.repeat(100_000)],
    ['alternating heading marks and spaces', '# \t'.repeat(60_000)],
  ])('reads %s quickly', (_what, text) => {
    expect(took(() => outline(text))).toBeLessThan(500);
    expect(took(() => extractSection(text, 'a'))).toBeLessThan(500);
  });
});
