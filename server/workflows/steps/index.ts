/** The registry of step kinds. Kinds are listed here explicitly, not registered by importing. */
import { z } from 'zod';
import { describeIssues } from '../../../shared/protocol';
import { aiAnalysisStep } from './analysis';
import { approvalStep } from './approval';
import { blockchainAnchorStep, blockchainVerifyStep } from './blockchain';
import { delayStep } from './delay';
import { neuralTriggerStep } from './neuralTrigger';
import { aiGenerateStep } from './generate';
import { presentStep } from './present';
import type { StepKind } from './StepKind';
import { transformStep } from './transform';
import { webhookStep } from './webhook';

export const BUILT_IN_STEPS: readonly StepKind<never>[] = [
  delayStep,
  transformStep,
  approvalStep,
  webhookStep,
  presentStep,
  blockchainAnchorStep,
  blockchainVerifyStep,
  aiAnalysisStep,
  aiGenerateStep,
  neuralTriggerStep,
] as StepKind<never>[];

export class StepRegistry {
  private readonly kinds = new Map<string, StepKind<unknown>>();

  constructor(kinds: readonly StepKind<never>[]) {
    for (const k of kinds) this.kinds.set(k.kind, k as unknown as StepKind<unknown>);
  }

  get(kind: string): StepKind<unknown> | undefined {
    return this.kinds.get(kind);
  }

  /** What each kind is and what it takes, for builders and the API. */
  describe() {
    return [...this.kinds.values()].map((k) => ({ kind: k.kind, title: k.title, description: k.description, params: z.toJSONSchema(k.params, { io: 'input' }) }));
  }

  /** Checks a step's parameters against its kind; returns the parsed parameters or why not. */
  check(kind: string, params: unknown): { ok: true; params: unknown } | { ok: false; message: string } {
    const k = this.kinds.get(kind);
    if (!k) return { ok: false, message: `there is no step kind "${kind}" (known: ${[...this.kinds.keys()].join(', ')})` };
    const parsed = k.params.safeParse(params);
    return parsed.success ? { ok: true, params: parsed.data } : { ok: false, message: describeIssues(parsed.error) };
  }
}
