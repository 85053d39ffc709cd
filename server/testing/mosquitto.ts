/**
 * A real Mosquitto broker for tests (Debian's `mosquitto` package), on a free loopback port with
 * nothing kept but its own temporary directory; with `dynsec` it runs the dynamic security plugin
 * with one admin account (`admin`, `adminPassword`) and refuses anonymous clients.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { freePort } from './redisServer';

const MOSQUITTO = ['/usr/sbin/mosquitto', '/usr/bin/mosquitto'].find((p) => existsSync(p));
const PLUGIN = ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib'].map((d) => path.join(d, 'mosquitto_dynamic_security.so')).find((p) => existsSync(p));
const START_MS = 10_000;

/** What a test run says when the broker is missing (the tests that need it fail until it is installed). */
export const MOSQUITTO_MISSING = 'These tests need Mosquitto with its dynamic security plugin: apt-get install -y mosquitto (Debian/Ubuntu).';

export interface RunningMosquitto {
  /** `mqtt://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** The broker's own directory (its config, and dynsec.json with `dynsec`). */
  dir: string;
  /** With `dynsec`: the admin account's user name and password. */
  adminUsername?: string;
  adminPassword?: string;
  /** Everything the broker logged so far. */
  output(): string;
  stop(): Promise<void>;
}

/** Starts Mosquitto and resolves once it runs; throws with its log if it does not. */
export async function startMosquitto(opts: { dynsec: boolean }): Promise<RunningMosquitto> {
  if (!MOSQUITTO || (opts.dynsec && !PLUGIN)) throw new Error(MOSQUITTO_MISSING);
  const dir = mkdtempSync(path.join(tmpdir(), 'dwc-mosquitto-'));
  const adminUsername = 'admin';
  const adminPassword = 'broker admin password';
  const auth: string[] = ['allow_anonymous true'];
  if (opts.dynsec) {
    const dynsec = path.join(dir, 'dynsec.json');
    const init = spawnSync('mosquitto_ctrl', ['dynsec', 'init', dynsec, adminUsername, adminPassword], { encoding: 'utf8' });
    if (init.status !== 0) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`mosquitto_ctrl dynsec init failed: ${init.stderr ?? init.error?.message}`);
    }
    auth.splice(0, 1, 'allow_anonymous false', `plugin ${PLUGIN}`, `plugin_opt_config_file ${dynsec}`);
  }
  const port = await freePort();
  // as root, Mosquitto would switch to its own user, who cannot read this test's private directory
  const conf = path.join(dir, 'mosquitto.conf');
  writeFileSync(conf, [`listener ${port} 127.0.0.1`, ...auth, 'persistence false', 'log_dest stderr', `user ${userInfo().username}`, ''].join('\n'));
  const child: ChildProcess = spawn(MOSQUITTO, ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill();
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Mosquitto did not start within ${START_MS / 1000} s:\n${log}`)), START_MS);
      const check = () => {
        if (log.includes('mosquitto version') && log.includes('running')) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stderr!.on('data', check);
      exited.then(() => {
        clearTimeout(timer);
        reject(new Error(`Mosquitto exited before it ran:\n${log}`));
      }, reject);
    });
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    dir,
    ...(opts.dynsec ? { adminUsername, adminPassword } : {}),
    output: () => log,
    stop,
  };
}
