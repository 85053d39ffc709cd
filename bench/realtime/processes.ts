/**
 * Starting and watching the benchmark's processes: servers and the load generator, each pinned to
 * its own core with `taskset` where the machine has one to spare, and their CPU time and memory
 * read from /proc.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseProcStat, type ProcSample } from './stats';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const hasTaskset = spawnSync('taskset', ['-V'], { stdio: 'ignore' }).status === 0;
export const CORES = cpus().length;
/** Whether server and generator get a core each. */
export const PINNED = hasTaskset && CORES >= 2;
/** The server gets core 0, the generator the rest. */
export const SERVER_CORES = '0';
export const GENERATOR_CORES = CORES > 2 ? `1-${CORES - 1}` : '1';

export interface Proc {
  child: ChildProcess;
  pid: number;
  output(): string;
  /** Resolves with the first match of `re` in the output (stdout and stderr). */
  waitFor(re: RegExp, timeoutMs: number): Promise<RegExpExecArray>;
  stop(): Promise<void>;
}

/** Runs `node --import tsx <script> ...args`, on `cores` when pinning is possible. */
export function startNode(script: string, args: string[], env: Record<string, string>, cores: string): Proc {
  const node = [process.execPath, '--import', 'tsx', script, ...args];
  const [cmd, ...argv] = PINNED ? ['taskset', '-c', cores, ...node] : node;
  // taskset execs the command, so the pid is the node process's
  const child = spawn(cmd!, argv, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const listeners = new Set<() => void>();
  const onData = (d: Buffer) => {
    out += d.toString();
    if (out.length > 2_000_000) out = out.slice(-1_000_000);
    for (const l of listeners) l();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    pid: child.pid!,
    output: () => out,
    waitFor(re, timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = re.exec(out);
          if (m) {
            done();
            resolve(m);
          }
        };
        const timer = setTimeout(() => (done(), reject(new Error(`${script}: no ${re} within ${timeoutMs} ms:\n${out.slice(-3000)}`))), timeoutMs);
        const onExit = () => (done(), reject(new Error(`${script} exited (${child.exitCode ?? child.signalCode}) before ${re}:\n${out.slice(-3000)}`)));
        const done = () => {
          clearTimeout(timer);
          listeners.delete(check);
          child.off('exit', onExit);
        };
        listeners.add(check);
        child.once('exit', onExit);
        check();
      });
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(killer);
    },
  };
}

/** CPU ticks and RSS of a process now; undefined once it has gone. */
export function sampleProc(pid: number): ProcSample | undefined {
  try {
    const { ticks, rssBytes } = parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    return { ticks, rssBytes, atMs: performance.now() };
  } catch {
    return undefined;
  }
}
