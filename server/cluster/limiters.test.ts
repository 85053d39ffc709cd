import { Redis } from 'ioredis';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { describe, expect, it } from 'vitest';
import { freePort } from '../testing/redisServer';
import { LimiterName, limiterPrefix, limitersFor, memoryLimiters, redisLimiters, type Limiter, type LimiterRedis } from './limiters';

async function consumeAll(limiter: Limiter, key: string, n: number): Promise<Array<'ok' | 'refused'>> {
  const out: Array<'ok' | 'refused'> = [];
  for (let i = 0; i < n; i++) {
    out.push(
      await limiter.consume(key).then(
        () => 'ok' as const,
        (r: unknown) => {
          if (r instanceof RateLimiterRes) return 'refused' as const;
          throw r;
        },
      ),
    );
  }
  return out;
}

describe('limiters', () => {
  it('counts in memory when the process is alone', async () => {
    expect(limitersFor(null)).toBe(memoryLimiters);
    const limiter = memoryLimiters({ name: LimiterName.rest, points: 2, durationSeconds: 60 });
    expect(await consumeAll(limiter, 'a', 3)).toEqual(['ok', 'ok', 'refused']);
  });

  it('gives every limiter its own Redis key prefix', () => {
    const prefixes = Object.values(LimiterName).map(limiterPrefix);
    expect(new Set(prefixes).size).toBe(prefixes.length);
    expect(prefixes.every((p) => p.startsWith('dwc:rl:'))).toBe(true);
  });

  it('still limits, in memory, when nothing listens at the Redis address', async () => {
    const redis = new Redis({ host: '127.0.0.1', port: await freePort(), connectTimeout: 200, maxRetriesPerRequest: 0, retryStrategy: () => 100 });
    redis.on('error', () => undefined);
    try {
      const limiter = redisLimiters(redis)({ name: LimiterName.signIn, points: 3, durationSeconds: 60 });
      const started = Date.now();
      expect(await consumeAll(limiter, 'ann|10.0.0.1', 4)).toEqual(['ok', 'ok', 'ok', 'refused']);
      // the refused attempt counted too: give it back and one more
      await limiter.reward('ann|10.0.0.1', 2);
      expect(await consumeAll(limiter, 'ann|10.0.0.1', 1)).toEqual(['ok']);
      await limiter.delete('ann|10.0.0.1');
      expect(await consumeAll(limiter, 'ann|10.0.0.1', 1)).toEqual(['ok']);
      // not queued behind a reconnecting client
      expect(Date.now() - started).toBeLessThan(1000);
    } finally {
      redis.disconnect();
    }
  });

  it('does not wait on a Redis that takes commands and never answers', async () => {
    const never = () => new Promise<never>(() => undefined);
    const stalled = { status: 'ready', defineCommand() {}, rlflxIncr: never, del: never, multi: never } as unknown as LimiterRedis;
    const limiter = redisLimiters(stalled, 50)({ name: LimiterName.rest, points: 1, durationSeconds: 60 });
    const started = Date.now();
    expect(await consumeAll(limiter, 'a', 2)).toEqual(['ok', 'refused']);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
