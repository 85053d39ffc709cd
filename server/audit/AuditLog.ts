/**
 * Appends audit entries to the store in small batches: callers record and move on, and a batch is
 * written (synced) every FLUSH_MS or once BATCH entries are waiting. `close` writes what is left.
 * A write that fails is logged and retried with the next batch, never thrown at the caller whose
 * change has already happened.
 */
import { randomBytes } from 'node:crypto';
import type { AuditEntry, AuditPage, AuditQuery, AuditStore } from '../adapters/storage/AuditStore';
import type { Logger } from '../log';

const FLUSH_MS = 200;
const BATCH = 500;
/** Past this many unwritten entries (a store that keeps failing), the oldest are dropped and counted. */
const MAX_PENDING = 50_000;

export type AuditInput = Omit<AuditEntry, 'id' | 'at'>;

export class AuditLog {
  private pending: AuditEntry[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private lastMs = 0;
  private seq = 0;
  private dropped = 0;

  constructor(
    private readonly store: AuditStore,
    private readonly log: Logger,
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

  /** Writes everything recorded so far; resolves when it is on disk. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.writing = this.writing.then(async () => {
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
    return this.writing;
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
    await this.flush();
  }
}
