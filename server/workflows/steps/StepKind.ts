/**
 * The plug-in interface every workflow step kind implements, one file per kind. A kind declares
 * its parameters as a zod schema (checked when a workflow is saved and again when a step runs)
 * and the adapters it needs (checked when a workflow is saved, so a server without a chain refuses
 * a chain step up front rather than failing its runs), and runs with an abort signal, a logger,
 * the run's earlier outputs and those adapters, typed as present.
 */
import type { z } from 'zod';
import type { Logger } from '../../log';
import type { AiService } from '../../ai/AiService';
import type { WaitingFor } from '../../../shared/model/runs';
import type { CommandRecord } from '../../adapters/storage/IotStore';

/** Services a step may use. Each is optional so a kind can say plainly when one is missing. */
export interface StepAdapters {
  /** The text of a stored document (Markdown or plain text). */
  documentText?(documentId: string): Promise<string>;
  /** Creates a Markdown document in a world (idempotent by `key`), beside the workflow's chain unless `position` says where; returns its id. */
  createDocument?(input: { worldId: string; workflowId?: string; key: string; title: string; markdown: string; position?: [number, number, number] }): Promise<{ id: string }>;
  /** Anchors a document's content hash on a network (the default one when omitted). */
  anchorDocument?(documentId: string, network?: string): Promise<object>;
  /** Re-hashes a stored document and checks it against the chain. */
  verifyDocument?(documentId: string, network?: string): Promise<{ verified: boolean; anchored: boolean; network: string }>;
  /** Starts a Markdown document in a world that grows as it is written (idempotent by `key`). */
  draftDocument?(input: { worldId: string; workflowId?: string; key: string; title: string; position?: [number, number, number] }): Promise<{
    id: string;
    write(textSoFar: string): void;
    complete(markdown: string): Promise<{ id: string }>;
    abandon(): void;
  }>;
  /** Analysis and generation on the configured AI providers, with fail-over and caching. */
  ai?: Pick<AiService, 'analyse' | 'generate'>;
  /** HTTP for webhook steps; the global fetch unless a test or deployment swaps it. */
  fetch: typeof fetch;
  /** Devices of the run's workflow's world only (WorkflowScope makes these): any other is not found. */
  devices?: StepDevices;
}

/** What a step may do with the devices its run may use. */
export interface StepDevices {
  /** The device, when the run may use it for `use`; else a non-retryable NOT_FOUND failure. */
  device(deviceId: string, use: 'read' | 'command'): Promise<{ id: string; name: string; worldId: string }>;
  /** Gives a command once per `key` (the step's idempotency key): a later call with it answers the first command as it stands. */
  command(deviceId: string, input: { name: string; params: Record<string, unknown>; timeoutMs: number; ttlMs: number }, key: string): Promise<CommandRecord>;
  /** The command once settled, or as it stands after `waitMs`. */
  awaitCommand(deviceId: string, commandId: string, waitMs: number): Promise<CommandRecord>;
}

/** The name of one adapter a kind may need. */
export type AdapterName = keyof StepAdapters;

/** Each adapter in words, for a refusal that names what this server lacks. Lists every adapter. */
export const ADAPTER_WORDS: Readonly<Record<AdapterName, string>> = {
  documentText: 'reading documents',
  createDocument: 'creating documents',
  anchorDocument: 'a blockchain to anchor on',
  verifyDocument: 'a blockchain to verify against',
  draftDocument: 'drafting documents in a world',
  ai: 'AI',
  fetch: 'outgoing HTTP',
  devices: 'devices',
};

const ADAPTER_NAMES = Object.keys(ADAPTER_WORDS) as AdapterName[];

/** Every adapter there is. */
export const EVERY_ADAPTER: ReadonlySet<AdapterName> = new Set(ADAPTER_NAMES);

/** The adapters `adapters` offers. */
export function offeredBy(adapters: StepAdapters): ReadonlySet<AdapterName> {
  return new Set(ADAPTER_NAMES.filter((name) => adapters[name] !== undefined));
}

/** The adapters with the ones in `N` known to be present. */
export type AdaptersWith<N extends AdapterName> = StepAdapters & { [K in N]-?: NonNullable<StepAdapters[K]> };

/** Whether `adapters` offers every adapter in `needs`. */
export function hasAdapters<N extends AdapterName>(adapters: StepAdapters, needs: readonly N[]): adapters is AdaptersWith<N> {
  return needs.every((name) => adapters[name] !== undefined);
}

