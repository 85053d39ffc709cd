/**
 * Devices in worlds: the one place that checks who may see and change a world's devices (the
 * world's roles: reading is seeing the world, the rest needs `editDevices`), and the one place a
 * device's messages are handled, whichever way they came (the MQTT broker, HTTP).
 */
import { ErrorCode } from '../../shared/protocol';
import { MAX_TELEMETRY_BYTES, deviceTopics, parseBinaryTelemetry, parseCommandAck, parseJsonTelemetry, type PublishChannel, type Reading, type SubscribeChannel, type TwinView } from '../../shared/model/iot';
import type { WorldAction } from '../../shared/model/roles';
import type { CommandRecord, DeviceRecord, IotStore, Resolution, TelemetrySample } from '../adapters/storage/IotStore';
import type { WorldAccess, Who } from '../access/WorldAccess';
import { AppError } from '../errors';
import type { Logger } from '../log';
import { Commands } from './Commands';
import { DeviceRegistry, hashKey, newDeviceKey, type AuthResult } from './DeviceRegistry';
import { ChangeDevice, RegisterDevice, SendCommand, SetTwin, TelemetryRange, parse } from './inputs';
import { TwinFeed } from './TwinFeed';
import type { WorldEventBus } from '../rooms/worldEvents';
import { Telemetry, type Retention } from './Telemetry';
import { DeviceMessageError, DeviceRateError, type Broker, type BrokerAddress, type DeviceGate } from './broker/Broker';

/** The most devices one world may hold. */
export const DEVICES_PER_WORLD = 1000;
const RECENT_COMMANDS = 50;

/** A device as people see it: never its key's hash. */
export type DeviceView = Omit<DeviceRecord, 'keyHash' | 'revokedAt' | 'createdBy'> & { online: boolean; revoked: boolean };

export interface IotServiceOptions {
  store: IotStore;
  access: Pick<WorldAccess, 'require'>;
  broker: Broker | null;
  log: Logger;
  retention: Retention;
  /** Messages a device may send per second on average (bursts of twice that pass). */
  deviceRate: number;
  /** Where twins' changes and readings go to their worlds; absent: nowhere (tests without rooms). */
  events?: WorldEventBus;
  /** The most readings a second a world is told of per twin. */
  twinHz: number;
  newId(): string;
  now?: () => number;
}

type ReadingListener = (device: DeviceRecord, reading: Reading) => void;

const notFound = (id: string) => new AppError(ErrorCode.NOT_FOUND, `There is no device "${String(id).slice(0, 64)}".`, 404);

export class IotService implements DeviceGate {
  readonly devices: DeviceRegistry;
  readonly telemetry: Telemetry;
  readonly commands: Commands;
  private readonly feed: TwinFeed;
  private readonly now: () => number;
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly readingListeners = new Set<ReadingListener>();

  constructor(private readonly o: IotServiceOptions) {
    this.now = o.now ?? Date.now;
    this.devices = new DeviceRegistry(o.store, o.log, this.now);
    this.telemetry = new Telemetry(o.store, o.retention, o.log, this.now);
    this.feed = new TwinFeed(o.events ?? { publish: () => undefined }, o.twinHz, this.now);
    this.commands = new Commands({
      store: o.store,
      send: (deviceId, message) => (o.broker ? o.broker.send(deviceId, 'commands', JSON.stringify(message)) : Promise.resolve(false)),
      log: o.log,
      newId: o.newId,
      now: this.now,
    });
  }

  async start(): Promise<void> {
    this.telemetry.start();
    await this.o.broker?.start(this);
  }

  async stop(): Promise<void> {
    await this.o.broker?.close();
    this.commands.stop();
    this.feed.stop();
    await this.telemetry.stop();
    await this.devices.flush();
  }

  brokerAddresses(): BrokerAddress[] {
    return this.o.broker?.addresses() ?? [];
  }

  /** Called with every reading once it is stored (twins, workflow triggers). */
  onReading(listener: ReadingListener): () => void {
    this.readingListeners.add(listener);
    return () => this.readingListeners.delete(listener);
  }

  // ---- people (REST, the room): every call checks the caller's role in the device's world ----

  async register(who: Who, raw: unknown): Promise<{ device: DeviceView; key: string }> {
    const input = parse(RegisterDevice, raw, 'device');
    const { world } = await this.o.access.require(input.worldId, who, 'editDevices');
    if ((await this.o.store.listDevices(world.id)).length >= DEVICES_PER_WORLD) {
      throw new AppError(ErrorCode.CONFLICT, `"${world.name}" already has ${DEVICES_PER_WORLD} devices, as many as a world may; remove one first.`, 409);
    }
    const key = newDeviceKey();
    const device: DeviceRecord = {
      id: `dev_${this.o.newId()}`,
      worldId: world.id,
      name: input.name,
      type: input.type,
      model: input.model,
      metadata: input.metadata,
      keyHash: hashKey(key),
      keyHint: key.slice(0, 7),
      createdAt: new Date(this.now()).toISOString(),
      createdBy: who?.userId ?? null,
      lastSeen: null,
      firmwareVersion: null,
      revokedAt: null,
    };
    await this.devices.add(device);
    this.o.log.info({ worldId: world.id, deviceId: device.id }, 'device registered');
    return { device: this.view(device), key };
  }

