/**
 * Several real server processes serving one site, as an operator runs them: one Redis (started
 * here), the proxy the site is reached through (siteProxy.ts: `/` over every process, `/p<n>/` to
 * process n, which advertises that as its PUBLIC_ADDRESS), one sign-in secret, and one store for
 * all: the MongoDB that MONGODB_URI names where one is given, else the MongoDB wire stand-in
 * (mongoWire/), which the processes reach over TCP through the official driver as they would a MongoDB.
 */
import { bootServer, type BootedServer } from './bootServer';
import { startMongoWire } from './mongoWire/server';
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
  env?: Record<string, string>;
}

/** The store the site shares, and how to let it go. */
export async function sharedStore(dbName: string): Promise<{ uri: string; close(): Promise<void> }> {
  const given = process.env.MONGODB_URI;
  if (given) return { uri: given, close: async () => undefined };
  const standIn = await startMongoWire();
  return { uri: `${standIn.uri.replace(/\/$/, '')}/${dbName}`, close: () => standIn.close() };
}

const SECRET = 'one sign-in secret for every process of the test site';

export async function startSite(opts: SiteOptions): Promise<Site> {
  const redis = await startRedis();
  const store = await sharedStore('dwc_site');
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
        MONGODB_URI: store.uri,
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
    await store.close();
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
