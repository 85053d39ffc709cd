/**
 * Several real server processes serving one site, as an operator runs them: one Redis (started
 * here), each process on its own port advertising it as PUBLIC_ADDRESS, one sign-in secret, and,
 * when a shared store is given (MONGODB_URI), one store for all.
 */
import { bootServer, type BootedServer } from './bootServer';
import { freePort, startRedis, type RunningRedis } from './redisServer';

export interface Site {
  redis: RunningRedis;
  processes: BootedServer[];
  /** Starts one more process of the site (e.g. after one was killed). */
  add(): Promise<BootedServer>;
  stop(): Promise<void>;
}

export interface SiteOptions {
  processes: number;
  /** A shared store; without it each process keeps its own embedded store. */
  mongoUri?: string;
  env?: Record<string, string>;
}

const SECRET = 'one sign-in secret for every process of the test site';

export async function startSite(opts: SiteOptions): Promise<Site> {
  const redis = await startRedis();
  const processes: BootedServer[] = [];
  const add = async () => {
    const port = await freePort();
    const server = await bootServer({
      env: {
        PORT: String(port),
        PUBLIC_ADDRESS: `127.0.0.1:${port}`,
        REDIS_URL: redis.url,
        AUTH_SECRET: SECRET,
        ...(opts.mongoUri ? { MONGODB_URI: opts.mongoUri } : {}),
        ...opts.env,
      },
    });
    processes.push(server);
    return server;
  };
  try {
    // one after another: the first creates what the site shares, the others find it
    for (let i = 0; i < opts.processes; i++) await add();
  } catch (err) {
    await Promise.allSettled(processes.map((p) => p.stop({ kill: true })));
    await redis.stop();
    throw err;
  }
  return {
    redis,
    processes,
    add,
    async stop() {
      await Promise.allSettled(processes.map((p) => p.stop()));
      for (const p of processes) p.cleanup();
      await redis.stop();
    },
  };
}
