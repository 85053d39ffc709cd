/** The registry of step kinds. Kinds are listed here explicitly, not registered by importing. */
import { z } from 'zod';
import { describeIssues } from '../../../shared/protocol';
import { aiAnalysisStep } from './analysis';
import { approvalStep } from './approval';
import { blockchainAnchorStep, blockchainVerifyStep } from './blockchain';
import { delayStep } from './delay';
import { iotCommandStep } from './iotCommand';
import { iotTriggerStep } from './iotTrigger';
import { neuralTriggerStep } from './neuralTrigger';
import { aiGenerateStep } from './generate';
import { presentStep } from './present';
import { ADAPTER_WORDS, registered, type AdapterName, type RegisteredStep } from './StepKind';
import { transformStep } from './transform';
import { webhookStep } from './webhook';

export const BUILT_IN_STEPS: readonly RegisteredStep[] = [
  registered(delayStep),
  registered(transformStep),
  registered(approvalStep),
  registered(webhookStep),
  registered(presentStep),
  registered(blockchainAnchorStep),
  registered(blockchainVerifyStep),
  registered(aiAnalysisStep),
  registered(aiGenerateStep),
  registered(neuralTriggerStep),
  registered(iotCommandStep),
  registered(iotTriggerStep),
];

export class StepRegistry {
  private readonly kinds = new Map<string, RegisteredStep>();

  /** `offered`: the adapters this server's steps get; a kind that needs another cannot be saved in a workflow. */
  constructor(
    kinds: readonly RegisteredStep[],
    private readonly offered: ReadonlySet<AdapterName>,
  ) {
    for (const k of kinds) {
      if (this.kinds.has(k.kind)) throw new Error(`The step kind "${k.kind}" is registered twice.`);
      this.kinds.set(k.kind, k);
    }
  }

  get(kind: string): RegisteredStep | undefined {
    return this.kinds.get(kind);
  }

  /** The names of the registered kinds. */
  names(): string[] {
    return [...this.kinds.keys()];
  }

  /** What each kind is and what it takes, for builders and the API. */
  describe() {
    return [...this.kinds.values()].map((k) => ({ kind: k.kind, title: k.title, description: k.description, params: z.toJSONSchema(k.params, { io: 'input' }) }));
  }

  /** Checks a step against its kind and this server's adapters; returns the parsed parameters or why not. */
  check(kind: string, params: unknown): { ok: true; params: unknown } | { ok: false; message: string } {
    const k = this.kinds.get(kind);
    if (!k) return { ok: false, message: `there is no step kind "${kind}" (known: ${this.names().join(', ')})` };
    const missing = k.needs.filter((name) => !this.offered.has(name));
    if (missing.length) return { ok: false, message: `a "${kind}" step needs ${missing.map((name) => ADAPTER_WORDS[name]).join(' and ')}, which this server does not offer` };
    const prepared = k.prepare(params);
    return prepared.ok ? { ok: true, params: prepared.params } : { ok: false, message: describeIssues(prepared.error) };
  }
}
