/**
 * The AI result cache in three layers: a bounded LRU in this process, then the site's Redis (shared
 * by every process, entries forgotten after a TTL), then the store, which keeps every result and is
 * written through on each put. A read is answered by the first layer that has the key and fills the
 * layers above it on the way back.
 *
 * There is no invalidation: AiService keys a result by the hash of the text (or prompt and context)
 * it was asked about, with the parameters, provider and model, so a changed document is asked about
 * under a new key and the old entry is simply never read again. The LRU pushes it out and Redis lets
 * it expire after the TTL.
 *
 * Redis is an optimisation, never a dependency: while it is down, slow or answering nonsense, reads
 * and writes go on through memory and the store, and the trouble is logged at most once a minute.
 */
import type { Redis } from 'ioredis';
import type { CacheStore } from '../adapters/storage/CacheStore';
import type { Logger } from '../log';
import { ByteLru } from './ByteLru';
import { decodeValue, encodeValue } from './cacheCodec';
import { within } from '../within';

export const CACHE_LAYERS = ['memory', 'redis', 'store'] as const;
export type CacheLayer = (typeof CACHE_LAYERS)[number];
export type CacheOutcome = 'hit' | 'miss';

/** What the cache uses of an ioredis client. */
export type CacheRedis = Pick<Redis, 'status' | 'getBuffer' | 'set' | 'del'>;

export interface HybridCacheOptions {
  /** The durable layer, written through on every put. */
  store: CacheStore;
  /** The site's Redis; null when this process is alone (memory and store only). */
  redis: CacheRedis | null;
  log: Logger;
  /** How long Redis keeps an entry after it was written. */
  ttlMs: number;
  /** Bounds of the in-process LRU. */
  maxEntries?: number;
  maxBytes?: number;
  /** Values whose JSON is longer than this are gzip-compressed in Redis. */
  compressOverBytes?: number;
  /** Values whose JSON is longer than this are kept in the store only, neither in memory nor Redis. */
  maxValueBytes?: number;
  /** How long a read or write waits for Redis before going on without it. */
  redisAnswerMs?: number;
  /** Told of every lookup in each layer, for the metrics. */
  observe?: (layer: CacheLayer, outcome: CacheOutcome) => void;
}

/** Keys in Redis; the version changes if the stored form ever does. */
export const REDIS_CACHE_PREFIX = 'dwc:ai:v1:';

const DEFAULTS = {
  maxEntries: 1000,
  maxBytes: 64 * 1024 * 1024,
  compressOverBytes: 8 * 1024,
  maxValueBytes: 2 * 1024 * 1024,
  redisAnswerMs: 250,
} as const;

const REDIS_COMPLAINT_MS = 60_000;

class RedisTimeout extends Error {
  constructor(ms: number) {
    super(`Redis did not answer within ${ms} ms`);
  }
}

export class HybridCache implements CacheStore {
  private readonly memory: ByteLru;
  private readonly o: HybridCacheOptions & Required<Pick<HybridCacheOptions, keyof typeof DEFAULTS>>;
  private lastComplaint = -Infinity;
  private saidOversize = false;

  constructor(opts: HybridCacheOptions) {
    this.o = { ...DEFAULTS, ...stripUndefined(opts) } as typeof this.o;
    if (!(this.o.ttlMs >= 1)) throw new RangeError(`The AI cache needs a TTL of at least 1 ms (given ${this.o.ttlMs}); see AI_CACHE_TTL_HOURS.`);
    this.memory = new ByteLru(this.o.maxEntries, this.o.maxBytes);
  }

  async get(key: string): Promise<unknown | undefined> {
    const held = this.memory.get(key);
    this.count('memory', held !== undefined);
    if (held !== undefined) return JSON.parse(held) as unknown;
    if (this.o.redis) {
      const shared = await this.fromRedis(this.o.redis, key);
      this.count('redis', shared !== undefined);
      if (shared !== undefined) {
        this.memory.set(key, shared.json);
        return shared.value;
      }
    }
    const stored = await this.o.store.get(key);
    this.count('store', stored !== undefined);
    if (stored !== undefined) await this.remember(key, stored);
    return stored;
  }

  async put(key: string, value: unknown): Promise<void> {
    // Redis trouble stays inside remember(): only the store's failure reaches the caller, as before
    await Promise.all([this.remember(key, value), this.o.store.put(key, value)]);
  }

  /** Keeps the value in memory and Redis, unless it is too large for either. */
  private async remember(key: string, value: unknown): Promise<void> {
    const json = JSON.stringify(value) as string | undefined;
    if (json === undefined) return;
    const bytes = Buffer.byteLength(json, 'utf8');
    if (bytes > this.o.maxValueBytes) {
      if (!this.saidOversize) {
        this.saidOversize = true;
        this.o.log.warn({ bytes, limit: this.o.maxValueBytes }, 'an AI result is too large to cache in memory or Redis; such results are kept in the store only (said once)');
      }
      // an older, smaller value under this key must not be served in place of its replacement
      this.memory.delete(key);
      if (this.o.redis) await this.forget(this.o.redis, key);
      return;
    }
    this.memory.set(key, json);
    if (this.o.redis) await this.toRedis(this.o.redis, key, json);
  }

  private async fromRedis(redis: CacheRedis, key: string): Promise<{ json: string; value: unknown } | undefined> {
    // while the client reconnects a command would wait in its queue; skip Redis instead
    if (redis.status !== 'ready') return undefined;
    try {
      const stored = await this.inTime(redis.getBuffer(REDIS_CACHE_PREFIX + key));
      if (!stored) return undefined;
      const json = await decodeValue(stored);
      // parsed here so that a damaged entry is a miss, not a failed AI call
      return { json, value: JSON.parse(json) as unknown };
    } catch (err) {
      this.complain(err, 'read');
      return undefined;
    }
  }

  private async toRedis(redis: CacheRedis, key: string, json: string): Promise<void> {
    if (redis.status !== 'ready') return;
    try {
      const stored = await encodeValue(json, this.o.compressOverBytes);
      await this.inTime(redis.set(REDIS_CACHE_PREFIX + key, stored, 'PX', this.o.ttlMs));
    } catch (err) {
      this.complain(err, 'write');
    }
  }

  private async forget(redis: CacheRedis, key: string): Promise<void> {
    if (redis.status !== 'ready') return;
    try {
      await this.inTime(redis.del(REDIS_CACHE_PREFIX + key));
    } catch (err) {
      this.complain(err, 'write');
    }
  }

  private async inTime<T>(command: Promise<T>): Promise<T> {
    const late = Symbol('late');
    const answer = await within(command, this.o.redisAnswerMs, late);
    if (answer === late) throw new RedisTimeout(this.o.redisAnswerMs);
    return answer as T;
  }

  private complain(err: unknown, what: 'read' | 'write'): void {
    const now = Date.now();
    if (now - this.lastComplaint < REDIS_COMPLAINT_MS) return;
    this.lastComplaint = now;
    const message = err instanceof Error ? err.message : String(err);
    this.o.log.warn({ err: { message }, what }, 'the AI cache could not use Redis; going on with memory and the store (said at most once a minute)');
  }

  private count(layer: CacheLayer, hit: boolean): void {
    this.o.observe?.(layer, hit ? 'hit' : 'miss');
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
