/**
 * The devices themselves: their records, their keys (made here, shown once, kept only as a hash),
 * and when each was last heard from. No access checks here: IotService makes
 * them before calling in, and the broker calls only `authenticate` and the presence methods.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { DeviceRecord, IotStore } from '../adapters/storage/IotStore';
import type { Logger } from '../log';

/** How often a device's last-seen time is written while it keeps sending. */
const LAST_SEEN_WRITE_MS = 30_000;
/** Devices kept in memory for authentication and message handling, by id. */
const CACHE_LIMIT = 50_000;

export const hashKey = (key: string) => createHash('sha256').update(key).digest('hex');

/** A new device key: 256 random bits, so a fast hash is enough to keep it (nothing to guess). */
export function newDeviceKey(): string {
  return `dk_${randomBytes(32).toString('base64url')}`;
}

export type AuthResult = { ok: true; device: DeviceRecord } | { ok: false; reason: 'unknown' | 'revoked' | 'wrong-key' };

export class DeviceRegistry {
  private readonly cache = new Map<string, DeviceRecord>();
  /** Device → when it was last heard from, and when that was last written. */
  private readonly seen = new Map<string, { at: number; written: number }>();
  /** Device → its change being written, so changes to one device go one after another. */
  private readonly writing = new Map<string, Promise<void>>();
  /** Devices removed while this server runs (ids are never reused). */
  private readonly removed = new Set<string>();

  constructor(
    private readonly store: IotStore,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  async get(id: string): Promise<DeviceRecord | undefined> {
    if (this.removed.has(id)) return undefined;
    const cached = this.cache.get(id);
    if (cached) return cached;
    const device = await this.store.getDevice(id);
    if (device) this.remember(device);
    return device;
  }

  /** Stores a new device. */
  async add(device: DeviceRecord): Promise<void> {
    await this.store.putDevice(device);
    this.remember(device);
  }

  /**
   * Changes a stored device, one change at a time per device, so a last-seen write never puts back
   * a name a person just changed. Undefined when the device is gone.
   */
  update(id: string, change: (device: DeviceRecord) => DeviceRecord): Promise<DeviceRecord | undefined> {
    const next = (this.writing.get(id) ?? Promise.resolve()).then(async () => {
      const device = this.removed.has(id) ? undefined : await this.get(id);
      if (!device) return undefined;
      const changed = change(device);
      await this.store.putDevice(changed);
      this.remember(changed);
      return changed;
    });
    const settled = next.then(
      () => undefined,
      () => undefined,
    );
    this.writing.set(id, settled);
    settled
      .then(() => {
        if (this.writing.get(id) === settled) this.writing.delete(id);
      })
      .catch(() => undefined);
    return next;
  }

  async remove(id: string): Promise<boolean> {
    // after any change still being written, and no change after, so none puts the device back
    this.removed.add(id);
    await this.writing.get(id);
    this.cache.delete(id);
    this.seen.delete(id);
    return this.store.deleteDevice(id);
  }

  async authenticate(deviceId: string, key: string): Promise<AuthResult> {
    const device = await this.get(deviceId);
    if (!device) return { ok: false, reason: 'unknown' };
    if (device.revokedAt) return { ok: false, reason: 'revoked' };
    const given = Buffer.from(hashKey(key), 'hex');
    const kept = Buffer.from(device.keyHash, 'hex');
    if (given.length !== kept.length || !timingSafeEqual(given, kept)) return { ok: false, reason: 'wrong-key' };
    return { ok: true, device };
  }

  /** The device sent something: its last-seen time moves on, written at most every 30 s (or `now`). */
  heard(deviceId: string, writeNow = false): void {
    const at = this.now();
    const entry = this.seen.get(deviceId) ?? { at, written: 0 };
    entry.at = at;
    this.seen.set(deviceId, entry);
    if (!writeNow && at - entry.written < LAST_SEEN_WRITE_MS) return;
    entry.written = at;
    this.writeLastSeen(deviceId, at).catch((err: unknown) => this.log.warn({ err, deviceId }, "could not write a device's last-seen time"));
  }

  /** When the device was last heard from, as known in memory or stored. */
  lastSeen(device: DeviceRecord): string | null {
    const at = this.seen.get(device.id)?.at;
    return at ? new Date(at).toISOString() : device.lastSeen;
  }

  /** Writes every last-seen time not yet written (at shutdown). */
  async flush(): Promise<void> {
    for (const [deviceId, entry] of this.seen) {
      if (entry.at > entry.written) await this.writeLastSeen(deviceId, entry.at).catch(() => undefined);
    }
  }

  private async writeLastSeen(deviceId: string, at: number): Promise<void> {
    await this.update(deviceId, (d) => ({ ...d, lastSeen: new Date(at).toISOString() }));
  }

  private remember(device: DeviceRecord): void {
    if (this.cache.size >= CACHE_LIMIT && !this.cache.has(device.id)) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(device.id, device);
  }
}
