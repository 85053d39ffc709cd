/**
 * Builds the browser client with Vite when dist/client is missing or older than its sources.
 * Used by `npm run build`, `npm start` and the e2e tests, so none serves a stale client. Vite is a
 * dev dependency: an install without it (`npm ci --omit=dev`) serves the build it was given.
 */
import { existsSync, readdirSync, statSync, writeFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(ROOT, 'dist/client');
const STAMP = path.join(OUT, '.build-stamp');
const SOURCES = ['client', 'shared', 'assets', 'vite.config.ts', 'package-lock.json'];

function newestMtime(p) {
  if (!existsSync(p)) return 0;
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(p)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(path.join(p, entry)));
  }
  return newest;
}

/** Returns why a build is needed, or null when dist/client is current. */
export function staleReason() {
  if (!existsSync(path.join(OUT, 'index.html')) || !existsSync(STAMP)) return 'no client build yet';
  const builtFrom = Number(readFileSync(STAMP, 'utf8'));
  const sources = Math.max(...SOURCES.map((s) => newestMtime(path.join(ROOT, s))));
  return sources > builtFrom ? 'client sources changed since the last build' : null;
}

/** Vite's build function, or null when vite (a dev dependency) is not installed. */
async function loadViteBuild() {
  try {
    return (await import('vite')).build;
  } catch (err) {
    if (err?.code === 'ERR_MODULE_NOT_FOUND') return null;
    throw err;
  }
}

export async function ensureClientBuild({ quiet = false, force = false } = {}) {
  const reason = force ? 'requested' : staleReason();
  if (!reason) return false;
  const build = await loadViteBuild();
  if (!build) {
    const built = existsSync(path.join(OUT, 'index.html'));
    if (built && !force) {
      // an install without dev dependencies may touch package-lock.json: serve what was built
      process.stderr.write(`The client build may be stale (${reason}), but vite is not installed to rebuild it; serving it as it is.\n`);
      return false;
    }
    throw new Error('building the client needs vite, a dev dependency: run `npm install` (without --omit=dev), then `npm run build`');
  }
  if (!quiet) process.stdout.write(`Building the client (${reason})…\n`);
  const sourcesAt = Math.max(...SOURCES.map((s) => newestMtime(path.join(ROOT, s))));
  // a production bundle even when called from a test runner that sets NODE_ENV=test
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ mode: 'production', root: path.join(ROOT, 'client'), configFile: path.join(ROOT, 'vite.config.ts'), logLevel: quiet ? 'error' : 'warn' });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  writeFileSync(STAMP, String(sourcesAt));
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  ensureClientBuild().catch((err) => {
    process.stderr.write(`Client build failed: ${err?.message ?? err}\n`);
    process.exit(1);
  });
}
