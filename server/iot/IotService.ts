/**
 * Devices in worlds: the one place that checks who may see and change a world's devices (the
 * world's roles: reading is seeing the world, the rest needs `editDevices`), and the one place a
 * device's messages are handled, whichever way they came (the MQTT broker, HTTP).
 */
import { ErrorCode } from '../../shared/protocol';
import { deviceTopics, type PublishChannel, type TwinView } from '../../shared/model/iot';
import type { WorldAction } from '../../shared/model/roles';
import type { CommandRecord, DeviceRecord, FirmwareRecord, IotStore, UpdateRecord, Resolution, TelemetrySample } from '../adapters/storage/IotStore';
import type { WorldAccess, Who } from '../access/WorldAccess';
import { AppError } from '../errors';
import type { Logger } from '../log';
import { Commands } from './Commands';
import { DeviceRegistry, hashKey, newDeviceKey } from './DeviceRegistry';
import { ChangeDevice, FirmwareFields, RegisterDevice, RollOut, SendCommand, SetTwin, TelemetryRange, parse } from './inputs';
import type { z } from 'zod';
import type { Readable } from 'node:stream';
import type { SpooledFile } from '../documents/DocumentService';
import { TwinFeed } from './TwinFeed';
import { DeviceInbox, type ReadingListener } from './DeviceInbox';
import { CoapIngest } from './CoapIngest';
import { reachableUrls } from '../lan';
import { Firmware } from './Firmware';
import type { BlobStore } from '../adapters/storage/BlobStore';
import type { WorldEventBus } from '../rooms/worldEvents';
import { Telemetry, type Retention } from './Telemetry';
import type { Broker, BrokerAddress } from './broker/Broker';

/** The most devices one world may hold. */
export const DEVICES_PER_WORLD = 1000;
const RECENT_COMMANDS = 50;

/** A device as people see it: never its key's hash. */
export type DeviceView = Omit<DeviceRecord, 'keyHash' | 'revokedAt' | 'createdBy'> & { online: boolean; revoked: boolean };

export interface IotServiceOptions {
  store: IotStore;
  /** Where firmware images are kept, by sha256. */
  blobs: BlobStore;
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
  /** Told of each device message's outcome, for the metrics. */
  observe?(channel: PublishChannel, outcome: 'used' | 'refused' | 'failed'): void;
  /** Where CoAP readings are taken (UDP), or null for no CoAP. */
  coap?: { host: string; port: number } | null;
  newId(): string;
  now?: () => number;
}


const notFound = (id: string) => new AppError(ErrorCode.NOT_FOUND, `There is no device "${String(id).slice(0, 64)}".`, 404);

export class IotService {
  readonly devices: DeviceRegistry;
  readonly telemetry: Telemetry;
  readonly commands: Commands;
  readonly firmware: Firmware;
  private readonly coap: CoapIngest | null;
  private readonly feed: TwinFeed;
  private readonly now: () => number;
  /** What devices send, by whichever way: the broker's gate. */
  readonly inbox: DeviceInbox;

  constructor(private readonly o: IotServiceOptions) {
    this.now = o.now ?? Date.now;
    this.devices = new DeviceRegistry(o.store, o.log, this.now);
    this.telemetry = new Telemetry(o.store, o.retention, o.log, this.now);
    this.coap = o.coap ? new CoapIngest({ ...o.coap, ingest: (deviceId, key, body, binary) => this.inbox.ingest(deviceId, key, body, binary), log: o.log }) : null;
    this.feed = new TwinFeed(o.events ?? { publish: () => undefined }, o.twinHz, this.now);
    this.commands = new Commands({
      store: o.store,
      send: (deviceId, message) => (o.broker ? o.broker.send(deviceId, 'commands', JSON.stringify(message)) : Promise.resolve(false)),
      log: o.log,
      newId: o.newId,
      now: this.now,
    });
    this.firmware = new Firmware({
      store: o.store,
      blobs: o.blobs,
      send: (deviceId, notice) => (o.broker ? o.broker.send(deviceId, 'firmware', JSON.stringify(notice)) : Promise.resolve(false)),
      installed: async (deviceId, version) => void (await this.devices.update(deviceId, (d) => ({ ...d, firmwareVersion: version }))),
      log: o.log,
      newId: o.newId,
      now: this.now,
    });
    this.inbox = new DeviceInbox({ store: o.store, devices: this.devices, telemetry: this.telemetry, commands: this.commands, firmware: this.firmware, feed: this.feed, deviceRate: o.deviceRate, ...(o.observe ? { observe: o.observe } : {}), log: o.log, now: this.now });
  }

