/**
 * `node --import tsx scripts/checkDeploy.ts [--build] [--static]`
 *
 * Keeps the deployment files working on a machine without Docker or Kubernetes: the Dockerfile,
 * .dockerignore, compose.yaml, deploy/nginx.conf and deploy/k8s/ are read and checked against the
 * server itself — every variable they set is one server/config.ts reads (and the values they set
 * pass its validation), every probe asks a route the server has, every port is the one it listens
 * on, every proxy path reaches the process that advertises it. Then the Dockerfile is replayed in a
 * temporary directory: its build stage (npm ci as hard links to this checkout's node_modules, npm
 * prune for real), its runtime stage's COPYs, and its CMD started as the image would start it, asked
 * for /api/v3/health and /api/v3/health/ready, and stopped with SIGTERM, which must end it with 0.
 *
 *   --build    also run `npm run build` in the replayed build stage (else the checkout's dist/client
 *              is used when there is one, and the server starts without a client otherwise)
 *   --static   only the file checks, no replay
 *
 * Prints one line per finding and exits 1 when there is any. The checks live in scripts/deploy/, one
 * module per file checked; this file is only the command line.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { checkFiles } from './deploy/checkFiles';
import { formatFinding, summary } from './deploy/findings';
import { K8S } from './deploy/kustomize';
import { replayDockerfile } from './deploy/replay';
import { diskRepo } from './deploy/repo';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

async function main(): Promise<number> {
  const args = parseArgs({ options: { build: { type: 'boolean', default: false }, static: { type: 'boolean', default: false } }, strict: true }).values;
  const repo = diskRepo(ROOT);
  const { loadConfig } = await import('../server/config');
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const findings = checkFiles(repo, loadConfig);
  say(`checkDeploy: files checked (Dockerfile, .dockerignore, compose.yaml, deploy/nginx.conf, ${K8S}/)`);
  if (!args.static) {
    say('checkDeploy: replaying the Dockerfile in a temporary directory and starting its CMD…');
    findings.push(...(await replayDockerfile(repo, { build: args.build, note: (line) => say(`  note: ${line}`) })));
  }
  for (const f of findings) say(formatFinding(f));
  say(summary(findings, args.static));
  return findings.length ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`checkDeploy failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(2);
    },
  );
}
