/**
 * The offline analyser off the main thread. wink-nlp and compromise take up to a second or two on
 * a long document; run in the room server's own thread that would freeze every world on it.
 */
import { availableParallelism } from 'node:os';
import type { Analysis } from './OfflineAnalyser';
import { MAX_ANALYSED_CHARS, type AnalyseOptions } from './OfflineAnalyser';
import type { AnalyserJob } from './analyser.worker';
import { WorkerPool, type WorkerPoolOptions } from './workerPool';

/** One worker on a two-core machine, two where there is room: analyses are rare next to room ticks. */
const WORKERS = Math.max(1, Math.min(2, availableParallelism() - 1));
/** Analyses that may wait for a worker; more are refused as busy rather than piling up. */
const QUEUE_LIMIT = 32;
/** A capped analysis takes about a second; one still running after this is stuck. */
const TIMEOUT_MS = 30_000;

export class AnalyserPool {
  private readonly pool: WorkerPool<AnalyserJob, Analysis>;

  constructor(o: Partial<Pick<WorkerPoolOptions, 'size' | 'queueLimit' | 'timeoutMs'>> = {}) {
    this.pool = new WorkerPool({
      entry: new URL('./analyser.worker.ts', import.meta.url),
      what: 'The offline analysis',
      size: o.size ?? WORKERS,
      queueLimit: o.queueLimit ?? QUEUE_LIMIT,
      timeoutMs: o.timeoutMs ?? TIMEOUT_MS,
    });
  }

  /** Workers started so far, replacements for stopped ones included. */
  get workersStarted(): number {
    return this.pool.started;
  }

  /** Analyses `text` in a worker; rejects with a PoolError (or the signal's reason) when it cannot. */
  async analyse(text: string, opts: AnalyseOptions, run: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<Analysis> {
    // only what is analysed crosses to the worker; one character more tells it the rest was left out
    const sent = text.length > MAX_ANALYSED_CHARS ? text.slice(0, MAX_ANALYSED_CHARS + 1) : text;
    const result = await this.pool.run({ text: sent, opts }, run);
    return result.coverage ? { ...result, coverage: { ...result.coverage, totalCharacters: text.length } } : result;
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