  async list(who: Who, worldId: string): Promise<DeviceView[]> {
    await this.o.access.require(worldId, who, 'read');
    return (await this.o.store.listDevices(worldId)).map((d) => this.view(d));
  }

  async get(who: Who, id: string): Promise<{ device: DeviceView; metrics: string[] }> {
    const device = await this.deviceFor(who, id, 'read');
    return { device: this.view(device), metrics: await this.o.store.metricsOf(device.id) };
  }

  async change(who: Who, id: string, raw: unknown): Promise<DeviceView> {
    const changes = parse(ChangeDevice, raw, 'change');
    await this.deviceFor(who, id, 'editDevices');
    const changed = await this.devices.update(id, (d) => ({ ...d, ...changes }));
    if (!changed) throw notFound(id);
    if (changed.twin) this.feed.changed(changed, this.isOnline(id));
    return this.view(changed);
  }

  /** Places the device in its world as a twin (or changes how it stands); null takes it out. */
  async setTwin(who: Who, id: string, raw: unknown | null): Promise<DeviceView> {
    const twin = raw === null ? null : parse(SetTwin, raw, 'twin');
    await this.deviceFor(who, id, 'editDevices');
    const changed = await this.devices.update(id, (d) => ({ ...d, twin }));
    if (!changed) throw notFound(id);
    this.feed.changed(changed, this.isOnline(id));
    return this.view(changed);
  }

  /** The world's twins as they stand now, for its room as it opens. */
  async twinsOf(worldId: string): Promise<TwinView[]> {
    return (await this.o.store.listDevices(worldId)).filter((d) => d.twin).map((d) => this.feed.view(d, this.isOnline(d.id)));
  }

  /** A new key for the device (the old one stops working at once); also lifts a revocation. */
  async newKey(who: Who, id: string): Promise<{ device: DeviceView; key: string }> {
    await this.deviceFor(who, id, 'editDevices');
    const key = newDeviceKey();
    const changed = await this.devices.update(id, (d) => ({ ...d, keyHash: hashKey(key), keyHint: key.slice(0, 7), revokedAt: null }));
    if (!changed) throw notFound(id);
    this.o.broker?.disconnect(id);
    this.o.log.info({ deviceId: id }, 'device key replaced');
    return { device: this.view(changed), key };
  }

  async revoke(who: Who, id: string): Promise<DeviceView> {
    await this.deviceFor(who, id, 'editDevices');
    const changed = await this.devices.update(id, (d) => ({ ...d, revokedAt: d.revokedAt ?? new Date(this.now()).toISOString() }));
    if (!changed) throw notFound(id);
    this.o.broker?.disconnect(id);
    this.o.log.info({ deviceId: id }, 'device key revoked');
    return this.view(changed);
  }

  async remove(who: Who, id: string): Promise<void> {
    const device = await this.deviceFor(who, id, 'editDevices');
    this.o.broker?.disconnect(id);
    if (!(await this.devices.remove(id))) throw notFound(id);
    if (device.twin) this.feed.changed(device, false, true);
    this.o.log.info({ deviceId: id }, 'device removed');
  }

  async query(who: Who, id: string, raw: unknown): Promise<{ metric: string; resolution: Resolution; from: number; to: number; samples: TelemetrySample[] }> {
    const q = parse(TelemetryRange, raw, 'telemetry query');
    const device = await this.deviceFor(who, id, 'read');
    const to = q.to ?? this.now() + 1;
    const from = q.from ?? to - 3600_000;
    if (from >= to) throw new AppError(ErrorCode.BAD_REQUEST, '"from" must come before "to" (both in milliseconds since 1970).', 400);
    const resolution = q.resolution ?? Telemetry.resolutionFor(from, to);
    return { metric: q.metric, resolution, from, to, samples: await this.telemetry.query(device.id, q.metric, from, to, resolution, q.limit) };
  }

  async sendCommand(who: Who, id: string, raw: unknown): Promise<CommandRecord> {
    const input = parse(SendCommand, raw, 'command');
    const device = await this.deviceFor(who, id, 'editDevices');
    if (device.revokedAt) throw new AppError(ErrorCode.CONFLICT, `"${device.name}" has had its key revoked: give it a new key before sending it commands.`, 409);
    const command = await this.commands.create(device, input, who?.userId ?? null);
    this.o.log.info({ deviceId: id, commandId: command.id, name: command.name, state: command.state }, 'device command given');
    return command;
  }

  async recentCommands(who: Who, id: string): Promise<CommandRecord[]> {
    const device = await this.deviceFor(who, id, 'read');
    return this.commands.recent(device.id, RECENT_COMMANDS);
  }

