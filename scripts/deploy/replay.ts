import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bootCheck } from './boot';
import { commandKind, commandsOf, copyOf, envOf, execForm, lastOf, parseDockerfile } from './dockerfile';
import { dockerIgnore } from './dockerignore';
import type { Finding } from './findings';
import type { Repo } from './repo';

/** `cp -al`: a copy of a tree whose files are the same files (fast, no space); false where links cannot be made. */
function linkTree(from: string, to: string): boolean {
  mkdirSync(path.dirname(to), { recursive: true });
  return spawnSync('cp', ['-al', from, to]).status === 0;
}

function run(command: string, args: string[], cwd: string): { ok: boolean; output: string } {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { ok: r.status === 0, output: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? r.error.message : ''}`.trim().slice(-1500) };
}

/** Why `npm ci` would refuse the lockfile (it no longer matches package.json), or null. */
export function lockfileOutOfStep(repo: Repo): string | null {
  const pkg = JSON.parse(repo.read('package.json') ?? '{}') as Record<string, Record<string, string> | undefined>;
  const lock = JSON.parse(repo.read('package-lock.json') ?? '{}') as { packages?: Record<string, Record<string, Record<string, string> | undefined>> };
  const root = lock.packages?.[''];
  if (!root) return 'it has no root package entry';
  for (const field of ['dependencies', 'devDependencies', 'optionalDependencies']) {
    const want = pkg[field] ?? {};
    const have = root[field] ?? {};
    const differ = [...new Set([...Object.keys(want), ...Object.keys(have)])].filter((name) => want[name] !== have[name]);
    if (differ.length) return `${field} differ from package.json for ${differ.slice(0, 5).join(', ')} (run npm install)`;
  }
  return null;
}

/**
 * Replays the Dockerfile in a temporary directory: each stage a folder, WORKDIR its root, COPY from
 * the checkout (less what .dockerignore leaves out) or from another stage's folder, RUN by what each
 * command means here; then the runtime stage's CMD is started there by bootCheck.
 */
export async function replayDockerfile(repo: Repo, opts: { build: boolean; note: (line: string) => void }): Promise<Finding[]> {
  const stages = parseDockerfile(repo.read('Dockerfile') ?? '');
  const runtime = stages.at(-1);
  const cmd = runtime && execForm(lastOf(runtime, 'CMD')?.args ?? '');
  if (!runtime || !cmd) return [{ file: 'Dockerfile', message: 'nothing to replay: no runtime stage with an exec-form CMD' }];
  const findings: Finding[] = [];
  const ignored = dockerIgnore(repo.read('.dockerignore'));
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'dwc-deploy-'));
  const dirs = new Map<string, { dir: string; workdir: string }>();
  const inside = (stage: string, at: string, containerPath: string) => {
    const d = dirs.get(stage)!;
    return path.join(d.dir, path.posix.relative(d.workdir, path.posix.resolve(at, containerPath)));
  };
  try {
    for (const stage of stages) {
      const state = { dir: path.join(tmp, stage.name), workdir: '/' };
      dirs.set(stage.name, state);
      mkdirSync(state.dir, { recursive: true });
      for (const ins of stage.instructions) {
        const where = `Dockerfile:${ins.line}`;
        if (ins.op === 'WORKDIR') state.workdir = path.posix.resolve(state.workdir, ins.args);
        if (ins.op === 'COPY') {
          const c = copyOf(ins);
          for (const src of c.sources) {
            const from = c.from === null ? path.join(repo.root, src) : inside(c.from, '/', src);
            const into = inside(stage.name, state.workdir, c.dest);
            const toDir = c.dest.endsWith('/') || c.sources.length > 1;
            if (!existsSync(from)) {
              findings.push({ file: where, message: `COPY ${src}: nothing there when replayed` });
              continue;
            }
            const target = statSync(from).isDirectory() ? into : toDir ? path.join(into, path.basename(src)) : into;
            if (c.from !== null && path.basename(src) === 'node_modules') {
              if (!linkTree(from, target)) findings.push({ file: where, message: `COPY ${src}: could not link the tree` });
              continue;
            }
            cpSync(from, target, {
              recursive: true,
              filter: (f) => c.from !== null || !ignored(path.relative(repo.root, f).split(path.sep).join('/')) || path.relative(repo.root, f) === '',
            });
          }
        }
        if (ins.op !== 'RUN') continue;
        for (const command of commandsOf(ins)) {
          const dir = inside(stage.name, state.workdir, '.');
          const kind = commandKind(command);
          if (kind === 'ci') {
            if (!existsSync(path.join(dir, 'package-lock.json'))) findings.push({ file: where, message: 'npm ci: no package-lock.json copied in before it' });
            const why = lockfileOutOfStep(repo);
            if (why) findings.push({ file: 'package-lock.json', message: `npm ci would refuse it: ${why}` });
            // the checkout's install stands in for it, as links; npm rewrites its own record, so that is a real copy
            if (!linkTree(path.join(repo.root, 'node_modules'), path.join(dir, 'node_modules'))) {
              opts.note('could not link node_modules into the temporary directory; the replay stops here');
              return findings;
            }
            const record = path.join(dir, 'node_modules/.package-lock.json');
            if (existsSync(record)) {
              rmSync(record);
              cpSync(path.join(repo.root, 'node_modules/.package-lock.json'), record);
            }
          } else if (kind === 'prune') {
            const r = run('npm', ['prune', '--omit=dev', '--offline', '--ignore-scripts', '--no-audit', '--no-fund'], dir);
            if (!r.ok) findings.push({ file: where, message: `npm prune --omit=dev failed:\n${r.output}` });
          } else if (kind === 'run') {
            const script = command.split(/\s+/)[2]!;
            const client = path.join(repo.root, 'dist/client');
            if (opts.build) {
              const r = run('npm', ['run', script], dir);
              if (!r.ok) findings.push({ file: where, message: `${command} failed:\n${r.output}` });
            } else if (script === 'build' && existsSync(path.join(client, 'index.html'))) {
              cpSync(client, path.join(dir, 'dist/client'), { recursive: true });
              opts.note(`${command}: not run; the checkout's dist/client stands in for it (--build runs it)`);
            } else opts.note(`${command}: not run (--build runs it); the server starts without a built client`);
          } else if (kind === 'mkdir') {
            const inApp = (p: string) => !path.posix.isAbsolute(p) || p === state.workdir || p.startsWith(`${state.workdir.replace(/\/$/, '')}/`);
            for (const p of command.split(/\s+/).slice(1).filter((w) => !w.startsWith('-'))) if (inApp(p)) mkdirSync(inside(stage.name, state.workdir, p), { recursive: true });
          }
          // chown, and mkdir of paths outside the app (/data): DATA_DIR is a temporary folder here
        }
      }
    }
    const runtimeDir = inside(runtime.name, dirs.get(runtime.name)!.workdir, '.');
    mkdirSync(path.join(runtimeDir, 'dist/client'), { recursive: true });
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: tmp,
      TMPDIR: os.tmpdir(),
      ...envOf(runtime),
      // what the replay must change: any free port, this machine only, a data folder of its own, no fixed broker ports
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: path.join(tmp, 'data'),
      MQTT_PORT: '0',
      MQTT_WS_PORT: '0',
    };
    findings.push(...(await bootCheck(cmd, runtimeDir, env)));
    return findings;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
