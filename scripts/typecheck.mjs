/**
 * `npm run typecheck`: runs tsc on every project, one after another.
 * The projects only type-check (noEmit), so plain `tsc -p` runs are simpler than a `tsc -b` build,
 * which would need every project composite and emitting declarations.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Shared code first: it sees neither the DOM nor Node, so an error there is reported once, against
 * shared code, before the projects that include it repeat it.
 */
export const PROJECTS = ['shared', 'client', 'server', 'tsconfig.tools.json'];

/** Type-checks one project, its errors going to this process's output; true when it is clean. */
export function typecheck(project) {
  const tsc = path.join(ROOT, 'node_modules', '.bin', 'tsc');
  return spawnSync(tsc, ['-p', project], { cwd: ROOT, stdio: 'inherit' }).status === 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  let failed = 0;
  for (const project of PROJECTS) {
    const started = performance.now();
    const ok = typecheck(project);
    if (!ok) failed++;
    process.stdout.write(`${ok ? 'ok  ' : 'FAIL'} ${project} (${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
  }
  process.exit(failed ? 1 : 0);
}
