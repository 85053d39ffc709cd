import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import type { CacheStore } from '../adapters/storage/CacheStore';
import type { Logger } from '../log';
import { freePort } from '../testing/redisServer';
import { HybridCache, REDIS_CACHE_PREFIX, type CacheLayer, type CacheOutcome, type CacheRedis, type HybridCacheOptions } from './HybridCache';

class MapStore implements CacheStore {
  readonly data = new Map<string, unknown>();
  reads = 0;
  async get(key: string) {
    this.reads++;
    return this.data.get(key);
  }
  async put(key: string, value: unknown) {
    this.data.set(key, structuredClone(value));
  }
}

/** Redis as the cache uses it, kept in a Map; `hang` makes every command wait for ever. */
function fakeRedis(o: { hang?: boolean } = {}) {
  const data = new Map<string, Buffer>();
  const never = new Promise<never>(() => undefined);
  const redis = {
    status: 'ready',
    getBuffer: async (k: string) => (o.hang ? never : (data.get(k) ?? null)),
    set: async (k: string, v: Buffer) => (o.hang ? never : (data.set(k, v), 'OK')),
    del: async (k: string) => (o.hang ? never : Number(data.delete(k))),
  };
  return { redis: redis as unknown as CacheRedis, data };
}

function quietLog() {
  const warnings: string[] = [];
  const log = { warn: (_o: unknown, msg: string) => warnings.push(msg), info: () => undefined, error: () => undefined, debug: () => undefined } as unknown as Logger;
  return { log, warnings };
}

function cache(o: Partial<HybridCacheOptions> = {}) {
  const store = new MapStore();
  const { log, warnings } = quietLog();
  const seen: Array<`${CacheLayer}:${CacheOutcome}`> = [];
  const c = new HybridCache({ store, redis: null, log, ttlMs: 60_000, observe: (layer, outcome) => seen.push(`${layer}:${outcome}`), ...o });
  return { c, store, warnings, seen };
}