  async start(): Promise<void> {
    this.telemetry.start();
    await this.o.broker?.start(this.inbox);
    await this.coap?.start();
  }

  async stop(): Promise<void> {
    await this.coap?.close();
    await this.o.broker?.close();
    this.commands.stop();
    this.feed.stop();
    await this.telemetry.stop();
    await this.devices.flush();
  }

  /** Devices connected now. */
  connectedCount(): number {
    return this.o.broker?.connectedCount() ?? 0;
  }

  /** Where devices reach this server's MQTT broker (or the external one) and its CoAP port. */
  brokerAddresses(): BrokerAddress[] {
    const coapPort = this.coap?.port();
    const coap: BrokerAddress[] = coapPort ? [{ transport: 'coap', port: coapPort, urls: reachableUrls(this.o.coap!.host, 'coap', coapPort) }] : [];
    return [...(this.o.broker?.addresses() ?? []), ...coap];
  }

  /** Called with every reading once it is stored (twins, workflow triggers). */
  onReading(listener: ReadingListener): () => void {
    return this.inbox.onReading(listener);
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
    // the broker first (an external one keeps its own list of devices): a refusal there stores nothing
    await this.o.broker?.deviceKey?.(device.id, key);
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
    const before = await this.deviceFor(who, id, 'editDevices');
    const changed = await this.devices.update(id, (d) => ({ ...d, twin }));
    if (!changed) throw notFound(id);
    this.feed.changed(changed, this.isOnline(id), false, before.twin);
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
    // a broker that keeps its own devices takes the new key (ending the old one's connection); ours reads the store
    if (this.o.broker?.deviceKey) await this.o.broker.deviceKey(id, key);
    else await this.o.broker?.disconnect(id);
    this.o.log.info({ deviceId: id }, 'device key replaced');
    return { device: this.view(changed), key };
  }

  async revoke(who: Who, id: string): Promise<DeviceView> {
    await this.deviceFor(who, id, 'editDevices');
    const changed = await this.devices.update(id, (d) => ({ ...d, revokedAt: d.revokedAt ?? new Date(this.now()).toISOString() }));
    if (!changed) throw notFound(id);
    await this.o.broker?.disconnect(id);
    this.o.log.info({ deviceId: id }, 'device key revoked');
    return this.view(changed);
  }

