import { describe, expect, it } from 'vitest';
import { proofSteps, resultsMarkdown } from './resultsMarkdown';

const analysis = {
  summary: ['The board approved the budget.', 'Ann Lee will present it in Paris.'],
  keywords: [{ term: 'budget', score: 0.9 }, { term: 'board', score: 0.5 }],
  sentiment: { score: 0.4, label: 'positive' },
  entities: { people: ['Ann Lee'], places: ['Paris'], organisations: ['Acme'], dates: [], money: ['$5,000'] },
  labels: [{ label: 'finance', score: 0.8 }],
  provider: 'builtin',
  model: 'offline',
};
const proof = { network: 'dev', chainId: 1337, registry: '0xabc', hash: '0x' + 'a'.repeat(64), txHash: '0x' + 'b'.repeat(64), blockNumber: 7, blockTime: '2026-11-25T07:00:00.000Z', anchoredBy: '0xdef', meta: '' };

describe('results panel', () => {
  it('turns an analysis into a readable summary and a proof into the proof, with whether it verifies', () => {
    const md = resultsMarkdown('Analysis and proof', { analyse: analysis, anchor: proof, other: { count: 3 } }, { anchor: { verified: true, anchored: true, unchanged: true } });
    expect(md).toContain('## Summary (analyse)');
    expect(md).toContain('> The board approved the budget.');
    expect(md).toContain('**Keywords**: budget, board');
    expect(md).toContain('**Sentiment**: positive (0.40)');
    expect(md).toContain('- **People**: Ann Lee');
    expect(md).toContain('- **Money**: $5,000');
    expect(md).not.toContain('**Dates**');
    expect(md).toContain('## Proof on chain (anchor)');
    expect(md).toContain(`- **Transaction**: ${proof.txHash}`);
    expect(md).toContain('- **Block**: 7');
    expect(md).toContain('- **Time**: 2026-11-25T07:00:00.000Z');
    expect(md).toContain('- **Verified**: yes');
    expect(md).toContain('## other\n\n- **count**: 3');
    expect(proofSteps({ analyse: analysis, anchor: proof })).toEqual([['anchor', 'dev']]);
  });

  it('says when a document changed since it was anchored, or was never anchored there', () => {
    expect(resultsMarkdown('P', { anchor: proof }, { anchor: { verified: false, anchored: true, unchanged: false } })).toContain('no: the document changed since it was anchored');
    expect(resultsMarkdown('P', { anchor: proof }, { anchor: { verified: false, anchored: false } })).toContain('no: the document is not anchored');
    expect(resultsMarkdown('P', { anchor: proof })).not.toContain('Verified');
  });
});