describe('HybridCache', () => {
  it('answers from memory after a put, and writes through to the store', async () => {
    const { c, store, seen } = cache();
    await c.put('k', { summary: 's' });
    expect(store.data.get('k')).toEqual({ summary: 's' });
    expect(await c.get('k')).toEqual({ summary: 's' });
    expect(store.reads).toBe(0);
    expect(seen).toEqual(['memory:hit']);
  });

  it('hands out copies, so a caller changing its result cannot change the cache', async () => {
    const { c } = cache();
    await c.put('k', { labels: ['a'] });
    const first = (await c.get('k')) as { labels: string[] };
    first.labels.push('mutated');
    expect(await c.get('k')).toEqual({ labels: ['a'] });
  });

  it('falls back to the store for what memory evicted, and keeps it in memory again', async () => {
    const { c, store, seen } = cache({ maxEntries: 2 });
    await c.put('a', 1);
    await c.put('b', 2);
    await c.put('c', 3); // evicts a
    expect(await c.get('a')).toBe(1);
    expect(store.reads).toBe(1);
    expect(await c.get('a')).toBe(1);
    expect(store.reads).toBe(1);
    expect(seen).toEqual(['memory:miss', 'store:hit', 'memory:hit']);
  });

  it('says a miss in every layer it asked', async () => {
    const { redis } = fakeRedis();
    const { c, seen } = cache({ redis });
    expect(await c.get('nothing')).toBeUndefined();
    expect(seen).toEqual(['memory:miss', 'redis:miss', 'store:miss']);
  });

  it('compresses large values in Redis, and a second cache reads them back from it', async () => {
    const { redis, data } = fakeRedis();
    const value = { summary: 'A long answer. '.repeat(2000) };
    const { c: first } = cache({ redis });
    await first.put('big', value);
    await first.put('small', { summary: 'short' });
    expect(data.get(REDIS_CACHE_PREFIX + 'big')![0]).toBe('z'.charCodeAt(0));
    expect(data.get(REDIS_CACHE_PREFIX + 'small')![0]).toBe('j'.charCodeAt(0));
    const { c: second, store, seen } = cache({ redis });
    expect(await second.get('big')).toEqual(value);
    expect(await second.get('big')).toEqual(value);
    expect(store.reads).toBe(0);
    expect(seen).toEqual(['memory:miss', 'redis:hit', 'memory:hit']);
  });

  it('fills Redis from the store, so other processes need not read the store', async () => {
    const { redis, data } = fakeRedis();
    const { c, store } = cache({ redis });
    store.data.set('old', { summary: 'kept from before' });
    expect(await c.get('old')).toEqual({ summary: 'kept from before' });
    expect(data.has(REDIS_CACHE_PREFIX + 'old')).toBe(true);
  });

  it('treats a damaged Redis entry as a miss and reads the store', async () => {
    const { redis, data } = fakeRedis();
    const { c, store, warnings } = cache({ redis });
    data.set(REDIS_CACHE_PREFIX + 'k', Buffer.from('j{not json'));
    store.data.set('k', 'from the store');
    expect(await c.get('k')).toBe('from the store');
    expect(warnings.filter((w) => /could not use Redis/.test(w))).toHaveLength(1);
    // and the store's value replaced it
    expect(data.get(REDIS_CACHE_PREFIX + 'k')!.toString()).toBe('j"from the store"');
  });

  it('keeps a value over the size bound in the store only, and says so once', async () => {
    const { redis, data } = fakeRedis();
    const { c, store, warnings } = cache({ redis, maxValueBytes: 1000 });
    await c.put('k', { summary: 'fits' });
    await c.put('k', { summary: 'x'.repeat(2000) });
    await c.put('k2', { summary: 'y'.repeat(2000) });
    expect(warnings.filter((w) => /too large to cache/.test(w))).toHaveLength(1);
    expect(data.has(REDIS_CACHE_PREFIX + 'k2')).toBe(false);
    expect(store.data.get('k2')).toEqual({ summary: 'y'.repeat(2000) });
    // the small value of k must not be served in place of its large replacement, by this process or another
    expect(data.has(REDIS_CACHE_PREFIX + 'k')).toBe(false);
    expect(await c.get('k')).toEqual({ summary: 'x'.repeat(2000) });
    expect(store.reads).toBe(1);
  });

  it('goes on with memory and the store when Redis does not answer, and complains once a minute', async () => {
    const { redis } = fakeRedis({ hang: true });
    const { c, store, warnings } = cache({ redis, redisAnswerMs: 50 });
    store.data.set('s', 'from the store');
    const started = Date.now();
    await c.put('k', 'v');
    expect(await c.get('s')).toBe('from the store');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(warnings.filter((w) => /could not use Redis/.test(w))).toHaveLength(1);
  });

  it('goes on with memory and the store when nothing listens at the Redis address', async () => {
    const port = await freePort();
    const redis = new Redis({ host: '127.0.0.1', port, connectTimeout: 200, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => 100 });
    redis.on('error', () => undefined);
    try {
      const { c, store, seen } = cache({ redis });
      store.data.set('s', 'from the store');
      const started = Date.now();
      await c.put('k', 'v');
      expect(store.data.get('k')).toBe('v');
      expect(await c.get('s')).toBe('from the store');
      expect(Date.now() - started).toBeLessThan(1000);
      expect(seen).toEqual(['memory:miss', 'redis:miss', 'store:hit']);
    } finally {
      redis.disconnect();
    }
  });

  it('lets a failing store fail the put, as the store alone did', async () => {
    const { c, store } = cache();
    store.put = () => Promise.reject(new Error('disk full'));
    await expect(c.put('k', 'v')).rejects.toThrow('disk full');
  });

  it('refuses a TTL that would keep nothing', () => {
    expect(() => cache({ ttlMs: 0 })).toThrow(/AI_CACHE_TTL_HOURS/);
  });
});
