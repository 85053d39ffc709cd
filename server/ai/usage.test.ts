import { describe, expect, it } from 'vitest';
import { runUsage } from './usage';

const usage = (over: object) => ({ provider: 'p', model: 'm', inputTokens: 10, outputTokens: 5, totalTokens: 15, cost: 0.001, cached: false, ...over });

describe('run usage', () => {
  it('sums the tokens and cost of the AI steps of a run, counting cached answers apart', () => {
    const steps = [
      { output: { summary: [], usage: usage({}) } },
      { output: { text: 'x', usage: usage({ inputTokens: 100, outputTokens: 50, totalTokens: 150, cost: 0.0025 }) } },
      { output: { usage: usage({ inputTokens: 0, outputTokens: 0, totalTokens: 0, cost: 0, cached: true }) } },
      { output: { status: 200 } },
      {},
    ];
    expect(runUsage(steps)).toEqual({ calls: 2, cachedAnswers: 1, inputTokens: 110, outputTokens: 55, totalTokens: 165, cost: 0.0035, costComplete: true });
  });

  it('says when a cost is unknown, and ignores outputs that only look like usage', () => {
    const sum = runUsage([{ output: { usage: usage({ cost: null }) } }, { output: { usage: { tokens: 5 } } }, { output: { usage: 'lots' } }]);
    expect(sum).toMatchObject({ calls: 1, totalTokens: 15, cost: 0, costComplete: false });
  });
});
