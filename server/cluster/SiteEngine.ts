/**
 * The workflow engine of a site of several processes. One process at a time holds the engine's
 * lease (a Redis key with a time-to-live, renewed while it lives) and runs every run; it resumes
 * the unfinished ones from the shared store when it takes the lease, exactly as one process does
 * after a restart, so a step cut off by a process that died runs again under the same idempotency
 * key in the next holder. The others store the runs they start and tell the holder to take them
 * up, pass cancellations and answers to it, and hear every run's changes from it.
 *
 * Why one holder and not a lease per run: the engine already keeps every change of a run in the
 * store before acting on it and resumes from there, so handing the whole engine over is the same,
 * well-tested path as a restart; leases per run would need every write fenced by its lease and
 * every answer routed to the run's holder. The cost is that runs execute in one process at a time
 * (WORKFLOW_CONCURRENCY of them), which the lease moves when that process goes.
 */
import { EventEmitter } from 'node:events';
import { requestFromIPC, subscribeIPC, type Presence } from '@colyseus/core';
import type { Redis } from 'ioredis';
import type { WorkflowDefinition, Priority } from '../../shared/model/workflow';
import type { WorkflowStore } from '../adapters/storage/WorkflowStore';
import { ErrorCode } from '../../shared/protocol';
import { AppError } from '../errors';
import type { Logger } from '../log';
import type { Engine, RunEngine, StepEnded } from '../workflows/engine/Engine';
import { newRun, type RunRecord } from '../workflows/engine/runMachine';

const LEASE_KEY = 'dwc:engine:lease';
/** Where the holder listens for work and requests from the other processes. */
const HOLDER_CHANNEL = 'dwc:engine:holder';
/** Every persisted change of every run, from the holder (and runs stored by the others) to all. */
const RUNS_CHANNEL = 'dwc:engine:runs';
const REQUEST_TIMEOUT_MS = 5000;

const RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";
const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

export interface SiteEngineOptions {
  redis: Redis;
  presence: Presence;
  store: WorkflowStore;
  /** A fresh engine each time this process takes the lease (a stopped engine stays stopped). */
  makeEngine(): Engine;
  /** This process's name in the lease (unique per process). */
  processId: string;
  log: Logger;
  newId(): string;
  /** How long the lease lasts unless renewed; renewed every third of it. */
  leaseMs: number;
  /** Told when this process takes the lease or gives it up. */
  onHolding?(holding: boolean): void;
  now?(): number;
}

type Request = { method: 'adopt'; args: [string] } | { method: 'cancel'; args: [string] } | { method: 'signal'; args: [string, string, unknown, string | undefined] };

export class SiteEngine implements RunEngine {
  private readonly events = new EventEmitter();
  private engine: Engine | null = null;
  private timer: NodeJS.Timeout | undefined;
  private turn: Promise<void> = Promise.resolve();
  private stopped = false;
  private readonly now: () => number;
  private readonly onRuns = (run: RunRecord) => this.events.emit('seen', run);

  constructor(private readonly o: SiteEngineOptions) {
    this.now = o.now ?? Date.now;
    this.events.setMaxListeners(0);
  }

  /** True while this process runs the site's runs. */
  get holding(): boolean {
    return this.engine !== null;
  }

  async start(): Promise<number> {
    await this.o.presence.subscribe(RUNS_CHANNEL, this.onRuns);
    await this.tick();
    this.timer = setInterval(() => this.schedule(), Math.max(100, Math.floor(this.o.leaseMs / 3)));
    return 0;
  }

  /** Stops this process's part; a lease it holds is given back at once so another process takes over. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.turn;
    await this.giveUp('stopping');
    await this.o.presence.unsubscribe(RUNS_CHANNEL, this.onRuns);
  }

  onStep(listener: (e: StepEnded) => void): () => void {
    this.events.on('step', listener);
    return () => this.events.off('step', listener);
  }

  /** Changes made by the engine while this process holds it: once for the site. */
  onRun(listener: (run: RunRecord) => void): () => void {
    this.events.on('run', listener);
    return () => this.events.off('run', listener);
  }

  /** Every change of every run in the site, as the other processes hear it too. */
  watchRuns(listener: (run: RunRecord) => void): () => void {
    this.events.on('seen', listener);
    return () => this.events.off('seen', listener);
  }

