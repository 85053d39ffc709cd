/**
 * What devices send, whichever way it came (the MQTT broker, HTTP, CoAP): a device is known by its
 * key; each message is held to its device's allowance, read by the pure parsers of
 * shared/model/iot.ts, and then stored (telemetry, before it is acknowledged), answered (commands)
 * or moved on (firmware updates); readings go on to twins and workflow triggers.
 */
import { ErrorCode } from '../../shared/protocol';
import { MAX_TELEMETRY_BYTES, parseBinaryTelemetry, parseCommandAck, parseFirmwareProgress, parseJsonTelemetry, type PublishChannel, type Reading, type SubscribeChannel } from '../../shared/model/iot';
import type { DeviceRecord, IotStore } from '../adapters/storage/IotStore';
import { AppError } from '../errors';
import type { Logger } from '../log';
import type { Commands } from './Commands';
import type { AuthResult, DeviceRegistry } from './DeviceRegistry';
import type { Firmware } from './Firmware';
import type { Telemetry } from './Telemetry';
import type { TwinFeed } from './TwinFeed';
import { DeviceMessageError, DeviceRateError, UnknownDeviceError, type DeviceGate } from './broker/Broker';

/** The most metrics (series) one device may have. */
export const METRICS_PER_DEVICE = 64;

export type ReadingListener = (device: DeviceRecord, reading: Reading) => void;

export interface DeviceInboxDeps {
  store: Pick<IotStore, 'metricsOf'>;
  devices: DeviceRegistry;
  telemetry: Telemetry;
  commands: Commands;
  firmware: Firmware;
  feed: TwinFeed;
  /** Messages a device may send per second on average (bursts of twice that pass). */
  deviceRate: number;
  /** Told of each device message's outcome, for the metrics. */
  observe?(channel: PublishChannel, outcome: 'used' | 'refused' | 'failed'): void;
  log: Logger;
  now(): number;
}

export class DeviceInbox implements DeviceGate {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  /** Device → the metrics it has sent (read once from the store), for the cap on series. */
  private readonly metricNames = new Map<string, Set<string>>();
  private readonly readingListeners = new Set<ReadingListener>();

  constructor(private readonly o: DeviceInboxDeps) {}

  /** Called with every reading once it is stored (twins, workflow triggers). */
  onReading(listener: ReadingListener): () => void {
    this.readingListeners.add(listener);
    return () => this.readingListeners.delete(listener);
  }

  /** A device was removed: what was kept of it here goes. */
  forget(deviceId: string): void {
    this.metricNames.delete(deviceId);
    this.buckets.delete(deviceId);
  }

  /** Telemetry over HTTP or CoAP, with the device's key: the same checks as over MQTT. */
  async ingest(deviceId: string, key: string | undefined, body: Buffer, binary: boolean): Promise<{ stored: number }> {
    if (!key) throw new AppError(ErrorCode.UNAUTHORIZED, "Send the device's key: the X-Device-Key header over HTTP, ?key= over CoAP.", 401);
    const auth = await this.authenticate(deviceId, key);
    if (!auth.ok) throw new AppError(ErrorCode.UNAUTHORIZED, auth.reason === 'revoked' ? "This device's key was revoked; its owner can give it a new one." : 'No device has that id and key.', 401);
    try {
      return { stored: await this.take(auth.device, binary ? 'telemetry/bin' : 'telemetry', body) };
    } catch (err) {
      if (err instanceof DeviceRateError) throw new AppError(ErrorCode.RATE_LIMITED, `The telemetry was not stored: ${err.message}.`, 429);
      if (err instanceof DeviceMessageError) throw new AppError(ErrorCode.BAD_REQUEST, `The telemetry was not stored: ${err.message}.`, 400);
      throw err;
    }
  }

  authenticate(deviceId: string, key: string): Promise<AuthResult> {
    return this.o.devices.authenticate(deviceId, key);
  }

  async receive(deviceId: string, channel: PublishChannel, payload: Buffer): Promise<void> {
    const device = await this.o.devices.get(deviceId);
    // removed or revoked while connected (the broker drops it), or a topic naming no device of ours
    if (!device || device.revokedAt) throw new UnknownDeviceError(`no device "${deviceId.slice(0, 80)}" may send here`);
    await this.take(device, channel, payload);
  }

  connected(deviceId: string, on: boolean): void {
    this.o.devices
      .get(deviceId)
      .then((device) => {
        if (!device) return;
        // going away is written at once: it is the last time there will be for a while
        this.o.devices.heard(deviceId, !on);
        this.o.feed.online(device, on);
      })
      .catch((err: unknown) => this.o.log.warn({ err, deviceId }, "could not tell a world its device's twin came or went"));
  }

