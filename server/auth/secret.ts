/** The key that signs access tokens: configured, or made once and kept under the data directory. */
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { randomToken } from './tokens';

export function secretFile(dataDir: string): string {
  return path.join(dataDir, 'auth', 'secret');
}

export async function loadAuthSecret(config: { authSecret: string | undefined; dataDir: string }): Promise<{ secret: string; source: string }> {
  if (config.authSecret) return { secret: config.authSecret, source: 'AUTH_SECRET' };
  const file = secretFile(config.dataDir);
  try {
    const kept = (await readFile(file, 'utf8')).trim();
    if (kept.length >= 32) return { secret: kept, source: file };
    throw new Error(`${file} holds too short a secret (under 32 characters); remove it to have a new one made, or set AUTH_SECRET`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const secret = randomToken(48);
  // 'wx': never overwrite a secret another process made meanwhile; tokens signed with it must keep working
  try {
    await writeFile(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return loadAuthSecret(config);
    throw err;
  }
  await chmod(file, 0o600);
  return { secret, source: `${file} (new)` };
}
