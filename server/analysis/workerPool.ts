/**
 * A small pool of worker threads for CPU-heavy work, so that it never holds up the rooms and
 * routes on the main thread. Jobs wait in a bounded queue; a job that runs past its time limit,
 * or whose caller gives up, has its worker terminated, and a fresh worker takes that place.
 * Idle workers are unreferenced: they never keep the process alive.
 */
import { Worker } from 'node:worker_threads';

/** Why a job did not produce a result. */
export class PoolError extends Error {
  override name = 'PoolError';
  constructor(
    readonly code: 'TIMEOUT' | 'BUSY' | 'CRASHED' | 'FAILED' | 'CLOSED',
    message: string,
  ) {
    super(message);
  }
}

export interface WorkerPoolOptions {
  /** A TypeScript module that answers `{ id, input }` messages with `{ id, ok, result | message }`. */
  entry: URL;
  /** What the work is, for error messages ("The analysis"). */
  what: string;
  size: number;
  queueLimit: number;
  timeoutMs: number;
}

interface Job {
  id: number;
  input: unknown;
  timeoutMs: number;
  resolve(value: unknown): void;
  reject(err: unknown): void;
  signal?: AbortSignal;
  onAbort?: () => void;
  timer?: NodeJS.Timeout;
  /** Buffers handed to the worker instead of copied (they are unusable here afterwards). */
  transfer?: ArrayBuffer[];
}

interface Slot {
  worker: Worker;
  ready: boolean;
  job?: Job;
}

type Reply = { type: 'ready' } | { id: number; ok: true; result: unknown } | { id: number; ok: false; message: string };

/** Workers load TypeScript through tsx, whether the server runs under `node --import tsx` or vitest. */
const BOOT = new URL('./tsWorker.mjs', import.meta.url);

export class WorkerPool<I, O> {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;
  /** Workers started so far, replacements included. */
  started = 0;

  constructor(private readonly o: WorkerPoolOptions) {}

  /** Whether a job given now would be refused as BUSY: ask before doing costly work to make one. */
  get full(): boolean {
    return this.queue.length >= this.o.queueLimit;
  }

  /**
   * Runs one job; rejects with a PoolError, or the signal's reason when the caller gave up.
   * `transfer` moves those buffers to the worker instead of copying them.
   */
  run(input: I, opts: { signal?: AbortSignal; timeoutMs?: number; transfer?: ArrayBuffer[] } = {}): Promise<O> {
    if (this.closed) return Promise.reject(new PoolError('CLOSED', `${this.o.what} is not available: the server is stopping.`));
    if (opts.signal?.aborted) return Promise.reject(opts.signal.reason);
    if (this.full) {
      return Promise.reject(new PoolError('BUSY', `${this.o.what} is busy with ${this.queue.length} jobs waiting; try again shortly.`));
    }
    return new Promise<O>((resolve, reject) => {
      const job: Job = { id: this.nextId++, input, timeoutMs: opts.timeoutMs ?? this.o.timeoutMs, resolve: resolve as (v: unknown) => void, reject, signal: opts.signal, transfer: opts.transfer };
      if (job.signal) {
        job.onAbort = () => this.abandon(job);
        job.signal.addEventListener('abort', job.onAbort, { once: true });
      }
      this.queue.push(job);
      this.pump();
    });
  }

  /** Stops every worker and refuses what is waiting. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) this.settle(job, new PoolError('CLOSED', `${this.o.what} was stopped: the server is stopping.`));
    await Promise.all(this.slots.splice(0).map((slot) => this.stop(slot, new PoolError('CLOSED', `${this.o.what} was stopped: the server is stopping.`))));
  }

  private pump(): void {
    while (this.queue.length) {
      const slot = this.slots.find((s) => s.ready && !s.job);
      if (!slot) {
        if (this.slots.length < this.o.size) this.spawn();
        return;
      }
      this.dispatch(slot, this.queue.shift()!);
    }
  }

  private spawn(): void {
    const worker = new Worker(BOOT, { workerData: { entry: this.o.entry.href } });
    this.started++;
    const slot: Slot = { worker, ready: false };
    this.slots.push(slot);
    worker.on('message', (reply: Reply) => {
      if ('type' in reply) {
        slot.ready = true;
        worker.unref();
        this.pump();
        return;
      }
      const job = slot.job;
      if (!job || job.id !== reply.id) return;
      slot.job = undefined;
      worker.unref();
      this.settle(job, reply.ok ? undefined : new PoolError('FAILED', `${this.o.what} failed: ${reply.message}`), reply.ok ? reply.result : undefined);
      this.pump();
    });
    worker.on('error', (err) => this.lose(slot, new PoolError('CRASHED', `${this.o.what} stopped unexpectedly: ${err.message}`)));
    worker.on('exit', () => this.lose(slot, new PoolError('CRASHED', `${this.o.what} stopped unexpectedly.`)));
  }

  private dispatch(slot: Slot, job: Job): void {
    slot.job = job;
    slot.worker.ref();
    job.timer = setTimeout(() => {
      this.stopThenGoOn(slot, new PoolError('TIMEOUT', `${this.o.what} took longer than ${Math.round(job.timeoutMs / 100) / 10} s and was stopped.`));
    }, job.timeoutMs);
    slot.worker.postMessage({ id: job.id, input: job.input }, job.transfer ?? []);
    job.transfer = undefined;
  }

  /** The caller no longer wants `job`: drop it from the queue, or stop the worker running it. */
  private abandon(job: Job): void {
    const queued = this.queue.indexOf(job);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      this.settle(job, job.signal!.reason);
      return;
    }
    const slot = this.slots.find((s) => s.job === job);
    if (slot) this.stopThenGoOn(slot, job.signal!.reason);
  }

  /** A worker that exited or failed on its own: its job fails, and a fresh worker picks up the queue. */
  private lose(slot: Slot, err: PoolError): void {
    const at = this.slots.indexOf(slot);
    if (at < 0) return;
    this.slots.splice(at, 1);
    if (slot.job) this.settle(slot.job, err);
    slot.job = undefined;
    // one that never started will not start on a retry either: refuse the queue rather than loop
    if (!slot.ready) for (const job of this.queue.splice(0)) this.settle(job, err);
    if (!this.closed) this.pump();
  }

  /** Terminates a worker on purpose; its job, if any, fails with `err`. */
  /** Stops a worker and lets the queue move on, whatever terminating it answers (stop never throws). */
  private stopThenGoOn(slot: Slot, err: unknown): void {
    this.stop(slot, err).then(
      () => this.pump(),
      () => this.pump(),
    );
  }

  private async stop(slot: Slot, err: unknown): Promise<void> {
    const at = this.slots.indexOf(slot);
    if (at >= 0) this.slots.splice(at, 1);
    const job = slot.job;
    slot.job = undefined;
    if (job) this.settle(job, err);
    await slot.worker.terminate().catch(() => undefined);
  }

  private settle(job: Job, err: unknown, result?: unknown): void {
    clearTimeout(job.timer);
    if (job.onAbort) job.signal?.removeEventListener('abort', job.onAbort);
    if (err === undefined) job.resolve(result);
    else job.reject(err);
  }
}
