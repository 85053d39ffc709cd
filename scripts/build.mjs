/**
 * `npm run build`: everything a running server needs built, so an install without dev
 * dependencies can serve it: the contract artifacts when their sources changed, and the client.
 */
import path from 'node:path';
import { ensureClientBuild } from './ensureClientBuild.mjs';
import { ensureContracts } from './compileContracts.mjs';

try {
  for (const file of ensureContracts()) process.stdout.write(`Wrote ${path.relative(process.cwd(), file)}\n`);
  await ensureClientBuild({ force: true });
} catch (err) {
  process.stderr.write(`The build failed: ${err?.message ?? err}\n`);
  process.exit(1);
}
