/**
 * Appends audit entries to the store in small batches: callers record and move on, and a batch is
 * written (synced) every FLUSH_MS or once BATCH entries are waiting. `close` writes what is left.
 * A write that fails is logged and retried with the next batch, never thrown at the caller whose
 * change has already happened.
 *
 * Two things keep the log from growing without bound: a refusal repeated (same actor, world, action
 * and reason) within REPEAT_WINDOW_MS of its first entry is counted, and the count written as one
 * more entry when the window ends; and entries older than the retention are pruned at start and
 * daily, a bounded batch at a time.
 */
import { randomBytes } from 'node:crypto';
import type { AuditEntry, AuditPage, AuditQuery, AuditStore } from '../adapters/storage/AuditStore';
import type { Logger } from '../log';
import { serial } from '../serial';

const FLUSH_MS = 200;
const BATCH = 500;
/** Past this many unwritten entries (a store that keeps failing), the oldest are dropped and counted. */
const MAX_PENDING = 50_000;
const REPEAT_WINDOW_MS = 60_000;
/** Refusals being counted at once; past it the oldest count is written early. */
const MAX_REPEATS = 10_000;
const PRUNE_BATCH = 1000;
const DAY_MS = 86_400_000;

export interface AuditLogOptions {
  /** Days entries are kept; 0 keeps them for ever. */
  retentionDays?: number;
}

interface Repeats {
  input: AuditInput;
  first: AuditEntry;
  count: number;
  until: number;
}

export type AuditInput = Omit<AuditEntry, 'id' | 'at'>;

export class AuditLog {
  private pending: AuditEntry[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly writes = serial();
  private lastMs = 0;
  private seq = 0;
  private dropped = 0;
  private readonly repeats = new Map<string, Repeats>();
  private sweeper: NodeJS.Timeout | undefined;
  private pruner: NodeJS.Timeout | undefined;
  private readonly prunes = serial();

  constructor(
    private readonly store: AuditStore,
    private readonly log: Logger,
    private readonly opts: AuditLogOptions = {},
  ) {}

  /** A time-ordered id: milliseconds, a sequence within the millisecond, and a random tail. */
  private nextId(now: number): string {
    // never go back in time, even if the clock does, so ids keep sorting in the order made
    if (now > this.lastMs) {
      this.lastMs = now;
      this.seq = 0;
    } else this.seq++;
    return `${this.lastMs.toString(36).padStart(9, '0')}${this.seq.toString(36).padStart(4, '0')}${randomBytes(3).toString('hex')}`;
  }

  record(input: AuditInput): AuditEntry {
    if (input.outcome !== 'refused') return this.append(input);
    const key = JSON.stringify([input.worldId, input.actor.kind, input.actor.id, input.action, input.detail ?? '']);
    const now = Date.now();
    const open = this.repeats.get(key);
    if (open && now < open.until) {
      open.count++;
      return open.first;
    }
    if (open) this.endRepeats(key, open);
    const first = this.append(input);
    this.repeats.set(key, { input, first, count: 0, until: now + REPEAT_WINDOW_MS });
    if (this.repeats.size > MAX_REPEATS) {
      const [oldest, r] = this.repeats.entries().next().value!;
      this.endRepeats(oldest, r);
    }
    this.sweeper ??= setInterval(() => this.sweep(Date.now()), REPEAT_WINDOW_MS / 4).unref();
    return first;
  }

  private append(input: AuditInput): AuditEntry {
    const now = Date.now();
    const entry: AuditEntry = { id: this.nextId(now), at: new Date(Math.max(now, this.lastMs)).toISOString(), ...input };
    this.pending.push(entry);
    if (this.pending.length > MAX_PENDING) {
      this.dropped += this.pending.length - MAX_PENDING;
      this.pending.splice(0, this.pending.length - MAX_PENDING);
    }
    if (this.pending.length >= BATCH) this.flushSoon();
    else this.timer ??= setTimeout(() => this.flushSoon(), FLUSH_MS);
    return entry;
  }

  /** Writes the count of a refusal's repeats, if it had any, as one entry. */
  private endRepeats(key: string, r: Repeats): void {
    this.repeats.delete(key);
    if (r.count > 0) this.append({ ...r.input, count: r.count });
  }

  private sweep(now: number): void {
    for (const [key, r] of this.repeats) if (now >= r.until) this.endRepeats(key, r);
    if (!this.repeats.size && this.sweeper) {
      clearInterval(this.sweeper);
      this.sweeper = undefined;
    }
  }

  /** Prunes now and then once a day, when a retention is set. */
  startRetention(): void {
    if (!this.opts.retentionDays || this.pruner) return;
    const run = () => {
      this.prunes(() => this.prune(Date.now())).catch((err: unknown) => this.log.error({ err }, 'old audit entries could not be pruned'));
    };
    run();
    this.pruner = setInterval(run, DAY_MS).unref();
  }

  /** Deletes entries older than the retention, in bounded batches so writers are not held up. */
  async prune(now: number): Promise<number> {
    if (!this.opts.retentionDays) return 0;
    const before = new Date(now - this.opts.retentionDays * DAY_MS).toISOString();
    let total = 0;
    try {
      for (;;) {
        const n = await this.store.prune(before, PRUNE_BATCH);
        total += n;
        if (n < PRUNE_BATCH) break;
        await new Promise((resolve) => setImmediate(resolve));
      }
    } catch (err) {
      this.log.error({ err, pruned: total }, 'old audit entries could not be pruned; trying again tomorrow');
    }
    if (total) this.log.info({ pruned: total, before }, 'old audit entries pruned');
    return total;
  }

  /** Writes everything recorded so far; resolves when it is on disk. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    return this.writes(async () => {
      const batch = this.pending.splice(0, this.pending.length);
      if (!batch.length) return;
      try {
        await this.store.append(batch);
      } catch (err) {
        this.log.error({ err, entries: batch.length }, 'audit entries could not be written; retrying');
        this.pending.unshift(...batch);
        this.timer ??= setTimeout(() => this.flushSoon(), FLUSH_MS * 5);
      }
      if (this.dropped) {
        this.log.error({ dropped: this.dropped }, 'audit entries dropped: the store has not accepted writes for too long');
        this.dropped = 0;
      }
    });
  }

  private flushSoon(): void {
    this.flush().catch((err: unknown) => this.log.error({ err }, 'audit entries could not be written'));
  }

  /** Reads what has been written, after writing what is pending so a reader sees its own changes. */
  async query(q: AuditQuery): Promise<AuditPage> {
    await this.flush();
    return this.store.query(q);
  }

  async close(): Promise<void> {
    if (this.pruner) clearInterval(this.pruner);
    this.pruner = undefined;
    // queued behind any pruning under way, so it ends when that has
    await this.prunes(async () => undefined);
    this.sweep(Number.POSITIVE_INFINITY);
    await this.flush();
  }
}
