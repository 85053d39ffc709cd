/**
 * Devices, telemetry and commands in MongoDB: raw points one document each (upserted by series and
 * time, so a repeated time replaces), buckets updated in place with $inc/$min/$max.
 */
import type { AnyBulkWriteOperation, Collection, Db } from 'mongodb';
import { BUCKET_MS, type CommandRecord, type DeviceRecord, type FirmwareRecord, type UpdateRecord, type IotStore, type Resolution, type TelemetryPoint, type TelemetryQuery, type TelemetrySample } from './IotStore';

type DeviceDoc = Omit<DeviceRecord, 'id'> & { _id: string };
type CommandDoc = Omit<CommandRecord, 'id'> & { _id: string };
type FirmwareDoc = Omit<FirmwareRecord, 'id'> & { _id: string };
type UpdateDoc = Omit<UpdateRecord, 'id'> & { _id: string };
interface PointDoc {
  d: string;
  m: string;
  t: number;
  v: number;
}
interface BucketDoc {
  _id: string;
  r: Resolution;
  d: string;
  m: string;
  t: number;
  s: number;
  min: number;
  max: number;
  n: number;
}
const DURABLE = { writeConcern: { w: 'majority' as const, j: true } };

export class MongoIotStore implements IotStore {
  private devices!: Collection<DeviceDoc>;
  private points!: Collection<PointDoc>;
  private buckets!: Collection<BucketDoc>;
  private commands!: Collection<CommandDoc>;
  private firmware!: Collection<FirmwareDoc>;
  private updates!: Collection<UpdateDoc>;

  constructor(private readonly db: () => Db) {}

  async open(): Promise<void> {
    this.devices = this.db().collection('iot_devices');
    this.points = this.db().collection('iot_points');
    this.buckets = this.db().collection('iot_buckets');
    this.commands = this.db().collection('iot_commands');
    this.firmware = this.db().collection('iot_firmware');
    this.updates = this.db().collection('iot_updates');
    await this.firmware.createIndex({ worldId: 1, createdAt: 1 });
    await this.updates.createIndex({ deviceId: 1, _id: -1 });
    await this.devices.createIndex({ worldId: 1, createdAt: 1 });
    await this.points.createIndex({ d: 1, m: 1, t: 1 }, { unique: true });
    await this.points.createIndex({ t: 1 });
    await this.buckets.createIndex({ r: 1, d: 1, m: 1, t: 1 });
    await this.buckets.createIndex({ r: 1, t: 1 });
    await this.commands.createIndex({ deviceId: 1, _id: -1 });
    await this.commands.createIndex({ deviceId: 1, state: 1, _id: 1 });
  }

  async putFirmware({ id, ...rest }: FirmwareRecord): Promise<void> {
    await this.firmware.replaceOne({ _id: id }, rest, { upsert: true, ...DURABLE });
  }

  async getFirmware(id: string): Promise<FirmwareRecord | undefined> {
    const doc = await this.firmware.findOne({ _id: id });
    return doc ? unwrap<FirmwareRecord>(doc) : undefined;
  }

  async listFirmware(worldId: string): Promise<FirmwareRecord[]> {
    return (await this.firmware.find({ worldId }).sort({ createdAt: 1 }).toArray()).map((d) => unwrap<FirmwareRecord>(d));
  }

  async putUpdate({ id, ...rest }: UpdateRecord): Promise<void> {
    await this.updates.replaceOne({ _id: id }, rest, { upsert: true, ...DURABLE });
  }

  async updatesOf(deviceId: string, limit: number): Promise<UpdateRecord[]> {
    return (await this.updates.find({ deviceId }).sort({ _id: -1 }).limit(limit).toArray()).map((d) => unwrap<UpdateRecord>(d));
  }

  async putDevice({ id, ...rest }: DeviceRecord): Promise<void> {
    await this.devices.replaceOne({ _id: id }, rest, { upsert: true, ...DURABLE });
  }

  async getDevice(id: string): Promise<DeviceRecord | undefined> {
    const doc = await this.devices.findOne({ _id: id });
    return doc ? toDevice(doc) : undefined;
  }

