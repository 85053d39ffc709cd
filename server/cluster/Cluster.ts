/**
 * One process alone, or one of several serving a site (REDIS_URL). Alone: Colyseus's local presence
 * and driver, nothing else. Several: Colyseus's Redis presence (pub/sub between processes: world
 * events, sign-outs, alert notices, remote room calls) and Redis driver (the rooms of every process,
 * so a join through any process finds a world's room where it lives), each process advertising the
 * address browsers reach it at, and one Redis client for what the site shares (locks, limits).
 */
import { LocalPresence, LocalDriver, type MatchMakerDriver, type Presence } from '@colyseus/core';
import { RedisPresence } from '@colyseus/redis-presence';
import { RedisDriver } from '@colyseus/redis-driver';
import { Redis } from 'ioredis';
import type { Config } from '../config';
import type { Logger } from '../log';

export interface Cluster {
  readonly presence: Presence;
  readonly driver: MatchMakerDriver;
  /** Where a room of this process is joined (Colyseus's publicAddress); undefined alone. */
  readonly publicAddress: string | undefined;
  /** The site's shared Redis; null when this process is alone. */
  readonly redis: Redis | null;
  /**
   * True for the one process of the site that asks first for `key` within `ttlMs` (alone: always):
   * what every process would do at the same moment, e.g. a schedule's fire, is done once.
   */
  claimOnce(key: string, ttlMs: number): Promise<boolean>;
  close(): Promise<void>;
}

export function alone(): Cluster {
  return { presence: new LocalPresence(), driver: new LocalDriver(), publicAddress: undefined, redis: null, claimOnce: async () => true, close: async () => undefined };
}

/** Redis is told apart in the logs by what went wrong, said once per kind of failure until it recovers. */
function watch(redis: Redis, log: Logger): void {
  let down = false;
  redis.on('error', (err: Error) => {
    if (down) return;
    down = true;
    log.error({ err: { message: err.message } }, 'Redis unreachable: rooms, limits and schedules across processes wait for it (retrying)');
  });
  redis.on('ready', () => {
    if (!down) return;
    down = false;
    log.info('Redis reachable again');
  });
}

/** A client of the site's Redis as this process makes them: connected on demand, a few retries per command. */
export function redisClient(url: string): Redis {
  return new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3, enableOfflineQueue: true });
}

export async function openCluster(config: Pick<Config, 'cluster'>, log: Logger): Promise<Cluster> {
  const site = config.cluster;
  if (!site) return alone();
  const redis = redisClient(site.redisUrl);
  watch(redis, log);
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    redis.disconnect();
    throw new Error(`Redis at REDIS_URL could not be reached (${(err as Error).message}); start it, or unset REDIS_URL to run this process alone`, { cause: err });
  }
  const presence = new RedisPresence(site.redisUrl);
  const driver = new RedisDriver(site.redisUrl);
  log.info({ publicAddress: site.publicAddress }, 'serving one site with other processes through Redis');
  return {
    presence,
    driver,
    publicAddress: site.publicAddress,
    redis,
    async claimOnce(key, ttlMs) {
      return (await redis.set(`dwc:once:${key}`, '1', 'PX', ttlMs, 'NX')) === 'OK';
    },
    async close() {
      // the driver and presence are shut down by Colyseus's own shutdown; this client is ours
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
