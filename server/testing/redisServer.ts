/**
 * A real `redis-server` for tests, started on a free loopback port with nothing kept on disk, and
 * `freePort` for tests that must name a port before a process binds it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import type { Redis } from 'ioredis';
import { redisClient } from '../cluster/Cluster';

export const REDIS_SERVER = ['/usr/bin/redis-server', '/usr/local/bin/redis-server', '/usr/sbin/redis-server'].find((p) => existsSync(p));

/** What a test run says when the binary is missing (the scale tests fail until it is installed). */
export const REDIS_MISSING = 'redis-server is not installed (Debian/Ubuntu: apt-get install -y redis-server)';

export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

export interface RunningRedis {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** Starts redis-server and resolves once it accepts connections; throws with its output if it does not. */
export async function startRedis(): Promise<RunningRedis> {
  if (!REDIS_SERVER) throw new Error(REDIS_MISSING);
  const port = await freePort();
  const child: ChildProcess = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'yes'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`redis-server did not start within 10 s:\n${out}`)), 10_000);
    const check = () => {
      if (/Ready to accept connections/i.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    exited
      .then(() => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited before it was ready:\n${out}`));
      })
      .catch(reject);
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * For a test file: redis-servers and clients (made as the server makes its own, one per "process"),
 * all stopped by `cleanup` (after each test). Fails with what to install where redis-server is missing.
 */
export function redisFixture() {
  const running: RunningRedis[] = [];
  const clients: Redis[] = [];
  return {
    async server(): Promise<RunningRedis> {
      if (!REDIS_SERVER) throw new Error(REDIS_MISSING);
      const r = await startRedis();
      running.push(r);
      return r;
    },
    async client(url: string): Promise<Redis> {
      const redis = redisClient(url);
      redis.on('error', () => undefined);
      clients.push(redis);
      await redis.connect();
      return redis;
    },
    async cleanup(): Promise<void> {
      for (const c of clients.splice(0)) c.disconnect();
      await Promise.all(running.splice(0).map((r) => r.stop()));
    },
  };
}