  /** Removes a device with everything kept of it; the world it was in. */
  async remove(who: Who, id: string): Promise<{ worldId: string }> {
    const device = await this.deviceFor(who, id, 'editDevices');
    await this.o.broker?.disconnect(id);
    if (!(await this.devices.remove(id))) throw notFound(id);
    this.inbox.forget(id);
    await this.o.broker?.deviceRemoved?.(id);
    if (device.twin) this.feed.changed(device, false, true);
    this.o.log.info({ deviceId: id }, 'device removed');
    return { worldId: device.worldId };
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

  // ---- firmware ----

  /** The fields sent ahead of an image, checked (and the caller's role) before a byte of it is read. */
  async firmwareUpload(who: Who, fields: unknown): Promise<z.output<typeof FirmwareFields>> {
    const input = parse(FirmwareFields, fields, 'firmware upload (send the fields world, type, version and optionally sha256 and notes before the file)');
    await this.o.access.require(input.world, who, 'editDevices');
    return input;
  }

  async addFirmware(who: Who, input: z.output<typeof FirmwareFields>, file: SpooledFile): Promise<FirmwareRecord> {
    if (input.sha256 && input.sha256 !== file.sha256) throw new AppError(ErrorCode.BAD_REQUEST, `The image's sha256 is ${file.sha256}, not the ${input.sha256} given: it was changed or cut on the way. Nothing was kept.`, 400);
    return this.firmware.add({ worldId: input.world, type: input.type, version: input.version, sha256: file.sha256, size: file.size, notes: input.notes, createdBy: who?.userId ?? null }, file.path);
  }

  async listFirmware(who: Who, worldId: string): Promise<FirmwareRecord[]> {
    await this.o.access.require(worldId, who, 'read');
    return this.o.store.listFirmware(worldId);
  }

  /** Gives devices of the image's world and type an update to it. */
  async rollOut(who: Who, firmwareId: string, raw: unknown): Promise<UpdateRecord[]> {
    const input = parse(RollOut, raw, 'rollout');
    const firmware = await this.firmwareFor(who, firmwareId, 'editDevices');
    const inWorld = await this.o.store.listDevices(firmware.worldId);
    const chosen = input.allOfType ? inWorld.filter((d) => d.type === firmware.type) : (input.devices ?? []).map((id) => inWorld.find((d) => d.id === id) ?? id);
    const wrong = chosen.filter((d): d is string => typeof d === 'string');
    if (wrong.length) throw new AppError(ErrorCode.BAD_REQUEST, `Not devices of this world: ${wrong.slice(0, 5).join(', ')}.`, 400);
    const devices = chosen as DeviceRecord[];
    const otherType = devices.filter((d) => d.type !== firmware.type);
    if (otherType.length) throw new AppError(ErrorCode.BAD_REQUEST, `This image is for ${firmware.type} devices; ${otherType.map((d) => `"${d.name}" is a ${d.type}`).slice(0, 3).join(', ')}.`, 400);
    return this.firmware.rollOut(firmware, devices);
  }

  async deviceUpdates(who: Who, deviceId: string): Promise<UpdateRecord[]> {
    const device = await this.deviceFor(who, deviceId, 'read');
    return this.firmware.updates(device.id);
  }

  /** Back to the image the device ran before its latest update. */
  async rollback(who: Who, deviceId: string): Promise<UpdateRecord> {
    const device = await this.deviceFor(who, deviceId, 'editDevices');
    const [update] = await this.firmware.rollOut(await this.firmware.previousImage(device), [device], true);
    return update!;
  }

  /** An image's bytes: for a device with an update to it (by its key), or anyone who may read its world. */
  async firmwareContent(who: Who, firmwareId: string, device?: { id: string; key: string }): Promise<{ firmware: FirmwareRecord; size: number; stream: Readable }> {
    let firmware: FirmwareRecord;
    if (device) {
      const auth = await this.devices.authenticate(device.id, device.key);
      const known = auth.ok ? await this.o.store.getFirmware(firmwareId.slice(0, 80)) : undefined;
      if (!auth.ok || !known || !(await this.firmware.mayFetch(device.id, known.id))) throw new AppError(ErrorCode.UNAUTHORIZED, 'No device with that id and key has an update to this image.', 401);
      firmware = known;
    } else firmware = await this.firmwareFor(who, firmwareId, 'read');
    const blob = await this.o.blobs.read(firmware.sha256);
    if (!blob) throw new AppError(ErrorCode.NOT_FOUND, `The bytes of firmware ${firmware.version} are missing from the store.`, 404);
    return { firmware, ...blob };
  }

  private async firmwareFor(who: Who, id: string, action: WorldAction): Promise<FirmwareRecord> {
    const firmware = await this.o.store.getFirmware(String(id).slice(0, 80));
    if (!firmware) throw new AppError(ErrorCode.NOT_FOUND, `There is no firmware image "${String(id).slice(0, 64)}".`, 404);
    await this.o.access.require(firmware.worldId, who, action);
    return firmware;
  }

  // ---- workflows: WorkflowScope checks that a device is the run's to use before it calls these ----

  /** A device as stored, for WorkflowScope to check its world; undefined when there is none. */
  deviceRecord(id: string): Promise<DeviceRecord | undefined> {
    return this.devices.get(String(id).slice(0, 80));
  }

  /** Gives a workflow step's command at most once: `id` comes from `onceCommandId`, the same on every attempt. */
  async commandOnce(device: DeviceRecord, raw: unknown, id: string): Promise<CommandRecord> {
    const input = parse(SendCommand, raw, 'command');
    // a command given before the key was revoked is still answered as it stands
    if (device.revokedAt && !(await this.commands.get(id))) throw new AppError(ErrorCode.CONFLICT, `"${device.name}" has had its key revoked: give it a new key before sending it commands.`, 409);
    const command = await this.commands.create(device, input, null, { id });
    this.o.log.info({ deviceId: device.id, commandId: command.id, name: command.name, state: command.state }, 'device command given by a workflow');
    return command;
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
