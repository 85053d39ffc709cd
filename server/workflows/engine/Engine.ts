/**
 * The durable workflow engine. Every change of a run is persisted before it is acted on; on start
 * the engine resumes every unfinished run, and a step that was interrupted runs again with the
 * same idempotency key. Runs queue by priority and run at most `concurrency` at a time, at most
 * `shareConcurrency` of them from one world (see FairQueue). Only a step that is executing holds
 * a slot: a run waiting for an answer, a retry or a delay's wake-up time holds none.
 */
import { EventEmitter } from 'node:events';
import { RetryPolicy, type Priority, type WorkflowDefinition } from '../../../shared/model/workflow';
import type { WorkflowStore } from '../../adapters/storage/WorkflowStore';
import type { Logger } from '../../log';
import { keyedSerial } from '../../serial';
import type { StepRegistry } from '../steps';
import { StepFailure, type StepAdapters, type StepOutcome } from '../steps/StepKind';
import { FairQueue, defaultShareConcurrency } from './FairQueue';
import { failed, traceIdOf, type Tracing } from '../../tracing/Tracing';
import {
  DEFAULT_RETRY,
  TERMINAL_RUN,
  begin,
  deliverSignal,
  fail,
  idempotencyKey,
  logLine,
  newRun,
  outputsOf,
  park,
  plan,
  requestCancel,
  succeed,
  wait,
  type RunRecord,
  type StepError,
} from './runMachine';

/** A step's attempt that ended, as the metrics count it. */
export interface StepEnded {
  kind: string;
  outcome: 'succeeded' | 'failed' | 'retrying' | 'waiting' | 'parked';
  code?: string;
  seconds: number;
}

/** How a step that returned ended, by what it returned. */
const ENDED_AS = { done: 'succeeded', wait: 'waiting', sleep: 'parked' } as const satisfies Record<StepOutcome['type'], StepEnded['outcome']>;

export interface EngineOptions {
  store: WorkflowStore;
  registry: StepRegistry;
  /** The services steps use, or a factory that makes them for each run (held to what its workflow may touch). */
  adapters: StepAdapters | ((run: RunRecord) => Promise<StepAdapters>);
  log: Logger;
  concurrency: number;
  /** Runs of one world (or of one workflow in no world) that may execute at once; default half of `concurrency`, at least 1. */
  shareConcurrency?: number;
  /** Used when a step names no timeout of its own. */
  defaultStepTimeoutMs: number;
  newId(): string;
  /** Each step's attempt is a span (a trace of its own: a run outlives the request that started it). */
  tracing?: Tracing;
  now?(): number;
  random?(): number;
}

const SHUTDOWN = 'engine shutting down';

/** What the rest of the server asks of the engine, whether it runs here (Engine) or in another process (cluster/SiteEngine). */
export type RunEngine = Pick<Engine, 'start' | 'stop' | 'startRun' | 'cancel' | 'signal' | 'onRun' | 'watchRuns' | 'onStep'>;

/** How one attempt of a step ended: what it returned, or why it failed. */
type Attempted = { ok: true; value: StepOutcome } | { ok: false; error: StepError };

/** Why an in-flight step was stopped. */
type StopReason = 'cancel' | 'shutdown';

export class Engine {
  private readonly events = new EventEmitter();
  private readonly ready: FairQueue;
  /** The share (see FairQueue) of each workflow. */
  private readonly shares = new Map<string, string>();
  /** The world each workflow stands in (null: none), found with its share. */
  private readonly worlds = new Map<string, string | null>();
  private readonly active = new Map<string, AbortController>();
  private readonly stopReasons = new Map<string, StopReason>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Everything that reads and writes one run does so in turn, so no change to a run is lost. */
  private readonly runTurns = keyedSerial();
  private readonly definitions = new Map<string, WorkflowDefinition>();
  private readonly drives = new Set<Promise<void>>();
  private stopped = false;
  private readonly now: () => number;
  private readonly random: () => number;

  constructor(private readonly o: EngineOptions) {
    this.now = o.now ?? Date.now;
    this.random = o.random ?? Math.random;
    this.ready = new FairQueue(o.shareConcurrency ?? defaultShareConcurrency(o.concurrency));
    this.events.setMaxListeners(0);
  }

  /** Resumes every run that had not finished when the server last stopped. */
  async start(): Promise<number> {
    const open = await this.o.store.listUnfinishedRuns();
    for (const id of new Set(open.map((r) => r.workflowId))) await this.shareOf(id);
    for (const run of open) this.enqueue(run);
    if (open.length) this.o.log.info({ runs: open.length }, 'resuming unfinished workflow runs');
    return open.length;
  }

