/**
 * Devices, telemetry and commands in the embedded LevelDB. A series' points are keyed by device,
 * metric and time, so a range query is one scan and pruning is one range delete per series; each
 * write of points folds them into their buckets in the same batch.
 */
import type { ClassicLevel } from 'classic-level';
import { BUCKET_MS, RESOLUTIONS, type CommandRecord, type DeviceRecord, type FirmwareRecord, type UpdateRecord, type IotStore, type Resolution, type TelemetryPoint, type TelemetryQuery, type TelemetrySample } from './IotStore';
import { SEP, sortableTime } from './levelKeys';

const DEVICE = `iotdev${SEP}`;
const WORLD_DEVICES = `iotdevw${SEP}`;
const METRIC = `iotmetric${SEP}`;
const SERIES = (res: Resolution) => `iotts${SEP}${res}${SEP}`;
const COMMAND = `iotcmd${SEP}`;
const DEVICE_COMMANDS = `iotcmdd${SEP}`;
const OPEN_COMMANDS = `iotcmdo${SEP}`;
const FIRMWARE = `iotfw${SEP}`;
const WORLD_FIRMWARE = `iotfww${SEP}`;
const UPDATE = `iotupd${SEP}`;
const range = (prefix: string) => ({ gt: prefix, lt: `${prefix}\xff` });
const SYNC = { sync: true } as const;

const seriesPrefix = (res: Resolution, deviceId: string, metric: string) => `${SERIES(res)}${deviceId}${SEP}${metric}${SEP}`;
const worldDeviceKey = (d: DeviceRecord) => `${WORLD_DEVICES}${d.worldId}${SEP}${d.createdAt}${SEP}${d.id}`;

/** A bucket as stored: sum, extremes, count. */
interface Bucket {
  s: number;
  min: number;
  max: number;
  n: number;
}

type Op = { type: 'put'; key: string; value: unknown } | { type: 'del'; key: string };

export class LevelIotStore implements IotStore {
  constructor(private readonly db: ClassicLevel<string, unknown>) {}

  async putFirmware(f: FirmwareRecord): Promise<void> {
    const ops: Op[] = [
      { type: 'put', key: FIRMWARE + f.id, value: f },
      { type: 'put', key: `${WORLD_FIRMWARE}${f.worldId}${SEP}${f.createdAt}${SEP}${f.id}`, value: f.id },
    ];
    await this.db.batch(ops, SYNC);
  }

  async getFirmware(id: string): Promise<FirmwareRecord | undefined> {
    return (await this.db.get(FIRMWARE + id)) as FirmwareRecord | undefined;
  }

  async listFirmware(worldId: string): Promise<FirmwareRecord[]> {
    const ids = (await this.db.values(range(`${WORLD_FIRMWARE}${worldId}${SEP}`)).all()) as string[];
    return ((await this.db.getMany(ids.map((id) => FIRMWARE + id))) as Array<FirmwareRecord | undefined>).filter((f): f is FirmwareRecord => f !== undefined);
  }

  async putUpdate(u: UpdateRecord): Promise<void> {
    await this.db.put(`${UPDATE}${u.deviceId}${SEP}${u.id}`, u, SYNC);
  }

  async updatesOf(deviceId: string, limit: number): Promise<UpdateRecord[]> {
    return (await this.db.values({ ...range(`${UPDATE}${deviceId}${SEP}`), reverse: true, limit }).all()) as UpdateRecord[];
  }

  async putDevice(device: DeviceRecord): Promise<void> {
    const ops: Op[] = [
      { type: 'put', key: DEVICE + device.id, value: device },
      { type: 'put', key: worldDeviceKey(device), value: device.id },
    ];
    await this.db.batch(ops, SYNC);
  }

  async getDevice(id: string): Promise<DeviceRecord | undefined> {
    return (await this.db.get(DEVICE + id)) as DeviceRecord | undefined;
  }

  async listDevices(worldId: string): Promise<DeviceRecord[]> {
    const ids = (await this.db.values(range(`${WORLD_DEVICES}${worldId}${SEP}`)).all()) as string[];
    return ((await this.db.getMany(ids.map((id) => DEVICE + id))) as Array<DeviceRecord | undefined>).filter((d): d is DeviceRecord => d !== undefined);
  }

  async deleteDevice(id: string): Promise<boolean> {
    const device = await this.getDevice(id);
    if (!device) return false;
    const ops: Op[] = [
      { type: 'del', key: DEVICE + id },
      { type: 'del', key: worldDeviceKey(device) },
    ];
    for (const key of (await this.db.keys(range(`${UPDATE}${id}${SEP}`)).all()) as string[]) ops.push({ type: 'del', key });
    // its telemetry too: a series no metric key names would never be pruned
    for (const metric of await this.metricsOf(id)) {
      for (const res of RESOLUTIONS) await this.db.clear(range(seriesPrefix(res, id, metric)));
      ops.push({ type: 'del', key: `${METRIC}${id}${SEP}${metric}` });
    }
    for (const commandId of (await this.db.values(range(`${DEVICE_COMMANDS}${id}${SEP}`)).all()) as string[]) {
      ops.push({ type: 'del', key: COMMAND + commandId }, { type: 'del', key: `${DEVICE_COMMANDS}${id}${SEP}${commandId}` }, { type: 'del', key: `${OPEN_COMMANDS}${id}${SEP}${commandId}` });
    }
    await this.db.batch(ops, SYNC);
    return true;
  }

