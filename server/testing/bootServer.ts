/**
 * Boots the real server as a child process on a free port with its own data directory, the way
 * a user runs it. Used by integration and e2e tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface BootedServer {
  url: string;
  port: number;
  dataDir: string;
  /** Everything the process printed so far (for assertions and failure messages). */
  output(): string;
  /** Stops gracefully (SIGTERM); `kill: true` sends SIGKILL instead, like a crash. */
  stop(opts?: { kill?: boolean }): Promise<void>;
  /** Removes the data directory (only if it was created by bootServer). */
  cleanup(): void;
}

/** A busy two-core machine can take a while to load the server's modules; a broken one fails sooner. */
const START_LIMIT_MS = 45_000;

export interface BootOptions {
  /** Reuse a data directory, e.g. to check what survives a restart. */
  dataDir?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
}

export async function bootServer(opts: BootOptions = {}): Promise<BootedServer> {
  // an own data directory sits alone in a fresh directory of its own, so a test can check that
  // nothing was written beside it (the machine's temporary directory is shared with everything)
  const ownDir = opts.dataDir ? null : mkdtempSync(path.join(tmpdir(), 'dwc-test-'));
  const dataDir = opts.dataDir ?? path.join(ownDir!, 'data');
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', MQTT_PORT: '0', MQTT_WS_PORT: '0', COAP_PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  let scheme = 'http';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start within ${opts.timeoutMs ?? START_LIMIT_MS} ms:\n${out}`)), opts.timeoutMs ?? START_LIMIT_MS);
    const check = () => {
      // the banner main.ts prints whatever the log level
      const m = /Open (https?):\/\/localhost:(\d+)\//.exec(out);
      if (m) {
        clearTimeout(timer);
        scheme = m[1]!;
        resolve(Number(m[2]));
      }
    };
    child.stdout!.on('data', check);
    exited
      .then((code) => reject(new Error(`server exited with code ${code} before listening:\n${out}`)))
      .catch(reject)
      .finally(() => clearTimeout(timer));
  });

  return {
    url: `${scheme}://127.0.0.1:${port}`,
    port,
    dataDir,
    output: () => out,
    async stop({ kill = false } = {}) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(kill ? 'SIGKILL' : 'SIGTERM');
      await exited;
    },
    cleanup() {
      if (ownDir) rmSync(ownDir, { recursive: true, force: true });
    },
  };
}