  listening(deviceId: string, channel: SubscribeChannel): void {
    // a subscription re-sends what waits for the device: it counts against the device's allowance
    if (!this.withinRate(deviceId)) return;
    if (channel === 'commands') this.o.commands.deviceListening(deviceId).catch((err: unknown) => this.o.log.warn({ err, deviceId }, 'could not send a device the commands waiting for it'));
    if (channel === 'firmware') this.o.firmware.deviceListening(deviceId).catch((err: unknown) => this.o.log.warn({ err, deviceId }, 'could not tell a device of its firmware update'));
  }

  /** Handles one message from a device, counting how it went; how many readings it stored. */
  private async take(device: DeviceRecord, channel: PublishChannel, payload: Buffer): Promise<number> {
    try {
      const stored = await this.handle(device, channel, payload);
      this.o.observe?.(channel, 'used');
      return stored;
    } catch (err) {
      this.o.observe?.(channel, err instanceof DeviceMessageError ? 'refused' : 'failed');
      throw err;
    }
  }

  private async handle(device: DeviceRecord, channel: PublishChannel, payload: Buffer): Promise<number> {
    this.o.devices.heard(device.id);
    if (payload.byteLength > MAX_TELEMETRY_BYTES) throw new DeviceMessageError(`the message is ${payload.byteLength} bytes; at most ${MAX_TELEMETRY_BYTES}`);
    if (!this.withinRate(device.id)) throw new DeviceRateError(`more than ${this.o.deviceRate} messages a second on average; this one was dropped`);
    switch (channel) {
      case 'telemetry':
      case 'telemetry/bin': {
        const parsed = channel === 'telemetry' ? parseJsonTelemetry(payload.toString('utf8'), this.o.now()) : parseBinaryTelemetry(payload, this.o.now());
        if (!parsed.ok) throw new DeviceMessageError(parsed.error);
        await this.checkMetrics(device.id, parsed.value);
        await this.o.telemetry.write(device.id, parsed.value);
        this.o.feed.reading(device, parsed.value);
        for (const listener of this.readingListeners) {
          try {
            listener(device, parsed.value);
          } catch (err) {
            this.o.log.warn({ err, deviceId: device.id }, 'a telemetry listener failed');
          }
        }
        return 1;
      }
      case 'status': {
        const firmware = readFirmware(payload);
        if (firmware === null) throw new DeviceMessageError('a status is {"firmware": "<version>"} (up to 40 characters)');
        if (firmware !== undefined && firmware !== device.firmwareVersion) await this.o.devices.update(device.id, (d) => ({ ...d, firmwareVersion: firmware }));
        return 0;
      }
      case 'commands/ack': {
        const ack = parseCommandAck(payload.toString('utf8'));
        if (!ack.ok) throw new DeviceMessageError(ack.error);
        await this.o.commands.acknowledge(device.id, ack.value);
        return 0;
      }
      case 'firmware/progress': {
        const report = parseFirmwareProgress(payload.toString('utf8'));
        if (!report.ok) throw new DeviceMessageError(report.error);
        if (!(await this.o.firmware.progress(device.id, report.value))) throw new DeviceMessageError(`"${report.value.updateId.slice(0, 80)}" is not this device's open update`);
        return 0;
      }
    }
  }

  /** Refuses a reading that would give a device more than METRICS_PER_DEVICE series (each costs storage and pruning for ever). */
  private async checkMetrics(deviceId: string, reading: Reading): Promise<void> {
    let known = this.metricNames.get(deviceId);
    if (!known) {
      known = new Set(await this.o.store.metricsOf(deviceId));
      this.metricNames.set(deviceId, known);
    }
    const fresh = Object.keys(reading.values).filter((m) => !known.has(m));
    if (known.size + fresh.length > METRICS_PER_DEVICE) throw new DeviceMessageError(`this device already sends ${known.size} metrics and may send at most ${METRICS_PER_DEVICE}; ${fresh.slice(0, 3).map((m) => `"${m}"`).join(', ')} not taken`);
    for (const m of fresh) known.add(m);
  }

  private withinRate(deviceId: string): boolean {
    const now = this.o.now();
    const rate = this.o.deviceRate;
    const b = this.buckets.get(deviceId) ?? { tokens: rate * 2, at: now };
    b.tokens = Math.min(rate * 2, b.tokens + ((now - b.at) / 1000) * rate);
    b.at = now;
    this.buckets.set(deviceId, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }
}

/** The firmware version a status message reports: undefined when it says none, null when it is not a status. */
function readFirmware(payload: Buffer): string | undefined | null {
  if (payload.byteLength > 1024) return null;
  try {
    const body = JSON.parse(payload.toString('utf8')) as { firmware?: unknown } | null;
    if (typeof body !== 'object' || body === null) return null;
    if (body.firmware === undefined) return undefined;
    return typeof body.firmware === 'string' && body.firmware.length > 0 && body.firmware.length <= 40 ? body.firmware : null;
  } catch {
    return null;
  }
}
