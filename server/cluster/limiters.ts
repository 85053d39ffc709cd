/**
 * Where rate limits count: in this process's memory when it serves the site alone, in Redis when
 * several processes serve it (REDIS_URL), so that an allowance is the site's and not each process's.
 * Every limiter in the server is made here, by name, so that no two share a count by accident.
 */
import type { Redis } from 'ioredis';
import { RLWrapperTimeouts, RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';

/** The limiters the server has; each counts under its own Redis key prefix (`dwc:rl:<name>`). */
export const LimiterName = {
  /** REST requests per client address. */
  rest: 'rest',
  /** REST requests per API key. */
  apiKey: 'key',
  /** Failed sign-ins and password checks per account and address. */
  signIn: 'signin',
  /** Workflow runs started per account. */
  accountRuns: 'runs:account',
  /** Workflow runs started per guest address. */
  guestRuns: 'runs:guest',
} as const;
export type LimiterName = (typeof LimiterName)[keyof typeof LimiterName];

export interface LimiterSpec {
  name: LimiterName;
  points: number;
  durationSeconds: number;
}

/** What the server's code uses of a limiter; the same whichever store counts. */
export type Limiter = Pick<RateLimiterAbstract, 'consume' | 'reward' | 'delete'>;

/** Makes the limiter for one use. */
export type Limiters = (spec: LimiterSpec) => Limiter;

/** The key prefix a limiter counts under in Redis. */
export const limiterPrefix = (name: LimiterName): string => `dwc:rl:${name}`;

/**
 * Past this a Redis that accepts commands and does not answer them (stalled, swapping, a network
 * that drops packets) is treated as down: a request waits at most this long for its count.
 */
const REDIS_ANSWER_MS = 1000;

/** What the Redis limiters use of an ioredis client (the library defines its script on it). */
export type LimiterRedis = Pick<Redis, 'status' | 'defineCommand' | 'multi' | 'del'>;

/** Every process counts alone: right when it is the only one. */
export const memoryLimiters: Limiters = (spec) => new RateLimiterMemory({ points: spec.points, duration: spec.durationSeconds });

/**
 * Counts in the site's Redis. While Redis is unreachable or too slow each process falls back to a
 * count in its own memory with the same allowance: the limits hold per process rather than not at
 * all, and requests do not fail or hang because the counter is away. What was counted in memory
 * is not carried back when Redis returns; a window later the two agree again.
 */
export function redisLimiters(redis: LimiterRedis, answerMs = REDIS_ANSWER_MS): Limiters {
  return (spec) => {
    const insurance = new RateLimiterMemory({ points: spec.points, duration: spec.durationSeconds });
    const shared = new RateLimiterRedis({
      // ioredis is the library's default client; useRedisPackage is only for the `redis` package
      storeClient: redis,
      keyPrefix: limiterPrefix(spec.name),
      points: spec.points,
      duration: spec.durationSeconds,
      // while the client reconnects it would queue the command; count in memory at once instead
      rejectIfRedisNotReady: true,
      insuranceLimiter: insurance,
    });
    return new RLWrapperTimeouts({ limiter: shared, timeoutMs: answerMs, insuranceLimiter: insurance });
  };
}

/** The limiters for this process: shared through `redis` when there is one, else in memory. */
export function limitersFor(redis: Redis | null): Limiters {
  return redis ? redisLimiters(redis) : memoryLimiters;
}