  /** Stops taking work and interrupts running steps; they resume on the next start. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    for (const [id, controller] of this.active) {
      this.stopReasons.set(id, 'shutdown');
      controller.abort(new Error(SHUTDOWN));
    }
    await Promise.allSettled([...this.drives]);
  }

  /** Calls `listener` each time a step's attempt ends (for the metrics). Returns the unsubscribe function. */
  onStep(listener: (e: StepEnded) => void): () => void {
    this.events.on('step', listener);
    return () => this.events.off('step', listener);
  }

  /**
   * Calls `listener` with every persisted change of every run, once for the site (in the process
   * that made it): for what must happen once, like telling a world or counting. Returns the
   * unsubscribe function.
   */
  onRun(listener: (run: RunRecord) => void): () => void {
    this.events.on('run', listener);
    return () => this.events.off('run', listener);
  }

  /**
   * Calls `listener` with every persisted change of every run, in every process of the site (here
   * the same as onRun): for what each process keeps track of, like runs waiting for an answer.
   */
  watchRuns(listener: (run: RunRecord) => void): () => void {
    return this.onRun(listener);
  }

  /** Starts a run of `version` of a workflow. */
  async startRun(workflowId: string, version: number, definition: WorkflowDefinition, input: Record<string, unknown>, priority: Priority): Promise<RunRecord> {
    this.definitions.set(`${workflowId}@${version}`, definition);
    const run = newRun(this.o.newId(), workflowId, version, definition, input, priority, this.now());
    await this.shareOf(workflowId);
    await this.persist(run);
    this.enqueue(run);
    return run;
  }

  /**
   * Takes up a run another process stored (see cluster/SiteEngine): queued here unless it already
   * runs, waits or is queued here.
   */
  async adopt(runId: string): Promise<void> {
    const run = await this.o.store.getRun(runId);
    if (this.stopped || !run || TERMINAL_RUN.has(run.status) || this.active.has(runId) || this.timers.has(runId)) return;
    await this.shareOf(run.workflowId);
    this.enqueue(run);
  }

  /** Asks a run to stop: a running step is aborted, the rest are cancelled. */
  async cancel(runId: string): Promise<RunRecord | undefined> {
    return this.runTurns.run(runId, async () => {
      const run = await this.o.store.getRun(runId);
      if (!run || TERMINAL_RUN.has(run.status)) return run;
      const updated = logLine(requestCancel(run, this.now()), null, 'cancellation requested', this.now());
      await this.persist(updated);
      const controller = this.active.get(runId);
      if (controller) {
        this.stopReasons.set(runId, 'cancel');
        controller.abort(new Error('run cancelled'));
      } else {
        this.unschedule(runId);
        this.enqueue(updated);
      }
      return updated;
    });
  }

  /**
   * Delivers an answer to a step (an approval, a neural command); undefined when that step cannot
   * take one now, or is not of `kind` when one is named (an approval must not answer another kind).
   */
  async signal(runId: string, stepId: string, payload: unknown, kind?: string): Promise<RunRecord | undefined> {
    return this.runTurns.run(runId, async () => {
      const run = await this.o.store.getRun(runId);
      if (!run) return undefined;
      if (kind !== undefined && (await this.definitionOf(run)).steps.find((s) => s.id === stepId)?.kind !== kind) return undefined;
      const updated = deliverSignal(run, stepId, payload, this.now());
      if (!updated) return undefined;
      await this.persist(logLine(updated, stepId, 'answer received', this.now()));
      if (!this.active.has(runId)) this.enqueue(updated);
      return updated;
    });
  }

  private enqueue(run: RunRecord): void {
    if (this.stopped || this.ready.has(run.id)) return;
    const share = this.shares.get(run.workflowId);
    if (share === undefined) {
      this.shareOf(run.workflowId)
        .then(() => this.enqueue(run))
        .catch((err: unknown) => this.o.log.error({ err, runId: run.id }, 'could not queue a workflow run'));
      return;
    }
    this.ready.push(run, share);
    this.pump();
  }