  /** A command, once answered or after `waitMs` (0: as it stands). */
  async command(who: Who, id: string, commandId: string, waitMs: number): Promise<CommandRecord> {
    const device = await this.deviceFor(who, id, 'read');
    const command = waitMs > 0 ? await this.commands.waitFor(commandId, waitMs) : await this.commands.get(commandId);
    if (!command || command.deviceId !== device.id) throw new AppError(ErrorCode.NOT_FOUND, `"${device.name}" has no command "${commandId.slice(0, 64)}".`, 404);
    return command;
  }

  /** Where devices reach the broker; with a device the caller may change, the topics it uses. */
  async broker(who: Who, deviceId: string | undefined): Promise<{ addresses: BrokerAddress[]; device?: { id: string; username: string; topics: ReturnType<typeof deviceTopics> } }> {
    const addresses = this.brokerAddresses();
    if (deviceId === undefined) return { addresses };
    const device = await this.deviceFor(who, deviceId, 'editDevices');
    return { addresses, device: { id: device.id, username: device.id, topics: deviceTopics(device.id) } };
  }

  /** Telemetry over HTTP, with the device's key: the same checks as over MQTT. */
  async ingestHttp(deviceId: string, key: string | undefined, body: Buffer, binary: boolean): Promise<{ stored: number }> {
    if (!key) throw new AppError(ErrorCode.UNAUTHORIZED, 'Send the device key in the X-Device-Key header.', 401);
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

  // ---- devices (the broker calls these) ----

  authenticate(deviceId: string, key: string): Promise<AuthResult> {
    return this.devices.authenticate(deviceId, key);
  }

  async receive(deviceId: string, channel: PublishChannel, payload: Buffer): Promise<void> {
    const device = await this.devices.get(deviceId);
    // removed or revoked while connected: the broker drops it on the next message
    if (!device || device.revokedAt) throw new Error('the device was removed or its key revoked');
    await this.take(device, channel, payload);
  }

  connected(deviceId: string, on: boolean): void {
    // going away is written at once: it is the last time there will be for a while
    this.devices.heard(deviceId, !on);
    this.devices
      .get(deviceId)
      .then((device) => device && this.feed.online(device, on))
      .catch((err: unknown) => this.o.log.warn({ err, deviceId }, "could not tell a world its device's twin came or went"));
  }

  listening(deviceId: string, channel: SubscribeChannel): void {
    if (channel !== 'commands') return;
    this.commands.deviceListening(deviceId).catch((err: unknown) => this.o.log.warn({ err, deviceId }, 'could not send a device the commands waiting for it'));
  }

  /** Handles one message from a device; how many readings it stored. */
  private async take(device: DeviceRecord, channel: PublishChannel, payload: Buffer): Promise<number> {
    this.devices.heard(device.id);
    if (payload.byteLength > MAX_TELEMETRY_BYTES) throw new DeviceMessageError(`the message is ${payload.byteLength} bytes; at most ${MAX_TELEMETRY_BYTES}`);
    if (!this.withinRate(device.id)) throw new DeviceRateError(`more than ${this.o.deviceRate} messages a second on average; this one was dropped`);
    switch (channel) {
      case 'telemetry':
      case 'telemetry/bin': {
        const parsed = channel === 'telemetry' ? parseJsonTelemetry(payload.toString('utf8'), this.now()) : parseBinaryTelemetry(payload, this.now());
        if (!parsed.ok) throw new DeviceMessageError(parsed.error);
        await this.telemetry.write(device.id, parsed.value);
        this.feed.reading(device, parsed.value);
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
        if (firmware !== undefined && firmware !== device.firmwareVersion) await this.devices.update(device.id, (d) => ({ ...d, firmwareVersion: firmware }));
        return 0;
      }
      case 'commands/ack': {
        const ack = parseCommandAck(payload.toString('utf8'));
        if (!ack.ok) throw new DeviceMessageError(ack.error);
        await this.commands.acknowledge(device.id, ack.value);
        return 0;
      }
    }
  }

  private withinRate(deviceId: string): boolean {
    const now = this.now();
    const rate = this.o.deviceRate;
    const b = this.buckets.get(deviceId) ?? { tokens: rate * 2, at: now };
    b.tokens = Math.min(rate * 2, b.tokens + ((now - b.at) / 1000) * rate);
    b.at = now;
    this.buckets.set(deviceId, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  private isOnline(deviceId: string): boolean {
    return this.o.broker?.isConnected(deviceId) ?? false;
  }

  private async deviceFor(who: Who, id: string, action: WorldAction): Promise<DeviceRecord> {
    const device = await this.devices.get(String(id).slice(0, 80));
    if (!device) throw notFound(id);
    await this.o.access.require(device.worldId, who, action);
    return device;
  }

  private view(d: DeviceRecord): DeviceView {
    const { keyHash: _hash, revokedAt, createdBy: _by, ...shown } = d;
    return { ...shown, lastSeen: this.devices.lastSeen(d), online: this.isOnline(d.id), revoked: revokedAt !== null };
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
