import path from 'node:path';
import { dockerIgnore } from './dockerignore';
import { isKnownVariable } from './env';
import type { Finding } from './findings';
import type { Repo } from './repo';
import { probeUrls, type ServerFacts } from './server';

export interface Instruction {
  line: number;
  op: string;
  args: string;
}

export interface Stage {
  name: string;
  from: string;
  instructions: Instruction[];
}

/** The stages of a Dockerfile, its lines joined where they end in a backslash, comments left out. */
export function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let line = lines[i]!;
    while (/\\\s*$/.test(line) && i + 1 < lines.length) line = line.replace(/\\\s*$/, ' ') + lines[++i]!.trim();
    const m = /^\s*([A-Za-z]+)\s+(.*)$/.exec(line);
    if (!m || line.trim().startsWith('#')) continue;
    const ins = { line: start + 1, op: m[1]!.toUpperCase(), args: m[2]!.trim() };
    if (ins.op === 'FROM') {
      // `FROM [--platform=…] image [AS name]`: the flags come before the image
      const [from = '', as, name] = ins.args.split(/\s+/).filter((w) => !w.startsWith('--'));
      stages.push({ name: as?.toUpperCase() === 'AS' && name ? name : String(stages.length), from, instructions: [] });
    } else stages.at(-1)?.instructions.push(ins);
  }
  return stages;
}

/** The last instruction of a kind in a stage (the one Docker uses for CMD, USER, HEALTHCHECK). */
export const lastOf = (stage: Stage, op: string): Instruction | undefined => stage.instructions.filter((x) => x.op === op).at(-1);

/** An exec-form argument list (`["node", "x"]`), or null for the shell form. */
export function execForm(args: string): string[] | null {
  if (!args.startsWith('[')) return null;
  try {
    const argv = JSON.parse(args) as unknown;
    return Array.isArray(argv) && argv.every((a) => typeof a === 'string') ? argv : null;
  } catch {
    return null;
  }
}

/** The variables a stage's ENV instructions set, each with the line that sets it. */
export function envEntries(stage: Stage): { name: string; value: string; line: number }[] {
  return stage.instructions
    .filter((x) => x.op === 'ENV')
    .flatMap((ins) => [...ins.args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|\S*)/g)].map((m) => ({ name: m[1]!, value: m[2]!.replace(/^"|"$/g, ''), line: ins.line })));
}

export function envOf(stage: Stage): Record<string, string> {
  return Object.fromEntries(envEntries(stage).map((e) => [e.name, e.value]));
}

export interface Copy {
  /** The stage it copies from, null for the build context. */
  from: string | null;
  sources: string[];
  dest: string;
  line: number;
}

export function copyOf(ins: Instruction): Copy {
  const words = ins.args.split(/\s+/);
  const from = words.find((w) => w.startsWith('--from='))?.slice('--from='.length) ?? null;
  const paths = words.filter((w) => !w.startsWith('--'));
  return { from, sources: paths.slice(0, -1), dest: paths.at(-1) ?? '', line: ins.line };
}

export const copies = (stage: Stage): Copy[] => stage.instructions.filter((x) => x.op === 'COPY' || x.op === 'ADD').map(copyOf);

/** The commands of a RUN, split on `&&`. */
export const commandsOf = (ins: Instruction): string[] => ins.args.split('&&').map((c) => c.trim());

export function runCommands(stage: Stage): { line: number; command: string }[] {
  return stage.instructions.filter((x) => x.op === 'RUN').flatMap((ins) => commandsOf(ins).map((command) => ({ line: ins.line, command })));
}

/**
 * The commands the replay knows, which are all a RUN may use; the check and the replay both read
 * a command through this, so what the one accepts the other can do.
 */
export const COMMANDS = {
  ci: /^npm ci(\s|$)/,
  run: /^npm run \S+(\s|$)/,
  prune: /^npm prune --omit=dev(\s|$)/,
  mkdir: /^mkdir(\s|$)/,
  chown: /^chown(\s|$)/,
} as const;

export type CommandKind = keyof typeof COMMANDS;

export function commandKind(command: string): CommandKind | null {
  return (Object.keys(COMMANDS) as CommandKind[]).find((k) => COMMANDS[k].test(command)) ?? null;
}

// ---------------------------------------------------------------- the checks

/** What a build-stage command leaves behind that is not in the checkout. */
function buildOutputs(repo: Repo): { path: string; command: string }[] {
  // vite.config.ts names the client's output relative to its root
  const vite = repo.read('vite.config.ts') ?? '';
  const root = /\broot:\s*'([^']+)'/.exec(vite)?.[1] ?? '.';
  const outDir = /\boutDir:\s*'([^']+)'/.exec(vite)?.[1] ?? 'dist';
  return [
    { path: 'node_modules', command: 'npm ci' },
    { path: path.posix.normalize(path.posix.join(root, outDir)), command: 'npm run build' },
  ];
}

