/**
 * Firmware over the air: images uploaded to a world for a device type (their bytes kept as content
 * by sha256, checked against the hash the uploader gave), rolled out to devices (each gets an
 * update record, and a notice on `firmware` when it listens — again when it comes back), devices'
 * progress reports moving their update on, and rollback to the image a device ran before. No access
 * checks here: IotService makes them.
 */
import { UPDATE_FINAL, type FirmwareNotice, type FirmwareProgress } from '../../shared/model/iot';
import type { BlobStore } from '../adapters/storage/BlobStore';
import type { DeviceRecord, FirmwareRecord, IotStore, UpdateRecord } from '../adapters/storage/IotStore';
import { AppError } from '../errors';
import { ErrorCode } from '../../shared/protocol';
import type { Logger } from '../log';
import { keyedSerial } from '../serial';

/** The most firmware images one world keeps. */
export const FIRMWARE_PER_WORLD = 100;

export const firmwarePath = (firmwareId: string) => `/api/v3/iot/firmware/${firmwareId}/content`;

export interface FirmwareOptions {
  store: IotStore;
  blobs: BlobStore;
  /** Sends a notice to a device; false when it is not listening on `firmware` now. */
  send(deviceId: string, notice: FirmwareNotice): Promise<boolean>;
  /** The device ran an update to the end: its version is now the image's. */
  installed(deviceId: string, version: string): Promise<void>;
  log: Logger;
  newId(): string;
  now?: () => number;
}

export class Firmware {
  private readonly now: () => number;
  /** One change of a device's updates at a time: a rollout, a notice and a report never overwrite each other. */
  private readonly turns = keyedSerial();

  constructor(private readonly o: FirmwareOptions) {
    this.now = o.now ?? Date.now;
  }

  private iso(): string {
    return new Date(this.now()).toISOString();
  }

  /** Keeps an image already spooled to `path` (hashed as `sha256`), refusing a duplicate version. */
  async add(input: Omit<FirmwareRecord, 'id' | 'createdAt'>, path: string): Promise<FirmwareRecord> {
    const kept = await this.o.store.listFirmware(input.worldId);
    if (kept.length >= FIRMWARE_PER_WORLD) throw new AppError(ErrorCode.CONFLICT, `This world keeps ${FIRMWARE_PER_WORLD} firmware images already, as many as a world may.`, 409);
    const same = kept.find((f) => f.type === input.type && f.version === input.version);
    if (same) throw new AppError(ErrorCode.CONFLICT, `Version ${input.version} for ${input.type} devices is here already (its sha256 starts ${same.sha256.slice(0, 12)}); give the new image another version.`, 409);
    await this.o.blobs.putFile(input.sha256, path);
    const firmware: FirmwareRecord = { ...input, id: `fw_${this.o.newId()}`, createdAt: this.iso() };
    await this.o.store.putFirmware(firmware);
    this.o.log.info({ worldId: firmware.worldId, firmwareId: firmware.id, version: firmware.version, type: firmware.type }, 'firmware uploaded');
    return firmware;
  }

  /** Gives each device an update to the image (superseding one still open) and tells those listening. */
  async rollOut(firmware: FirmwareRecord, devices: DeviceRecord[], rollback = false): Promise<UpdateRecord[]> {
    const out: UpdateRecord[] = [];
    for (const device of devices) out.push(await this.turns.run(device.id, () => this.give(firmware, device, rollback)));
    return out;
  }

  private async give(firmware: FirmwareRecord, device: DeviceRecord, rollback: boolean): Promise<UpdateRecord> {
    const open = await this.openUpdate(device.id);
    if (open) await this.o.store.putUpdate({ ...open, state: 'superseded', updatedAt: this.iso() });
    const update: UpdateRecord = {
      id: `${this.now().toString(36).padStart(9, '0')}${this.o.newId()}`,
      deviceId: device.id,
      worldId: device.worldId,
      firmwareId: firmware.id,
      version: firmware.version,
      sha256: firmware.sha256,
      state: 'pending',
      progress: 0,
      fromVersion: device.firmwareVersion,
      rollback,
      createdAt: this.iso(),
      updatedAt: this.iso(),
    };
    await this.o.store.putUpdate(update);
    return (await this.notify(update, firmware)) ?? update;
  }

