/**
 * One site for the scale benchmark: a fresh redis-server, the shared store (MONGODB_URI, else a fresh MongoDB wire stand-in in
 * this process) and `processes` server processes on it, each on its own port advertised as its
 * PUBLIC_ADDRESS, as an operator runs them. The one-process baseline is the same site with one
 * process, so only the process count differs. Servers are started through the realtime bench's
 * `startNode`, which pins them and gives the pid their CPU is read by.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sharedStore } from '../../server/testing/site';
import { freePort, startRedis, type RunningRedis } from '../../server/testing/redisServer';
import { CORES, GENERATOR_CORES, PINNED, SERVER_CORES, startNode, type Proc } from '../realtime/processes';

const SECRET = 'one sign-in secret for every process of the bench site';

export interface ServerProcess {
  proc: Proc;
  url: string;
  /** The cores it is pinned to (when pinning is possible). */
  cores: string;
}

export interface BenchSite {
  servers: ServerProcess[];
  generatorCores: string;
  /** redis-server's pid, for its CPU; undefined when it could not be found. */
  redisPid?: number;
  stop(): Promise<void>;
}

/**
 * Where each process runs: with a core to spare for every server and one for the generator, a
 * core each (the speed-up a bigger machine shows); otherwise all servers share the realtime
 * bench's server core and the generator keeps its own, so both setups get the same CPU.
 */
export function layout(processes: number): { servers: string[]; generator: string } {
  if (PINNED && CORES >= processes + 1 && processes > 1) {
    return { servers: Array.from({ length: processes }, (_, i) => String(i)), generator: CORES - 1 > processes ? `${processes}-${CORES - 1}` : String(processes) };
  }
  return { servers: Array.from({ length: processes }, () => SERVER_CORES), generator: GENERATOR_CORES };
}

/** redis-server names itself after its address in its command line. */
function findRedisPid(port: number): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmd.includes('redis-server') && cmd.includes(`:${port}`)) return Number(entry);
    } catch {
      // gone meanwhile
    }
  }
  return undefined;
}

export async function startBenchSite(processes: number, env: Record<string, string>): Promise<BenchSite> {
  const cores = layout(processes);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'dwc-bench-scale-'));
  let redis: RunningRedis | undefined;
  let store: Awaited<ReturnType<typeof sharedStore>> | undefined;
  const servers: ServerProcess[] = [];
  const stop = async () => {
    await Promise.allSettled(servers.map((s) => s.proc.stop()));
    await redis?.stop();
    await store?.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    redis = await startRedis();
    store = await sharedStore('dwc_bench');
    const mongoUri = store.uri;
    // one after another, as the site tests do: the first creates what the site shares, the others find it
    for (let i = 0; i < processes; i++) {
      const port = await freePort();
      const proc = startNode(
        'server/main.ts',
        [],
        {
          PORT: String(port),
          PUBLIC_ADDRESS: `127.0.0.1:${port}`,
          REDIS_URL: redis.url,
          AUTH_SECRET: SECRET,
          MONGODB_URI: mongoUri,
          HOST: '127.0.0.1',
          DATA_DIR: path.join(dataDir, String(i)),
          MQTT_PORT: 'off',
          COAP_PORT: 'off',
          LOG_LEVEL: 'warn',
          // as in the realtime bench: every bot connects from this one machine, and a hand sends 30 poses a second
          INTENT_RATE: '200',
          REST_RATE: '1000000',
          MAX_CONNECTIONS_PER_ADDRESS: '1000000',
          ...env,
        },
        cores.servers[i]!,
      );
      servers.push({ proc, url: `http://127.0.0.1:${port}`, cores: cores.servers[i]! });
      await proc.waitFor(/Open (https?):\/\/localhost:(\d+)\//, 60_000);
    }
    return { servers, generatorCores: cores.generator, redisPid: findRedisPid(redis.port), stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Makes a world through the given process and answers its id. */
export async function createWorld(url: string, name: string, capacity: number): Promise<string> {
  const res = await fetch(`${url}/api/v3/worlds`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, template: 'gallery', capacity }) });
  if (res.status !== 201) throw new Error(`creating a world through ${url}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { world: { id: string } }).world.id;
}