export function checkDockerfile(repo: Repo, facts: ServerFacts): Finding[] {
  const file = 'Dockerfile';
  const text = repo.read(file);
  if (text === undefined) return [{ file, message: 'missing' }];
  const out: Finding[] = [];
  const say = (line: number, message: string) => out.push({ file: `${file}:${line}`, message });
  const stages = parseDockerfile(text);
  const runtime = stages.at(-1);
  if (!runtime || stages.length < 2) return [{ file, message: 'expected a build stage and a runtime stage (FROM … AS build, then FROM … for the runtime)' }];
  const ignoreFile = repo.read('.dockerignore');
  const ignored = dockerIgnore(ignoreFile);
  if (ignoreFile === undefined) out.push({ file: '.dockerignore', message: 'missing: the build context would carry node_modules, data and .git' });
  for (const must of ['node_modules', '.git', 'data', 'dist']) if (!ignored(must)) out.push({ file: '.dockerignore', message: `does not leave out ${must}` });
  const outputs = buildOutputs(repo);

  for (const stage of stages) {
    for (const { line, command } of runCommands(stage)) {
      if (!commandKind(command)) say(line, `RUN \`${command}\`: checkDeploy cannot replay it (known: npm ci, npm run <script>, npm prune --omit=dev, mkdir, chown)`);
      const script = /^npm run (\S+)/.exec(command)?.[1];
      if (script && !facts.scripts.has(script)) say(line, `RUN \`${command}\`: package.json has no script "${script}"`);
    }
    for (const c of copies(stage)) {
      if (c.from === null) {
        for (const src of c.sources) {
          if (src === '.') continue;
          if (!repo.exists(src)) say(c.line, `COPY ${src}: no such file in the repository`);
          else if (ignored(src)) say(c.line, `COPY ${src}: .dockerignore leaves it out of the build context`);
        }
        continue;
      }
      const source = stages.find((s) => s.name === c.from);
      if (!source) {
        say(c.line, `COPY --from=${c.from}: no stage of that name`);
        continue;
      }
      const workdir = lastOf(source, 'WORKDIR')?.args ?? '/';
      const copiedAll = copies(source).some((x) => x.from === null && x.sources.includes('.'));
      const commands = runCommands(source).map((r) => r.command);
      for (const src of c.sources) {
        const rel = path.posix.relative(workdir, src);
        const made = outputs.find((o) => rel === o.path || rel.startsWith(`${o.path}/`));
        if (made) {
          if (!commands.some((cmd) => cmd === made.command || cmd.startsWith(`${made.command} `))) say(c.line, `COPY --from=${c.from} ${src}: made by \`${made.command}\`, which stage ${c.from} does not run`);
        } else if (!repo.exists(rel) || !copiedAll || ignored(rel)) say(c.line, `COPY --from=${c.from} ${src}: neither a build output nor a file of the repository copied into stage ${c.from}`);
      }
    }
  }

  const user = lastOf(runtime, 'USER');
  if (!user || /^(root|0)(:|$)/.test(user.args)) say(user?.line ?? 1, 'the runtime stage must run as a non-root USER');
  const cmd = lastOf(runtime, 'CMD');
  const argv = cmd && execForm(cmd.args);
  if (!cmd || !argv) say(cmd?.line ?? 1, 'CMD must be in exec form (["node", …]) so that SIGTERM reaches the server');
  else if (argv[0] !== 'node') say(cmd.line, `CMD runs ${argv[0]}, not node: npm and a shell do not pass SIGTERM on to the server`);
  if (cmd && argv?.includes('tsx')) {
    // tsx takes the compiler options (decorators) from tsconfig.json and what it extends; without them
    // the server still starts and answers /health, but its rooms break, which the replay cannot see
    const copied = new Set(copies(runtime).filter((c) => c.from === null).flatMap((c) => c.sources));
    const extended = /"extends":\s*"\.\/([^"]+)"/.exec(repo.read('tsconfig.json') ?? '')?.[1];
    for (const f of ['tsconfig.json', ...(extended ? [extended] : [])]) if (!copied.has(f)) say(cmd.line, `the runtime stage does not COPY ${f}, which tsx needs to compile the server as it is checked`);
  }
  for (const e of envEntries(runtime)) if (!isKnownVariable(e.name, facts)) say(e.line, `ENV ${e.name}: server/config.ts reads no such variable`);
  const port = Number(envOf(runtime).PORT ?? facts.defaultPort);
  const exposed = runtime.instructions.filter((x) => x.op === 'EXPOSE').flatMap((x) => x.args.split(/\s+/).map((p) => Number(p.split('/')[0])));
  if (!exposed.includes(port)) say(lastOf(runtime, 'EXPOSE')?.line ?? 1, `EXPOSE does not include the server's port ${port}`);
  const health = lastOf(runtime, 'HEALTHCHECK');
  if (!health) say(1, 'the runtime stage has no HEALTHCHECK');
  else out.push(...probeUrls(health.args, facts, port).map((message) => ({ file: `${file}:${health.line}`, message: `HEALTHCHECK: ${message}` })));
  return out;
}
