/**
 * The audit log in the embedded LevelDB. Each entry is written twice in one atomic batch: under
 * the time-ordered log and under its world, so a world's history is one range scan. Queries walk
 * forward from the cursor and stop at the page size.
 */
import type { ClassicLevel } from 'classic-level';
import { auditMatches, type AuditEntry, type AuditPage, type AuditQuery, type AuditStore } from './AuditStore';

const SEP = '\x00';
const ALL = `audit${SEP}`;
const byWorld = (worldId: string) => `auditw${SEP}${worldId}${SEP}`;

export class LevelAuditStore implements AuditStore {
  constructor(private readonly db: ClassicLevel<string, unknown>) {}

  async append(entries: readonly AuditEntry[]): Promise<void> {
    if (!entries.length) return;
    const batch = this.db.batch();
    for (const e of entries) {
      batch.put(ALL + e.id, e);
      if (e.worldId) batch.put(byWorld(e.worldId) + e.id, e);
    }
    await batch.write({ sync: true });
  }

  async prune(before: string, limit: number): Promise<number> {
    const batch = this.db.batch();
    let n = 0;
    // ids sort by time, so the oldest come first and the first one new enough ends the walk
    const iterator = this.db.iterator({ gt: ALL, lt: `${ALL}\xff`, limit });
    try {
      for await (const [key, value] of iterator) {
        const e = value as AuditEntry;
        if (e.at >= before) break;
        batch.del(key);
        if (e.worldId) batch.del(byWorld(e.worldId) + e.id);
        n++;
      }
    } finally {
      await iterator.close();
    }
    if (n) await batch.write({ sync: true });
    else await batch.close();
    return n;
  }

  async query(q: AuditQuery): Promise<AuditPage> {
    const prefix = q.worldId ? byWorld(q.worldId) : ALL;
    const entries: AuditEntry[] = [];
    const iterator = this.db.iterator({ gt: prefix + (q.after ?? ''), lt: `${prefix}\xff` });
    try {
      for await (const [, value] of iterator) {
        const e = value as AuditEntry;
        // ids sort by time: once past `to`, nothing later can match
        if (q.to !== undefined && e.at > q.to) break;
        if (!auditMatches(e, q)) continue;
        if (entries.length === q.limit) return { entries, next: entries.at(-1)!.id };
        entries.push(e);
      }
    } finally {
      await iterator.close();
    }
    return { entries };
  }
}
