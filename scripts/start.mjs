/**
 * `npm start`: build the contracts and the client if they are missing or stale, then run the
 * server in the foreground with the embedded defaults (store under ./data, no accounts, no keys).
 * On a built tree it needs no dev dependency.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureClientBuild } from './ensureClientBuild.mjs';
import { ensureContracts } from './compileContracts.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

try {
  ensureContracts();
  await ensureClientBuild();
} catch (err) {
  process.stderr.write(`The build failed: ${err?.message ?? err}\nFix the error above, or run \`npm run build\` to see it in full.\n`);
  process.exit(1);
}

const server = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { cwd: ROOT, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