  /**
   * The share of the run's workflow: its world, looked up from the stored workflow, never from the
   * run's input, which the caller chose. A workflow in no world is a share of its own.
   */
  private async shareOf(workflowId: string): Promise<string> {
    let share = this.shares.get(workflowId);
    if (share === undefined) {
      let failed = false;
      const workflow = await this.o.store.getWorkflow(workflowId).catch((err: unknown) => {
        this.o.log.warn({ err, workflowId }, 'could not look up the world of a workflow; it is queued on its own');
        failed = true;
        return undefined;
      });
      share = workflow?.worldId ? `world:${workflow.worldId}` : `workflow:${workflowId}`;
      // a failed look-up is not remembered: the next run of the workflow asks again
      if (!failed) {
        this.shares.set(workflowId, share);
        if (workflow) this.worlds.set(workflowId, workflow.worldId ?? null);
      }
    }
    return share;
  }

  private unschedule(runId: string): void {
    const t = this.timers.get(runId);
    if (t) clearTimeout(t);
    this.timers.delete(runId);
  }

  private pump(): void {
    while (!this.stopped && this.active.size < this.o.concurrency) {
      const taken = this.ready.take();
      if (!taken) return;
      const next = taken.run;
      if (this.active.has(next.id)) {
        this.ready.release(taken.share);
        continue;
      }
      const controller = new AbortController();
      this.active.set(next.id, controller);
      const drive = this.drive(next.id, controller)
        .catch((err: unknown) => this.o.log.error({ err, runId: next.id }, 'workflow run stopped by an internal error'))
        .finally(() => {
          this.active.delete(next.id);
          this.ready.release(taken.share);
          this.stopReasons.delete(next.id);
          this.drives.delete(drive);
          this.pump();
        });
      this.drives.add(drive);
    }
  }

  private async persist(run: RunRecord): Promise<void> {
    await this.o.store.putRun(run);
    this.events.emit('run', run);
  }

  private async definitionOf(run: RunRecord): Promise<WorkflowDefinition> {
    const key = `${run.workflowId}@${run.version}`;
    let def = this.definitions.get(key);
    if (!def) {
      const version = await this.o.store.getVersion(run.workflowId, run.version);
      if (!version) throw new Error(`version ${run.version} of workflow ${run.workflowId} is missing`);
      def = version.definition;
      this.definitions.set(key, def);
    }
    return def;
  }

  /** Advances one run until it finishes, sleeps, waits for an answer or the engine stops. */
  private async drive(runId: string, controller: AbortController): Promise<void> {
    for (;;) {
      if (this.stopped) return;
      const next = await this.runTurns.run(runId, async () => {
        const stored = await this.o.store.getRun(runId);
        if (!stored) return null;
        const def = await this.definitionOf(stored);
        const now = this.now();
        const planned = plan(stored, def, now);
        let run = planned.run;
        switch (planned.action.type) {
          case 'finished':
            if (run !== stored) await this.persist(logLine(run, null, `run ${run.status}`, now));
            return null;
          case 'sleep': {
            if (run !== stored) await this.persist(run);
            const delay = Math.max(0, planned.action.until - now);
            this.timers.set(runId, setTimeout(() => (this.timers.delete(runId), this.enqueue(run)), delay));
            return null;
          }
          case 'wait':
            if (run.status !== stored.status) await this.persist(run);
            return null;
          case 'execute': {
            const index = planned.action.index;
            run = begin(run, index, now);
            const step = run.steps[index]!;
            run = logLine(run, step.stepId, `started (attempt ${step.attempt})`, now);
            await this.persist(run);
            return { run, def, index };
          }
          default: {
            const unreachable: never = planned.action;
            throw new Error(`unknown action ${JSON.stringify(unreachable)}`);
          }
        }
      });
      if (!next) return;

      const outcome = await this.execute(next.run, next.def, next.index, controller.signal);
      if (this.stopReasons.get(runId) === 'shutdown') return; // left running in the store; resumes on start

      await this.runTurns.run(runId, async () => {
        const stored = (await this.o.store.getRun(runId)) ?? next.run;
        const spec = next.def.steps[next.index]!;
        const stepId = spec.id;
        const now = this.now();
        let run: RunRecord;
        if (!outcome.ok && stored.cancelRequested) {
          // the failure is the cancellation itself; plan() cancels the run on the next turn
          return;
        } else if (outcome.ok && outcome.value.type === 'done') {
          run = logLine(succeed(stored, next.index, outcome.value.output, now), stepId, 'succeeded', now);
        } else if (outcome.ok && outcome.value.type === 'wait') {
          run = logLine(wait(stored, next.index, outcome.value.waitingFor, now), stepId, `waiting: ${outcome.value.reason}`, now);
        } else if (outcome.ok && outcome.value.type === 'sleep') {
          const wakeAt = now + outcome.value.ms;
          run = logLine(park(stored, next.index, wakeAt, now), stepId, `${outcome.value.reason}, until ${new Date(wakeAt).toISOString()}`, now);
        } else if (!outcome.ok) {
          const policy = RetryPolicy.parse(spec.retry ?? DEFAULT_RETRY);
          run = fail(stored, next.index, outcome.error, policy, now, this.random());
          const s = run.steps[next.index]!;
          const note = s.status === 'retrying' ? `; retrying at ${new Date(s.nextAttemptAt!).toISOString()}` : '';
          run = logLine(run, stepId, `failed: ${outcome.error.message}${note}`, now);
        } else {
          throw new Error('unreachable step outcome');
        }
        await this.persist(run);
        const seconds = (now - (next.run.steps[next.index]!.startedAt ?? now)) / 1000;
        const ended: StepEnded = outcome.ok
          ? { kind: spec.kind, outcome: ENDED_AS[outcome.value.type], seconds }
          : { kind: spec.kind, outcome: run.steps[next.index]!.status === 'retrying' ? 'retrying' : 'failed', code: outcome.error.code, seconds };
        this.events.emit('step', ended);
      });
    }
  }

