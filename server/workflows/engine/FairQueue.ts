/**
 * Runs waiting for an execution slot, handed out fairly between shares (a share is the world a
 * workflow stands in, or the workflow itself when it stands in none).
 *
 * Order: a higher priority always goes first, so a critical run still overtakes normal ones. Among
 * runs of equal priority, the share with the fewest runs executing goes first, then the oldest run.
 * No share may execute more than `perShare` runs at once, whatever their priority: one world filling
 * the queue (even with critical runs) leaves the other slots to everyone else.
 */
import { PRIORITY_RANK } from '../../../shared/model/workflow';
import { queueOrder, type RunRecord } from './runMachine';

export interface Queued {
  run: RunRecord;
  share: string;
}

export class FairQueue {
  /** Kept in {@link queueOrder}; a new run goes in at its place rather than re-sorting them all. */
  private readonly entries: Queued[] = [];
  private readonly waiting = new Set<string>();
  private readonly executing = new Map<string, number>();

  constructor(private readonly perShare: number) {}

  get size(): number {
    return this.entries.length;
  }

  has(runId: string): boolean {
    return this.waiting.has(runId);
  }

  push(run: RunRecord, share: string): void {
    // after every entry that goes before it or ties with it, so equal runs keep the order they came in
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (queueOrder(this.entries[mid]!.run, run) <= 0) lo = mid + 1;
      else hi = mid;
    }
    this.entries.splice(lo, 0, { run, share });
    this.waiting.add(run.id);
  }

  /** Runs of a share executing now. */
  active(share: string): number {
    return this.executing.get(share) ?? 0;
  }

  /** Removes and returns the next run to start, or undefined when every waiting run's share is at its limit. */
  take(): Queued | undefined {
    let best = -1;
    for (let i = 0; i < this.entries.length; i++) {
      const e = this.entries[i]!;
      const load = this.active(e.share);
      if (load >= this.perShare) continue;
      if (best < 0) {
        best = i;
        continue;
      }
      const chosen = this.entries[best]!;
      // entries are sorted by priority: once a lower one shows up, nothing further can win
      if (PRIORITY_RANK[e.run.priority] < PRIORITY_RANK[chosen.run.priority]) break;
      if (load < this.active(chosen.share)) best = i;
    }
    if (best < 0) return undefined;
    const [taken] = this.entries.splice(best, 1);
    this.waiting.delete(taken!.run.id);
    this.executing.set(taken!.share, this.active(taken!.share) + 1);
    return taken;
  }

  /** A run taken from this queue stopped executing. */
  release(share: string): void {
    const n = this.active(share) - 1;
    if (n > 0) this.executing.set(share, n);
    else this.executing.delete(share);
  }
}

/** Half the slots, at least one: no world can take them all. */
export function defaultShareConcurrency(concurrency: number): number {
  return Math.max(1, Math.floor(concurrency / 2));
}