  async appendTelemetry(points: readonly TelemetryPoint[]): Promise<void> {
    if (points.length === 0) return;
    const ops: Op[] = [];
    const buckets = new Map<string, Bucket>();
    const metrics = new Set<string>();
    for (const p of points) {
      ops.push({ type: 'put', key: seriesPrefix('raw', p.deviceId, p.metric) + sortableTime(p.t), value: p.v });
      metrics.add(`${METRIC}${p.deviceId}${SEP}${p.metric}`);
      for (const res of ['1m', '1h'] as const) {
        const key = seriesPrefix(res, p.deviceId, p.metric) + sortableTime(p.t - (p.t % BUCKET_MS[res]));
        const b = buckets.get(key);
        if (b) {
          b.s += p.v;
          b.n += 1;
          if (p.v < b.min) b.min = p.v;
          if (p.v > b.max) b.max = p.v;
        } else buckets.set(key, { s: p.v, min: p.v, max: p.v, n: 1 });
      }
    }
    // the buckets already stored are read once per write and merged (one writer at a time)
    const keys = [...buckets.keys()];
    const stored = (await this.db.getMany(keys)) as Array<Bucket | undefined>;
    keys.forEach((key, i) => {
      const add = buckets.get(key)!;
      const old = stored[i];
      ops.push({ type: 'put', key, value: old ? { s: old.s + add.s, min: Math.min(old.min, add.min), max: Math.max(old.max, add.max), n: old.n + add.n } : add });
    });
    for (const key of metrics) ops.push({ type: 'put', key, value: 1 });
    await this.db.batch(ops, SYNC);
  }

  async queryTelemetry(q: TelemetryQuery): Promise<TelemetrySample[]> {
    const prefix = seriesPrefix(q.resolution, q.deviceId, q.metric);
    const from = q.resolution === 'raw' ? q.from : q.from - (q.from % BUCKET_MS[q.resolution]);
    const out: TelemetrySample[] = [];
    for await (const [key, value] of this.db.iterator({ gte: prefix + sortableTime(from), lt: prefix + sortableTime(q.to), limit: q.limit })) {
      const t = Number(key.slice(prefix.length));
      if (q.resolution === 'raw') {
        const v = value as number;
        out.push({ t, v, min: v, max: v, n: 1 });
      } else {
        const b = value as Bucket;
        out.push({ t, v: b.s / b.n, min: b.min, max: b.max, n: b.n });
      }
    }
    return out;
  }

  async metricsOf(deviceId: string): Promise<string[]> {
    const prefix = `${METRIC}${deviceId}${SEP}`;
    return ((await this.db.keys(range(prefix)).all()) as string[]).map((k) => k.slice(prefix.length));
  }

  async pruneTelemetry(resolution: Resolution, before: number): Promise<void> {
    if (!RESOLUTIONS.includes(resolution)) return;
    for await (const key of this.db.keys(range(METRIC))) {
      const [deviceId, metric] = key.slice(METRIC.length).split(SEP);
      const prefix = seriesPrefix(resolution, deviceId!, metric!);
      await this.db.clear({ gt: prefix, lt: prefix + sortableTime(before) });
    }
  }

  async putCommand(c: CommandRecord): Promise<void> {
    const open = c.state === 'queued' || c.state === 'sent';
    const openKey = `${OPEN_COMMANDS}${c.deviceId}${SEP}${c.id}`;
    const ops: Op[] = [
      { type: 'put', key: COMMAND + c.id, value: c },
      { type: 'put', key: `${DEVICE_COMMANDS}${c.deviceId}${SEP}${c.id}`, value: c.id },
      open ? { type: 'put', key: openKey, value: c.id } : { type: 'del', key: openKey },
    ];
    await this.db.batch(ops, SYNC);
  }

  async getCommand(id: string): Promise<CommandRecord | undefined> {
    return (await this.db.get(COMMAND + id)) as CommandRecord | undefined;
  }

  async openCommands(deviceId: string): Promise<CommandRecord[]> {
    return this.commandsAt((await this.db.values(range(`${OPEN_COMMANDS}${deviceId}${SEP}`)).all()) as string[]);
  }

  async recentCommands(deviceId: string, limit: number): Promise<CommandRecord[]> {
    return this.commandsAt((await this.db.values({ ...range(`${DEVICE_COMMANDS}${deviceId}${SEP}`), reverse: true, limit }).all()) as string[]);
  }

  private async commandsAt(ids: string[]): Promise<CommandRecord[]> {
    return ((await this.db.getMany(ids.map((id) => COMMAND + id))) as Array<CommandRecord | undefined>).filter((c): c is CommandRecord => c !== undefined);
  }
}
