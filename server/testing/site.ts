/**
 * Several real server processes serving one site, as an operator runs them: one Redis (started
 * here), the proxy the site is reached through (siteProxy.ts: `/` over every process, `/p<n>/` to
 * process n, which advertises that as its PUBLIC_ADDRESS), one sign-in secret, and, when a shared
 * store is given (MONGODB_URI), one store for all.
 */
import { bootServer, type BootedServer } from './bootServer';
import { freePort, startRedis, type RunningRedis } from './redisServer';
import { startSiteProxy, type SiteProxy } from './siteProxy';

export interface Site {
  redis: RunningRedis;
  /** The one address of the site. */
  proxy: SiteProxy;
  /** The processes, by slot; process i is also reached directly at its own url. */
  processes: BootedServer[];
  /** Starts a process in `slot` (e.g. in place of one that was killed), or in a new one. */
  add(slot?: number): Promise<BootedServer>;
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
  const ports: number[] = [];
  const proxy = await startSiteProxy(ports);
  const processes: BootedServer[] = [];
  const add = async (slot = processes.length) => {
    const port = await freePort();
    ports[slot] = port;
    const server = await bootServer({
      env: {
        PORT: String(port),
        PUBLIC_ADDRESS: proxy.publicAddress(slot + 1),
        REDIS_URL: redis.url,
        AUTH_SECRET: SECRET,
        // the proxy on this machine adds the client's address
        TRUST_PROXY: 'loopback',
        ...(opts.mongoUri ? { MONGODB_URI: opts.mongoUri } : {}),
        ...opts.env,
      },
    });
    processes[slot] = server;
    return server;
  };
  const stopAll = async () => {
    await Promise.allSettled(processes.map((p) => p.stop()));
    for (const p of processes) p.cleanup();
    await proxy.close();
    await redis.stop();
  };
  try {
    // one after another: the first creates what the site shares, the others find it
    for (let i = 0; i < opts.processes; i++) await add();
  } catch (err) {
    await stopAll();
    throw err;
  }
  return { redis, proxy, processes, add, stop: stopAll };
}
