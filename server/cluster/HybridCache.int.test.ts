/**
 * The AI cache through a real redis-server, with a separate client and LRU per cache as separate
 * processes would have. Fails (does not skip) where redis-server is not installed.
 */
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import type { CacheStore } from '../adapters/storage/CacheStore';
import { createLogger } from '../log';
import { redisFixture } from '../testing/redisServer';
import { HybridCache, REDIS_CACHE_PREFIX, type CacheLayer, type CacheOutcome } from './HybridCache';

const redis = redisFixture();
const client = redis.client;
const redisServer = redis.server;

class MapStore implements CacheStore {
  readonly data = new Map<string, unknown>();
  async get(key: string) {
    return this.data.get(key);
  }
  async put(key: string, value: unknown) {
    this.data.set(key, structuredClone(value));
  }
}

/** A process's cache: its own client, LRU and store. */
async function processCache(url: string, ttlMs = 60_000) {
  const store = new MapStore();
  const seen: string[] = [];
  const redis = await client(url);
  const cache = new HybridCache({ store, redis, log: createLogger('silent'), ttlMs, observe: (l: CacheLayer, o: CacheOutcome) => seen.push(`${l}:${o}`) });
  return { cache, store, seen, redis };
}

afterEach(() => redis.cleanup());

describe('HybridCache through Redis', () => {
  it('serves a result cached by one process to another from Redis', async () => {
    const { url } = await redisServer();
    const a = await processCache(url);
    const b = await processCache(url);
    const small = { summary: 'Short.', labels: ['x'] };
    const large = { summary: 'A long answer about the document. '.repeat(1000) };
    await a.cache.put('small', small);
    await a.cache.put('large', large);
    expect(await b.cache.get('small')).toEqual(small);
    expect(await b.cache.get('large')).toEqual(large);
    expect(b.seen).toEqual(['memory:miss', 'redis:hit', 'memory:miss', 'redis:hit']);
    expect(b.store.data.size).toBe(0);
    // the large one went compressed
    const stored = await a.redis.getBuffer(REDIS_CACHE_PREFIX + 'large');
    expect(stored![0]).toBe('z'.charCodeAt(0));
    expect(stored!.length).toBeLessThan(JSON.stringify(large).length / 10);
  });

  it('lets Redis forget an entry after the TTL; the store that wrote it still has it', async () => {
    const { url } = await redisServer();
    const a = await processCache(url, 300);
    const b = await processCache(url, 300);
    await a.cache.put('k', 'v');
    const pttl = await a.redis.pttl(REDIS_CACHE_PREFIX + 'k');
    expect(pttl).toBeGreaterThan(0);
    expect(pttl).toBeLessThanOrEqual(300);
    await new Promise((r) => setTimeout(r, 500));
    expect(await b.cache.get('k')).toBeUndefined();
    expect(b.seen).toEqual(['memory:miss', 'redis:miss', 'store:miss']);
    expect(a.store.data.get('k')).toBe('v');
  });

  it('goes on with memory and the store when Redis stops', async () => {
    const server = await redisServer();
    const a = await processCache(server.url);
    await a.cache.put('before', 1);
    await server.stop();
    const started = Date.now();
    await a.cache.put('after', 2);
    expect(a.store.data.get('after')).toBe(2);
    expect(await a.cache.get('before')).toBe(1);
    expect(await a.cache.get('after')).toBe(2);
    a.store.data.set('only-in-store', 3);
    expect(await a.cache.get('only-in-store')).toBe(3);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
