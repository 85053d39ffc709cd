/**
 * Telemetry: readings become points, written by group commit (while one write is on disk the next
 * gathers, so the points of many messages share one synced batch and nobody waits for a timer), and
 * are answered by range at the resolution asked or one that suits the range. Old samples are pruned
 * per resolution.
 */
import type { Reading } from '../../shared/model/iot';
import type { IotStore, Resolution, TelemetryPoint, TelemetrySample } from '../adapters/storage/IotStore';
import type { Logger } from '../log';

/** The most points one batch writes; more wait for the next. */
const BATCH_POINTS = 20_000;
const PRUNE_EVERY_MS = 3600_000;
const DAY_MS = 24 * 3600_000;

export interface Retention {
  /** Days each resolution is kept. */
  rawDays: number;
  minuteDays: number;
  hourDays: number;
}

interface Waiter {
  resolve(): void;
  reject(err: unknown): void;
}

export class Telemetry {
  private pending: TelemetryPoint[] = [];
  private waiters: Waiter[] = [];
  private writing: Promise<void> | null = null;
  private pruneTimer: NodeJS.Timeout | null = null;
  private pruning: Promise<void> | null = null;
  /** Points written since the server started, for the bench and metrics. */
  written = 0;

  constructor(
    private readonly store: Pick<IotStore, 'appendTelemetry' | 'queryTelemetry' | 'pruneTelemetry'>,
    private readonly retention: Retention,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** Stores a device's reading; resolves once it is on disk. */
  write(deviceId: string, reading: Reading): Promise<void> {
    for (const metric in reading.values) this.pending.push({ deviceId, metric, t: reading.ts, v: reading.values[metric]! });
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    this.kick();
    return done;
  }

  private kick(): void {
    if (this.writing || this.pending.length === 0) return;
    // a batch ends at a message's last point only when the batch is not full; waiters are all
    // answered by the write that holds their last point, so a cut batch keeps the rest waiting
    const batch = this.pending.length > BATCH_POINTS ? this.pending.splice(0, BATCH_POINTS) : this.pending.splice(0);
    const waiters = this.pending.length ? [] : this.waiters.splice(0);
    this.writing = this.store.appendTelemetry(batch).then(
      () => {
        this.written += batch.length;
        for (const w of waiters) w.resolve();
      },
      (err: unknown) => {
        this.log.error({ err, points: batch.length }, 'telemetry could not be written');
        for (const w of waiters) w.reject(err);
        // the rest of a cut batch's messages cannot be told apart: they fail too
        if (!waiters.length) for (const w of this.waiters.splice(0)) w.reject(err);
      },
    );
    this.writing
      .finally(() => {
        this.writing = null;
        this.kick();
      })
      .catch(() => undefined);
  }

  /** Waits until everything received so far is written. */
  async drain(): Promise<void> {
    while (this.writing || this.pending.length) await (this.writing ?? Promise.resolve());
  }

  /** The resolution that keeps a range readable: raw up to 2 hours, minutes up to 7 days, then hours. */
  static resolutionFor(from: number, to: number): Resolution {
    const span = to - from;
    return span <= 2 * 3600_000 ? 'raw' : span <= 7 * DAY_MS ? '1m' : '1h';
  }

  query(deviceId: string, metric: string, from: number, to: number, resolution: Resolution, limit: number): Promise<TelemetrySample[]> {
    return this.store.queryTelemetry({ deviceId, metric, from, to, resolution, limit });
  }

  start(): void {
    this.pruneInBackground();
    this.pruneTimer = setInterval(() => this.pruneInBackground(), PRUNE_EVERY_MS);
    this.pruneTimer.unref();
  }

  async stop(): Promise<void> {
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    this.pruneTimer = null;
    await this.pruning;
    await this.drain();
  }

  private pruneInBackground(): void {
    if (this.pruning) return;
    const now = this.now();
    const keep: Array<[Resolution, number]> = [
      ['raw', this.retention.rawDays],
      ['1m', this.retention.minuteDays],
      ['1h', this.retention.hourDays],
    ];
    this.pruning = (async () => {
      for (const [resolution, days] of keep) if (days > 0) await this.store.pruneTelemetry(resolution, now - days * DAY_MS);
    })()
      .catch((err: unknown) => this.log.warn({ err }, 'old telemetry could not be pruned'))
      .finally(() => (this.pruning = null));
  }
}
