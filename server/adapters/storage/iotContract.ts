/** The device store's part of the storage contract (run inside storeContract, for every backend). */
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import type { Backend } from './storeContract';
import type { CommandRecord, DeviceRecord, TelemetryPoint } from './IotStore';

let seq = 0;

export function device(worldId: string, over: Partial<DeviceRecord> = {}): DeviceRecord {
  return {
    id: `dev_${randomUUID().slice(0, 13)}`,
    worldId,
    name: 'Hall thermostat',
    type: 'thermostat',
    model: 'T-100',
    metadata: { floor: '2' },
    keyHash: 'a'.repeat(64),
    keyHint: 'dk_ab',
    createdAt: new Date(Date.now() + ++seq).toISOString(),
    createdBy: null,
    lastSeen: null,
    firmwareVersion: null,
    revokedAt: null,
    ...over,
  };
}

function command(deviceId: string, worldId: string, over: Partial<CommandRecord> = {}): CommandRecord {
  return {
    id: `${Date.now().toString(36)}${String(++seq).padStart(6, '0')}`,
    deviceId,
    worldId,
    name: 'setTarget',
    params: { target: 19 },
    state: 'queued',
    createdAt: new Date().toISOString(),
    createdBy: null,
    expiresAt: new Date(Date.now() + 3600_000).toISOString(),
    timeoutMs: 10_000,
    sentAt: null,
    answeredAt: null,
    ...over,
  };
}

// a minute boundary, so which bucket a point falls in is known
const T0 = Math.floor(Date.now() / 3600_000) * 3600_000 - 3600_000;
const points = (deviceId: string, metric: string, at: Array<[number, number]>): TelemetryPoint[] => at.map(([dt, v]) => ({ deviceId, metric, t: T0 + dt, v }));