  async startRun(workflowId: string, version: number, definition: WorkflowDefinition, input: Record<string, unknown>, priority: Priority): Promise<RunRecord> {
    if (this.engine) return this.engine.startRun(workflowId, version, definition, input, priority);
    // stored here, then taken up by the holder; with no holder right now, by the next one when it resumes
    const run = newRun(this.o.newId(), workflowId, version, definition, input, priority, this.now());
    await this.o.store.putRun(run);
    this.publish(run);
    this.ask({ method: 'adopt', args: [run.id] }).catch((err: unknown) => this.o.log.warn({ err: { message: (err as Error).message }, runId: run.id }, 'the engine holder was not told of a run; it starts when the holder next resumes runs'));
    return run;
  }

  async cancel(runId: string): Promise<RunRecord | undefined> {
    if (this.engine) return this.engine.cancel(runId);
    return (await this.ask({ method: 'cancel', args: [runId] })) ?? undefined;
  }

  async signal(runId: string, stepId: string, payload: unknown, kind?: string): Promise<RunRecord | undefined> {
    if (this.engine) return this.engine.signal(runId, stepId, payload, kind);
    return (await this.ask({ method: 'signal', args: [runId, stepId, payload, kind] })) ?? undefined;
  }

  private async ask(request: Request): Promise<RunRecord | null> {
    try {
      return await requestFromIPC<RunRecord | null>(this.o.presence, HOLDER_CHANNEL, request.method, request.args, REQUEST_TIMEOUT_MS);
    } catch (err) {
      if ((err as Error).message === 'ipc_timeout') {
        throw new AppError(ErrorCode.UNAVAILABLE, 'The workflow engine is moving to another server process; try again in a few seconds.', 503);
      }
      throw err;
    }
  }

  private answer = (method: string, args: unknown[]): Promise<RunRecord | null> | null => {
    const engine = this.engine;
    if (!engine) return null;
    const [runId] = args as [string];
    if (method === 'adopt') return engine.adopt(runId).then(() => null);
    if (method === 'cancel') return engine.cancel(runId).then((r) => r ?? null);
    if (method === 'signal') {
      const [, stepId, payload, kind] = args as [string, string, unknown, string | undefined];
      return engine.signal(runId, stepId, payload, kind ?? undefined).then((r) => r ?? null);
    }
    return null;
  };

  private publish(run: RunRecord): void {
    Promise.resolve(this.o.presence.publish(RUNS_CHANNEL, run)).catch((err: unknown) => this.o.log.warn({ err, runId: run.id }, "a run's change could not be told to the other processes"));
  }

  /** One lease check at a time, never overlapping a take-over or a hand-back. */
  private schedule(): void {
    this.turn = this.turn.then(() => this.tick()).catch((err: unknown) => this.o.log.error({ err }, 'the engine lease check failed'));
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    const { redis, processId, leaseMs } = this.o;
    if (this.engine) {
      const renewed = await redis.eval(RENEW, 1, LEASE_KEY, processId, String(leaseMs)).catch(() => 0);
      // a lease that could not be renewed may be another's by now: stop at once rather than run a step twice
      if (renewed !== 1) await this.giveUp('lost the lease');
      return;
    }
    const taken = await redis.set(LEASE_KEY, processId, 'PX', leaseMs, 'NX').catch(() => null);
    if (taken === 'OK') await this.take();
  }

  private async take(): Promise<void> {
    const engine = this.o.makeEngine();
    engine.onRun((run) => {
      this.events.emit('run', run);
      this.publish(run);
    });
    engine.onStep((e) => this.events.emit('step', e));
    this.engine = engine;
    await subscribeIPC(this.o.presence, HOLDER_CHANNEL, this.answer);
    let resumed: number;
    try {
      resumed = await engine.start();
    } catch (err) {
      // a holder that cannot read its runs must not sit on the lease: another process may
      await this.giveUp('could not resume the unfinished runs');
      throw err;
    }
    this.o.log.info({ resumed }, 'this process now runs the workflow engine for the site');
    this.o.onHolding?.(true);
  }

  private async giveUp(why: string): Promise<void> {
    const engine = this.engine;
    if (!engine) return;
    this.engine = null;
    this.o.onHolding?.(false);
    await this.o.presence.unsubscribe(HOLDER_CHANNEL);
    await engine.stop();
    await this.o.redis.eval(RELEASE, 1, LEASE_KEY, this.o.processId).catch(() => undefined);
    this.o.log.info({ why }, 'this process no longer runs the workflow engine');
  }
}
