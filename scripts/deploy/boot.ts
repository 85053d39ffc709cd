import { spawn } from 'node:child_process';
import type { Finding } from './findings';
import { HEALTH_ROUTES } from './server';

export interface BootLimits {
  /** From the start to its "Open http://…" line. */
  startMs: number;
  /** From then until /health/ready answers 200: the server checks its dependencies (the dev chain among them) as it starts, as an orchestrator's retried probe allows. */
  readyMs: number;
  /** From SIGTERM to its exit. */
  stopMs: number;
}

/** Starts a server as the image's CMD would, asks its health routes, stops it with SIGTERM. */
export async function bootCheck(argv: readonly string[], cwd: string, env: NodeJS.ProcessEnv, limits: BootLimits = { startMs: 90_000, readyMs: 30_000, stopMs: 20_000 }): Promise<Finding[]> {
  const file = 'Dockerfile CMD';
  const [command = 'node', ...rest] = argv;
  const child = spawn(command === 'node' ? process.execPath : command, rest, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let spawnError: Error | undefined;
  const tail = () => output.slice(-1500).trim();
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code, signal) => resolve(signal ? null : code)));
  try {
    const url = await new Promise<string | null>((resolve) => {
      const timer = setTimeout(() => resolve(null), limits.startMs);
      const give = (value: string | null) => {
        clearTimeout(timer);
        resolve(value);
      };
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const m = /Open (https?:\/\/\S+)/.exec(output);
        if (m) give(m[1]!);
      });
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.once('exit', () => give(null));
      // a command that cannot start emits no 'exit', so without this the start limit would run out first
      child.on('error', (err) => {
        spawnError ??= err;
        give(null);
      });
    });
    if (spawnError) return [{ file, message: `\`${argv.join(' ')}\` could not start: ${spawnError.message}` }];
    if (!url) {
      const ended = child.exitCode !== null || child.signalCode !== null;
      return [{ file, message: `\`${argv.join(' ')}\` ${ended ? `exited (${child.exitCode ?? child.signalCode}) before printing` : `printed no`} "Open http://…"${ended ? '' : ` within ${limits.startMs / 1000} s`}:\n${tail()}` }];
    }
    const base = `http://127.0.0.1:${new URL(url).port}`;
    const findings: Finding[] = [];
    for (const route of HEALTH_ROUTES) {
      // liveness must hold from the start; readiness may come later, so it is asked again until readyMs
      const until = Date.now() + (route === '/api/v3/health/ready' ? limits.readyMs : 0);
      let failure: string | null;
      for (;;) {
        failure = await ask(`${base}${route}`, limits.startMs);
        if (failure === null || Date.now() >= until) break;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      if (failure !== null) findings.push({ file, message: `GET ${route}: ${failure}` });
    }
    child.kill('SIGTERM');
    const code = await Promise.race([exited, new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), limits.stopMs).unref())]);
    if (code === 'late') findings.push({ file, message: `still running ${limits.stopMs / 1000} s after SIGTERM:\n${tail()}` });
    else if (code !== 0) findings.push({ file, message: `SIGTERM ended it with ${code === null ? 'a signal' : `code ${code}`}, not 0:\n${tail()}` });
    return findings;
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

/** What is wrong with a GET's answer (`503 {…}`, or why none came), or null for a 200. */
async function ask(url: string, timeoutMs: number): Promise<string | null> {
  // a server that takes the connection and never answers must not hang the check
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) }).catch((err: Error) => err);
  if (res instanceof Error) return res.message;
  if (res.status !== 200) return `${res.status} ${(await res.text()).slice(0, 300)}`;
  await res.arrayBuffer();
  return null;
}
