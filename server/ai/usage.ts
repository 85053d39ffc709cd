/** Token use and cost of a whole workflow run, summed from the usage its AI steps recorded. */
import type { AiUsage } from './AiService';

export interface RunUsage {
  /** AI calls made (answers from the cache are not calls). */
  calls: number;
  cachedAnswers: number;
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  /** Sum of the known costs; `costComplete` is false when a provider had no pricing configured. */
  cost: number;
  costComplete: boolean;
}

function isUsage(u: unknown): u is AiUsage {
  const x = u as Partial<AiUsage> | null;
  return !!x && typeof x === 'object' && typeof x.provider === 'string' && typeof x.totalTokens === 'number' && typeof x.cached === 'boolean';
}

/** Sums the `usage` of every step output that has one. Pure. */
export function runUsage(steps: ReadonlyArray<{ output?: unknown }>): RunUsage {
  const sum: RunUsage = { calls: 0, cachedAnswers: 0, inputTokens: 0, outputTokens: 0, totalTokens: 0, cost: 0, costComplete: true };
  for (const step of steps) {
    const usage = (step.output as { usage?: unknown } | undefined)?.usage;
    if (!isUsage(usage)) continue;
    if (usage.cached) sum.cachedAnswers++;
    else sum.calls++;
    sum.inputTokens += usage.inputTokens;
    sum.outputTokens += usage.outputTokens;
    sum.totalTokens += usage.totalTokens;
    if (usage.cost === null) sum.costComplete = false;
    else sum.cost = Math.round((sum.cost + usage.cost) * 1e6) / 1e6;
  }
  return sum;
}
