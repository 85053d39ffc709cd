/**
 * Limits shared through a real redis-server, with a separate client per limiter as separate
 * processes would have. Fails (does not skip) where redis-server is not installed.
 */
import { Redis } from 'ioredis';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { afterEach, describe, expect, it } from 'vitest';
import { redisFixture } from '../testing/redisServer';
import { LimiterName, redisLimiters, type Limiter } from './limiters';

const redis = redisFixture();
const client = redis.client;
const redisServer = redis.server;

const attempt = (limiter: Limiter, key: string) =>
  limiter.consume(key).then(
    () => 'ok' as const,
    (r: unknown) => {
      if (r instanceof RateLimiterRes) return 'refused' as const;
      throw r;
    },
  );

async function attempts(limiter: Limiter, key: string, n: number) {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(await attempt(limiter, key));
  return out;
}

afterEach(() => redis.cleanup());

describe('limiters through Redis', () => {
  it('shares one count between processes: 6 through one and 5 through another, the 11th of 10 is refused', async () => {
    const { url } = await redisServer();
    const spec = { name: LimiterName.rest, points: 10, durationSeconds: 60 };
    const one = redisLimiters(await client(url))(spec);
    const two = redisLimiters(await client(url))(spec);
    expect(await attempts(one, '10.0.0.1', 6)).toEqual(Array(6).fill('ok'));
    expect(await attempts(two, '10.0.0.1', 5)).toEqual(['ok', 'ok', 'ok', 'ok', 'refused']);
    // another address, and another limiter for the same address, count apart
    expect(await attempt(two, '10.0.0.2')).toBe('ok');
    const keys = redisLimiters(await client(url))({ name: LimiterName.apiKey, points: 10, durationSeconds: 60 });
    expect(await attempt(keys, '10.0.0.1')).toBe('ok');
  });

  it('answers with the shared count’s remaining points and reset time', async () => {
    const { url } = await redisServer();
    const spec = { name: LimiterName.accountRuns, points: 5, durationSeconds: 60 };
    const one = redisLimiters(await client(url))(spec);
    const two = redisLimiters(await client(url))(spec);
    await one.consume('user:u1', 2);
    const res = await two.consume('user:u1', 1);
    expect(res.remainingPoints).toBe(2);
    expect(res.msBeforeNext).toBeGreaterThan(55_000);
    expect(res.msBeforeNext).toBeLessThanOrEqual(60_000);
    const refused = await two.consume('user:u1', 3).catch((r: unknown) => r);
    expect(refused).toBeInstanceOf(RateLimiterRes);
    // giving back what was refused leaves the allowance as it was, for every process
    await two.reward('user:u1', 3);
    expect((await one.consume('user:u1', 2)).remainingPoints).toBe(0);
  });

  it('falls back to counting in memory, neither failing nor letting everything through, when Redis stops', async () => {
    const server = await redisServer();
    const limiter = redisLimiters(await client(server.url))({ name: LimiterName.signIn, points: 3, durationSeconds: 60 });
    expect(await attempts(limiter, 'ann|10.0.0.1', 2)).toEqual(['ok', 'ok']);
    await server.stop();
    const started = Date.now();
    // the memory count starts afresh: the limit holds per process while Redis is away
    expect(await attempts(limiter, 'ann|10.0.0.1', 4)).toEqual(['ok', 'ok', 'ok', 'refused']);
    await limiter.delete('ann|10.0.0.1');
    expect(await attempt(limiter, 'ann|10.0.0.1')).toBe('ok');
    // at most the one-second wait for an answer, once, while the client notices the connection is gone
    expect(Date.now() - started).toBeLessThan(3000);
  });
});
