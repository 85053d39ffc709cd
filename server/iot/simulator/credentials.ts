/**
 * The simulator's devices of one world, kept in `<data dir>/simulator/<world id>.json` (readable by
 * this user only: it holds device keys), so a second run signs in as the same devices instead of
 * registering new ones.
 */
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SIMULATED_KINDS } from './models';
import { SimulatorError, type DeviceCredentials } from './serverApi';

interface CredentialsFile {
  server: string;
  worldId: string;
  devices: DeviceCredentials[];
}

const KINDS = new Set<string>(SIMULATED_KINDS);

export function credentialsPath(dataDir: string, worldId: string): string {
  // the world id names a file: nothing that could step out of the folder
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(worldId)) throw new SimulatorError(`"${worldId.slice(0, 80)}" is not a world id (letters, digits, - and _).`);
  return path.join(dataDir, 'simulator', `${worldId}.json`);
}

/** The devices kept for the world; none when there is no file yet. A damaged file is an error, not silently replaced. */
export function loadCredentials(file: string): DeviceCredentials[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  try {
    const parsed = JSON.parse(text) as Partial<CredentialsFile>;
    return (parsed.devices ?? []).filter((d) => typeof d.id === 'string' && typeof d.key === 'string' && typeof d.name === 'string' && KINDS.has(d.kind));
  } catch {
    throw new SimulatorError(`${file} is not the simulator's JSON: fix it, or delete it to register new devices.`);
  }
}

/** Writes the whole list at once (a temporary file renamed over the old), readable by this user only. */
export function saveCredentials(file: string, server: string, worldId: string, devices: DeviceCredentials[]): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const body: CredentialsFile = { server, worldId, devices };
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(body, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
  // an older file may have been made with looser rights
  chmodSync(file, 0o600);
}
