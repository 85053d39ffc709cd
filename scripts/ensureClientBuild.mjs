/**
 * Builds the browser client with Vite when dist/client is missing or older than its sources.
 * Used by `npm start` and by the e2e tests, so neither serves a stale client.
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

export async function ensureClientBuild({ quiet = false } = {}) {
  const reason = staleReason();
  if (!reason) return false;
  if (!quiet) process.stdout.write(`Building the client (${reason})…\n`);
  const sourcesAt = Math.max(...SOURCES.map((s) => newestMtime(path.join(ROOT, s))));
  const { build } = await import('vite');
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
