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
  async prune(before: string, limit: number) {
    const old = this.written.filter((e) => e.at < before).slice(0, limit);
    this.written = this.written.filter((e) => !old.includes(e));
    return old.length;
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

  it('counts a refusal repeated within a minute into one more entry, instead of storing each', async () => {
    vi.useFakeTimers({ now: 1_800_000_000_000 });
    const store = new FlakyStore();
    const log = new AuditLog(store, pino({ level: 'silent' }));
    const refusal = (detail: string) => ({ worldId: null, actor: { kind: 'client' as const, id: '203.0.113.1' }, action: 'POST /api/v3/worlds', outcome: 'refused' as const, detail });
    for (let i = 0; i < 10_000; i++) log.record(refusal('400'));
    log.record(refusal('429'));
    await log.flush();
    expect(store.written.map((e) => [e.detail, e.count])).toEqual([
      ['400', undefined],
      ['429', undefined],
    ]);
    await vi.advanceTimersByTimeAsync(61_000);
    await log.flush();
    expect(store.written.map((e) => [e.detail, e.count])).toEqual([
      ['400', undefined],
      ['429', undefined],
      ['400', 9_999],
    ]);
    // after the window, the next one is an entry of its own again; closing writes what is counted
    log.record(refusal('400'));
    log.record(refusal('400'));
    await log.close();
    expect(store.written.slice(3).map((e) => [e.detail, e.count])).toEqual([
      ['400', undefined],
      ['400', 1],
    ]);
    // accepted changes are each their own entry, always
    log.record(entry('same'));
    log.record(entry('same'));
    await log.flush();
    expect(store.written.filter((e) => e.action === 'same')).toHaveLength(2);
  });

  it('prunes entries older than the retention, in batches, and keeps everything without one', async () => {
    const store = new FlakyStore();
    const day = 86_400_000;
    const now = Date.parse('2030-01-01T00:00:00Z');
    store.written = Array.from({ length: 2500 }, (_, i) => ({ ...entry(`old${i}`), id: String(i).padStart(13, '0'), at: new Date(now - 100 * day + i).toISOString() }));
    store.written.push({ ...entry('recent'), id: 'z'.repeat(13), at: new Date(now - day).toISOString() });
    expect(await new AuditLog(store, pino({ level: 'silent' })).prune(now)).toBe(0);
    expect(store.written).toHaveLength(2501);
    expect(await new AuditLog(store, pino({ level: 'silent' }), { retentionDays: 90 }).prune(now)).toBe(2500);
    expect(store.written.map((e) => e.action)).toEqual(['recent']);
  });
});