export interface StepContext<N extends AdapterName = never> {
  /** `worldId`: the world the run's workflow stands in, from the stored workflow (null: none). */
  run: { id: string; workflowId: string; version: number; input: Record<string, unknown>; worldId: string | null };
  step: { id: string; name: string; attempt: number };
  /** Same for every attempt and every resume of this step: side effects are deduplicated by it. */
  idempotencyKey: string;
  /** Outputs of the earlier steps that succeeded, by step id. */
  outputs: Readonly<Record<string, unknown>>;
  /** The answer delivered to this step while it waited, if any (approvals, commands). */
  answer: unknown;
  /** When the step parked itself with a `sleep` outcome, the time it was due to wake; else undefined. */
  wakeAt: number | undefined;
  signal: AbortSignal;
  log: Logger;
  adapters: AdaptersWith<N>;
}

/**
 * `wait`: until an answer is delivered; `waitingFor` says what for (shown in the world), `reason`
 * in words for the run's log. `sleep`: run this step again after `ms`; the engine stores
 * the wake-up time and frees the run's execution slot meanwhile, so a long delay costs nothing.
 */
export type StepOutcome = { type: 'done'; output: unknown } | { type: 'wait'; reason: string; waitingFor: WaitingFor } | { type: 'sleep'; ms: number; reason: string };

/**
 * A step kind with parameters `P` that needs the adapters `N`. Make one with `defineStep`, which
 * infers `N` from `needs`, so a kind cannot use an adapter it did not declare.
 */
export interface StepKind<P = unknown, N extends AdapterName = never> {
  /** A `STEP_KIND` name for the built-in kinds. */
  readonly kind: string;
  readonly title: string;
  readonly description: string;
  readonly needs: readonly N[];
  readonly params: z.ZodType<P>;
  run(params: P, ctx: StepContext<N>): Promise<StepOutcome>;
}

/** A step kind as written, with `N` taken from its `needs`. */
export function defineStep<P, const N extends AdapterName = never>(kind: StepKind<P, N>): StepKind<P, N> {
  return kind;
}

/** A step's parameters once checked, with the kind's run bound to them. */
export type PreparedStep = { ok: true; params: unknown; run(ctx: StepContext): Promise<StepOutcome> } | { ok: false; error: z.ZodError };

/**
 * A kind as the registry holds it: its parameter type erased. The parameters never leave the kind
 * untyped: `prepare` parses them and hands back a run already bound to the parsed value.
 */
export interface RegisteredStep {
  readonly kind: string;
  readonly title: string;
  readonly description: string;
  readonly needs: readonly AdapterName[];
  readonly params: z.ZodType;
  prepare(raw: unknown): PreparedStep;
}

/** The registry's view of a kind. */
export function registered<P, N extends AdapterName>(kind: StepKind<P, N>): RegisteredStep {
  return {
    kind: kind.kind,
    title: kind.title,
    description: kind.description,
    needs: kind.needs,
    params: kind.params,
    prepare(raw) {
      const parsed = kind.params.safeParse(raw);
      if (!parsed.success) return { ok: false, error: parsed.error };
      const params = parsed.data;
      return {
        ok: true,
        params,
        run(ctx) {
          const { adapters } = ctx;
          // saving checked this already; a run of a version saved where the adapter was offered still stops cleanly
          if (!hasAdapters(adapters, kind.needs)) {
            const missing = kind.needs.filter((name) => adapters[name] === undefined).map((name) => ADAPTER_WORDS[name]);
            return Promise.reject(new StepFailure('UNAVAILABLE', `This server does not offer ${missing.join(' or ')}.`, false));
          }
          return kind.run(params, { ...ctx, adapters });
        },
      };
    },
  };
}

/** A step failure with a code; `retryable: false` when another attempt cannot help. */
export class StepFailure extends Error {
  override name = 'StepFailure';
  constructor(
    readonly code: string,
    message: string,
    readonly retryable = true,
  ) {
    super(message);
  }
}

/**
 * Where a step shows what it makes: its workflow's world; a workflow in no world works where the
 * run was started from (its owner's role in that world is checked when the step touches it).
 */
export function worldOfRun(run: StepContext['run']): string | undefined {
  if (run.worldId) return run.worldId;
  return typeof run.input.worldId === 'string' ? run.input.worldId : undefined;
}

export const done = (output: unknown): StepOutcome => ({ type: 'done', output });

/** Resolves after `ms`, or rejects as soon as the signal aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