  /** The image a device ran before its latest finished update, to go back to; 409 when none is known. */
  async previousImage(device: DeviceRecord): Promise<FirmwareRecord> {
    const last = (await this.o.store.updatesOf(device.id, 50)).find((u) => u.state === 'done');
    const back = last?.fromVersion;
    const image = back ? (await this.o.store.listFirmware(device.worldId)).find((f) => f.type === device.type && f.version === back) : undefined;
    if (!image) throw new AppError(ErrorCode.CONFLICT, `"${device.name}" has no earlier image here to go back to${back ? ` (it ran ${back}, which was not uploaded to this world)` : ''}.`, 409);
    return image;
  }

  /** The device listens on `firmware`: it is told of its open update again. */
  deviceListening(deviceId: string): Promise<void> {
    return this.turns.run(deviceId, async () => {
      const open = await this.openUpdate(deviceId);
      if (!open) return;
      const firmware = await this.o.store.getFirmware(open.firmwareId);
      if (firmware) await this.notify(open, firmware);
    });
  }

  /** A device's progress report; reports about an update that is not its open one change nothing. */
  progress(deviceId: string, report: FirmwareProgress): Promise<UpdateRecord | null> {
    return this.turns.run(deviceId, () => this.moveOn(deviceId, report));
  }

  private async moveOn(deviceId: string, report: FirmwareProgress): Promise<UpdateRecord | null> {
    const open = await this.openUpdate(deviceId);
    if (!open || open.id !== report.updateId) return null;
    const moved: UpdateRecord = {
      ...open,
      state: report.state,
      progress: report.state === 'done' ? 100 : Math.round(report.progress ?? open.progress),
      updatedAt: this.iso(),
      ...(report.state === 'failed' ? { error: report.error ?? 'the device said the update failed, and not why' } : {}),
    };
    await this.o.store.putUpdate(moved);
    if (moved.state === 'done') await this.o.installed(deviceId, moved.version);
    this.o.log.info({ deviceId, updateId: moved.id, state: moved.state, progress: moved.progress }, 'firmware update moved on');
    return moved;
  }

  async updates(deviceId: string): Promise<UpdateRecord[]> {
    return this.o.store.updatesOf(deviceId, 50);
  }

  /** Whether the device has (or had) an update to this image: it may fetch it. */
  async mayFetch(deviceId: string, firmwareId: string): Promise<boolean> {
    return (await this.o.store.updatesOf(deviceId, 50)).some((u) => u.firmwareId === firmwareId && u.state !== 'superseded');
  }

  private async openUpdate(deviceId: string): Promise<UpdateRecord | undefined> {
    const [latest] = await this.o.store.updatesOf(deviceId, 1);
    return latest && !UPDATE_FINAL.has(latest.state) ? latest : undefined;
  }

  private async notify(update: UpdateRecord, firmware: FirmwareRecord): Promise<UpdateRecord | undefined> {
    const notice: FirmwareNotice = { updateId: update.id, firmwareId: firmware.id, version: firmware.version, sha256: firmware.sha256, size: firmware.size, path: firmwarePath(firmware.id), rollback: update.rollback };
    // stored as notified before it goes, so a report that comes back at once finds it so
    const notified: UpdateRecord = update.state === 'pending' ? { ...update, state: 'notified', updatedAt: this.iso() } : update;
    if (notified !== update) await this.o.store.putUpdate(notified);
    if (await this.o.send(update.deviceId, notice)) return notified;
    if (notified !== update) await this.o.store.putUpdate(update);
    return undefined;
  }
}