export function iotContract(ctx: { backend(): Backend; reopen(): Promise<void> }): void {
  const b = () => ctx.backend();

  it('IOT-STORE-1: keeps a world\'s devices apart from another\'s, and finds one by id after a restart', async () => {
    const a = device('w-one');
    const a2 = device('w-one', { name: 'Door' });
    const other = device('w-two');
    for (const d of [a, a2, other]) await b().iot.putDevice(d);
    await ctx.reopen();
    expect((await b().iot.listDevices('w-one')).map((d) => d.name)).toEqual(['Hall thermostat', 'Door']);
    expect(await b().iot.getDevice(other.id)).toEqual(other);
    await b().iot.putDevice({ ...a, lastSeen: '2026-01-01T00:00:00.000Z' });
    expect((await b().iot.listDevices('w-one')).map((d) => d.lastSeen)).toEqual(['2026-01-01T00:00:00.000Z', null]);
    expect(await b().iot.getDevice('nope')).toBeUndefined();
  });

  it('IOT-STORE-2: stores points and answers a range at raw, minute and hour resolution', async () => {
    const d = device('w-ts');
    const p = points(d.id, 'temperature', [
      [0, 20],
      [10_000, 22],
      [70_000, 30],
      [3600_000 + 5_000, 40],
    ]);
    await b().iot.appendTelemetry(p.slice(0, 2));
    // a later write folds into the buckets already stored
    await b().iot.appendTelemetry(p.slice(2));
    await b().iot.appendTelemetry(points(d.id, 'humidity', [[0, 50]]));
    await ctx.reopen();
    const q = { deviceId: d.id, metric: 'temperature', from: T0, to: T0 + 2 * 3600_000, limit: 100 };
    expect((await b().iot.queryTelemetry({ ...q, resolution: 'raw' })).map((s) => [s.t - T0, s.v])).toEqual([
      [0, 20],
      [10_000, 22],
      [70_000, 30],
      [3605_000, 40],
    ]);
    expect(await b().iot.queryTelemetry({ ...q, resolution: '1m' })).toEqual([
      { t: T0, v: 21, min: 20, max: 22, n: 2 },
      { t: T0 + 60_000, v: 30, min: 30, max: 30, n: 1 },
      { t: T0 + 3600_000, v: 40, min: 40, max: 40, n: 1 },
    ]);
    expect(await b().iot.queryTelemetry({ ...q, resolution: '1h' })).toEqual([
      { t: T0, v: 24, min: 20, max: 30, n: 3 },
      { t: T0 + 3600_000, v: 40, min: 40, max: 40, n: 1 },
    ]);
    // the range's end is left out, and the limit holds
    expect(await b().iot.queryTelemetry({ ...q, to: T0 + 10_000, resolution: 'raw' })).toHaveLength(1);
    expect(await b().iot.queryTelemetry({ ...q, resolution: 'raw', limit: 2 })).toHaveLength(2);
    expect(await b().iot.metricsOf(d.id)).toEqual(['humidity', 'temperature']);
  });

  it('IOT-STORE-3: prunes one resolution before a time and leaves the rest', async () => {
    const d = device('w-prune');
    await b().iot.appendTelemetry(points(d.id, 'power', [
      [0, 1],
      [120_000, 2],
    ]));
    await b().iot.pruneTelemetry('raw', T0 + 60_000);
    const q = { deviceId: d.id, metric: 'power', from: T0, to: T0 + 3600_000, limit: 10 };
    expect((await b().iot.queryTelemetry({ ...q, resolution: 'raw' })).map((s) => s.v)).toEqual([2]);
    expect(await b().iot.queryTelemetry({ ...q, resolution: '1m' })).toHaveLength(2);
  });

  it('IOT-STORE-4: lists a device\'s open commands apart from its answered ones, and deleting the device deletes them and its telemetry', async () => {
    const d = device('w-cmd');
    await b().iot.putDevice(d);
    const c1 = command(d.id, d.worldId);
    const c2 = command(d.id, d.worldId, { name: 'reboot' });
    await b().iot.putCommand(c1);
    await b().iot.putCommand(c2);
    await b().iot.putCommand({ ...c1, state: 'done', answeredAt: new Date().toISOString(), result: { target: 19 } });
    await ctx.reopen();
    expect((await b().iot.openCommands(d.id)).map((c) => c.name)).toEqual(['reboot']);
    expect((await b().iot.recentCommands(d.id, 10)).map((c) => c.name)).toEqual(['reboot', 'setTarget']);
    expect((await b().iot.getCommand(c1.id))?.result).toEqual({ target: 19 });
    await b().iot.appendTelemetry(points(d.id, 'temperature', [[0, 20]]));
    expect(await b().iot.deleteDevice(d.id)).toBe(true);
    expect(await b().iot.deleteDevice(d.id)).toBe(false);
    expect(await b().iot.metricsOf(d.id)).toEqual([]);
    for (const resolution of ['raw', '1m', '1h'] as const) expect(await b().iot.queryTelemetry({ deviceId: d.id, metric: 'temperature', from: T0, to: T0 + 3600_000, resolution, limit: 10 })).toEqual([]);
    expect(await b().iot.getCommand(c2.id)).toBeUndefined();
    expect(await b().iot.openCommands(d.id)).toEqual([]);
  });

  it("IOT-STORE-5: keeps a world's firmware images in upload order and a device's updates newest first; removing the device removes its updates", async () => {
    const d = device('w-fw');
    await b().iot.putDevice(d);
    const fw = (version: string, at: number) => ({ id: `fw_${version}`, worldId: 'w-fw', type: 'thermostat', version, sha256: 'b'.repeat(64), size: 10, notes: '', createdAt: new Date(at).toISOString(), createdBy: null });
    await b().iot.putFirmware(fw('2.0.0', 2000));
    await b().iot.putFirmware(fw('1.0.0', 1000));
    const update = (id: string, version: string) => ({ id, deviceId: d.id, worldId: 'w-fw', firmwareId: `fw_${version}`, version, sha256: 'b'.repeat(64), state: 'pending' as const, progress: 0, fromVersion: null, rollback: false, createdAt: '', updatedAt: '' });
    await b().iot.putUpdate(update('u1', '1.0.0'));
    await b().iot.putUpdate(update('u2', '2.0.0'));
    await b().iot.putUpdate({ ...update('u1', '1.0.0'), state: 'done', progress: 100 });
    await ctx.reopen();
    expect((await b().iot.listFirmware('w-fw')).map((f) => f.version)).toEqual(['1.0.0', '2.0.0']);
    expect(await b().iot.getFirmware('fw_2.0.0')).toMatchObject({ version: '2.0.0' });
    expect((await b().store.referencedHashes()).has('b'.repeat(64))).toBe(true);
    expect((await b().iot.updatesOf(d.id, 10)).map((u) => [u.id, u.state])).toEqual([
      ['u2', 'pending'],
      ['u1', 'done'],
    ]);
    expect(await b().iot.updatesOf(d.id, 1)).toHaveLength(1);
    await b().iot.deleteDevice(d.id);
    expect(await b().iot.updatesOf(d.id, 10)).toEqual([]);
  });
}