  async listDevices(worldId: string): Promise<DeviceRecord[]> {
    return (await this.devices.find({ worldId }).sort({ createdAt: 1 }).toArray()).map(toDevice);
  }

  async deleteDevice(id: string): Promise<boolean> {
    const gone = (await this.devices.deleteOne({ _id: id }, DURABLE)).deletedCount === 1;
    if (gone) await this.commands.deleteMany({ deviceId: id }, DURABLE);
    if (gone) await this.updates.deleteMany({ deviceId: id }, DURABLE);
    if (gone) await this.points.deleteMany({ d: id }, DURABLE);
    if (gone) await this.buckets.deleteMany({ d: id }, DURABLE);
    return gone;
  }

  async appendTelemetry(points: readonly TelemetryPoint[]): Promise<void> {
    if (points.length === 0) return;
    await this.points.bulkWrite(
      points.map((p) => ({ replaceOne: { filter: { d: p.deviceId, m: p.metric, t: p.t }, replacement: { d: p.deviceId, m: p.metric, t: p.t, v: p.v }, upsert: true } })),
      { ordered: false, ...DURABLE },
    );
    const ops: AnyBulkWriteOperation<BucketDoc>[] = [];
    for (const p of points) {
      for (const r of ['1m', '1h'] as const) {
        const t = p.t - (p.t % BUCKET_MS[r]);
        ops.push({ updateOne: { filter: { _id: `${r}|${p.deviceId}|${p.metric}|${t}` }, update: { $setOnInsert: { r, d: p.deviceId, m: p.metric, t }, $inc: { s: p.v, n: 1 }, $min: { min: p.v }, $max: { max: p.v } }, upsert: true } });
      }
    }
    await this.buckets.bulkWrite(ops, { ordered: false, ...DURABLE });
  }

  async queryTelemetry(q: TelemetryQuery): Promise<TelemetrySample[]> {
    if (q.resolution === 'raw') {
      const docs = await this.points.find({ d: q.deviceId, m: q.metric, t: { $gte: q.from, $lt: q.to } }).sort({ t: 1 }).limit(q.limit).toArray();
      return docs.map((p) => ({ t: p.t, v: p.v, min: p.v, max: p.v, n: 1 }));
    }
    const from = q.from - (q.from % BUCKET_MS[q.resolution]);
    const docs = await this.buckets.find({ r: q.resolution, d: q.deviceId, m: q.metric, t: { $gte: from, $lt: q.to } }).sort({ t: 1 }).limit(q.limit).toArray();
    return docs.map((b) => ({ t: b.t, v: b.s / b.n, min: b.min, max: b.max, n: b.n }));
  }

  async metricsOf(deviceId: string): Promise<string[]> {
    return ((await this.buckets.distinct('m', { r: '1h', d: deviceId })) as string[]).sort();
  }

  async pruneTelemetry(resolution: Resolution, before: number): Promise<void> {
    if (resolution === 'raw') await this.points.deleteMany({ t: { $lt: before } }, DURABLE);
    else await this.buckets.deleteMany({ r: resolution, t: { $lt: before } }, DURABLE);
  }

  async putCommand({ id, ...rest }: CommandRecord): Promise<void> {
    await this.commands.replaceOne({ _id: id }, rest, { upsert: true, ...DURABLE });
  }

  async getCommand(id: string): Promise<CommandRecord | undefined> {
    const doc = await this.commands.findOne({ _id: id });
    return doc ? toCommand(doc) : undefined;
  }

  async openCommands(deviceId: string): Promise<CommandRecord[]> {
    return (await this.commands.find({ deviceId, state: { $in: ['queued', 'sent'] } }).sort({ _id: 1 }).toArray()).map(toCommand);
  }

  async recentCommands(deviceId: string, limit: number): Promise<CommandRecord[]> {
    return (await this.commands.find({ deviceId }).sort({ _id: -1 }).limit(limit).toArray()).map(toCommand);
  }
}

const unwrap = <T>({ _id, ...rest }: { _id: string }) => ({ id: _id, ...rest }) as T;
const toDevice = (doc: DeviceDoc) => unwrap<DeviceRecord>(doc);
const toCommand = (doc: CommandDoc) => unwrap<CommandRecord>(doc);