  private async execute(run: RunRecord, def: WorkflowDefinition, index: number, cancel: AbortSignal): Promise<Attempted> {
    const spec = def.steps[index]!;
    if (!this.o.tracing?.on) return this.attempt(run, def, index, cancel);
    const attributes = { 'dwc.run.id': run.id, 'dwc.workflow.id': run.workflowId, 'dwc.step.id': spec.id, 'dwc.step.attempt': run.steps[index]!.attempt };
    return this.o.tracing.inSpan(
      `step ${spec.kind}`,
      attributes,
      async (span) => {
        const outcome = await this.attempt(run, def, index, cancel, traceIdOf(span));
        span.setAttribute('dwc.outcome', outcome.ok ? ENDED_AS[outcome.value.type] : 'failed');
        if (!outcome.ok) failed(span, outcome.error.code);
        return outcome;
      },
      { root: true },
    );
  }

  private async attempt(run: RunRecord, def: WorkflowDefinition, index: number, cancel: AbortSignal, traceId?: string): Promise<Attempted> {
    const spec = def.steps[index]!;
    const kind = this.o.registry.get(spec.kind);
    if (!kind) return { ok: false, error: { code: 'UNKNOWN_KIND', message: `No step kind "${spec.kind}" on this server.`, retryable: false } };
    const prepared = kind.prepare(spec.params);
    if (!prepared.ok) return { ok: false, error: { code: 'BAD_PARAMS', message: `The step's parameters are not valid: ${prepared.error.message}`, retryable: false } };

    const timeoutMs = spec.timeoutMs ?? this.o.defaultStepTimeoutMs;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = AbortSignal.any([cancel, timeout]);
    const step = run.steps[index]!;
    try {
      const adapters = typeof this.o.adapters === 'function' ? await this.o.adapters(run) : this.o.adapters;
      await this.shareOf(run.workflowId);
      const value = await prepared.run({
        run: { id: run.id, workflowId: run.workflowId, version: run.version, input: run.input, worldId: this.worlds.get(run.workflowId) ?? null },
        step: { id: spec.id, name: spec.name, attempt: step.attempt },
        idempotencyKey: idempotencyKey(run, spec.id),
        outputs: outputsOf(run),
        answer: run.signals[spec.id],
        wakeAt: step.wakeAt,
        signal,
        log: this.o.log.child(traceId ? { runId: run.id, stepId: spec.id, traceId } : { runId: run.id, stepId: spec.id }),
        adapters,
      });
      return { ok: true, value };
    } catch (err) {
      if (timeout.aborted && !cancel.aborted) return { ok: false, error: { code: 'TIMEOUT', message: `The step took longer than ${timeoutMs} ms.`, retryable: true } };
      if (cancel.aborted) return { ok: false, error: { code: 'CANCELLED', message: 'The run was cancelled.', retryable: false } };
      if (err instanceof StepFailure) return { ok: false, error: { code: err.code, message: err.message, retryable: err.retryable } };
      return { ok: false, error: { code: 'STEP_ERROR', message: err instanceof Error ? err.message : String(err), retryable: true } };
    }
  }
}
