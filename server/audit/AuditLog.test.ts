import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AuditEntry, AuditQuery, AuditStore } from '../adapters/storage/AuditStore';
import { AuditLog } from './AuditLog';

class FlakyStore implements AuditStore {
  written: AuditEntry[] = [];
  failNext = 0;
  async append(entries: readonly AuditEntry[]) {
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('disk full');
    }
    this.written.push(...entries);
  }
  async query(q: AuditQuery) {
    return { entries: this.written.slice(0, q.limit) };
  }
}

const entry = (action: string) => ({ worldId: 'w', actor: { kind: 'system' as const, id: 'server' }, action, outcome: 'accepted' as const });

afterEach(() => vi.useRealTimers());

describe('audit log writer', () => {
  it('makes ids that sort in the order entries were made, within a millisecond and when the clock steps back', async () => {
    vi.useFakeTimers({ now: 1_800_000_000_000 });
    const store = new FlakyStore();
    const log = new AuditLog(store, pino({ level: 'silent' }));
    const made = [log.record(entry('a')), log.record(entry('b'))];
    vi.setSystemTime(1_799_999_999_000); // the clock goes back a second
    made.push(log.record(entry('c')));
    vi.setSystemTime(1_800_000_005_000);
    made.push(log.record(entry('d')));
    const ids = made.map((e) => e.id);
    expect(ids).toEqual([...ids].sort());
    expect(new Set(ids).size).toBe(4);
    expect(made[2]!.at >= made[1]!.at).toBe(true);
    await log.flush();
    expect(store.written.map((e) => e.action)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('keeps entries a failed write could not store and writes them with the next batch', async () => {
    const store = new FlakyStore();
    const log = new AuditLog(store, pino({ level: 'silent' }));
    store.failNext = 1;
    log.record(entry('first'));
    await log.flush();
    expect(store.written).toEqual([]);
    log.record(entry('second'));
    await log.close();
    expect(store.written.map((e) => e.action)).toEqual(['first', 'second']);
  });

  it('writes a batch on its own after a short while, without anyone flushing', async () => {
    const store = new FlakyStore();
    const log = new AuditLog(store, pino({ level: 'silent' }));
    log.record(entry('soon'));
    await vi.waitFor(() => expect(store.written).toHaveLength(1), { timeout: 2000 });
  });
});
