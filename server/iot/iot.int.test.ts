/**
 * Devices against a real server: real MQTT clients (the `mqtt` package) on the embedded broker over
 * TCP and WebSocket, HTTP ingest with a device key, the registry's routes and roles, commands
 * answered, timed out and delivered to a device that comes back.
 */
import { createSocket } from 'node:dgram';
import { connect as connectTcp } from 'node:net';
import coap from 'coap';
import { generate as generatePacket } from 'coap-packet';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { encodeBinaryTelemetry, type CommandMessage, type FirmwareNotice } from '../../shared/model/iot';
import { bootServer, type BootedServer } from '../testing/bootServer';
import { joinWorld, until } from '../testing/clients';
import { bearer, restClient } from '../testing/rest';

let server: BootedServer;
/** The first server, when a test restarted it on the same data. */
let first: BootedServer | undefined;
const { call, signUp } = restClient(() => server.url);
let owner: Record<string, string>;
let viewer: Record<string, string>;
let stranger: Record<string, string>;
let worldId: string;
let tcpUrl: string;
let wsUrl: string;
const clients: MqttClient[] = [];

beforeAll(async () => {
  // the owner also administers the server, to read its metrics
  server = await bootServer({ env: { ADMIN_USERS: 'iotowner' } });
  owner = bearer((await signUp('iotowner')).token);
  const v = await signUp('iotviewer');
  viewer = bearer(v.token);
  stranger = bearer((await signUp('iotstranger')).token);
  const world = await call('POST', '/worlds', { name: 'Plant room', template: 'office', guestRole: 'none' }, owner);
  worldId = world.json.world.id;
  const invite = await call('POST', `/worlds/${worldId}/invites`, { role: 'viewer' }, owner);
  expect((await call('POST', `/worlds/${worldId}/invites/accept`, { token: invite.json.token }, viewer)).status).toBe(200);
  await brokerUrls();
}, 60_000);

async function brokerUrls(): Promise<void> {
  const broker = await call('GET', '/iot/broker');
  tcpUrl = broker.json.addresses.find((a: { transport: string }) => a.transport === 'tcp').urls[0].replace('localhost', '127.0.0.1');
  wsUrl = broker.json.addresses.find((a: { transport: string }) => a.transport === 'websocket').urls[0].replace('localhost', '127.0.0.1');
}

afterAll(async () => {
  await Promise.all(clients.map((c) => c.endAsync(true).catch(() => undefined)));
  await server?.stop();
  server?.cleanup();
  first?.cleanup();
});

async function register(name = 'Thermostat', type = 'thermostat'): Promise<{ id: string; key: string }> {
  const res = await call('POST', '/iot/devices', { worldId, name, type, model: 'T-100', metadata: { floor: '2' } }, owner);
  expect(res.status, res.text).toBe(201);
  return { id: res.json.device.id, key: res.json.key };
}

async function connect(device: { id: string; key: string }, opts: { url?: string; clean?: boolean } = {}): Promise<MqttClient> {
  const client = await mqtt.connectAsync(opts.url ?? tcpUrl, { clientId: device.id, username: device.id, password: device.key, reconnectPeriod: 0, clean: opts.clean ?? true, connectTimeout: 5000 });
  clients.push(client);
  return client;
}

/** Messages a client receives, by topic. */
function inbox(client: MqttClient): Array<{ topic: string; body: string }> {
  const got: Array<{ topic: string; body: string }> = [];
  client.on('message', (topic, payload) => got.push({ topic, body: payload.toString() }));
  return got;
}

const samples = async (deviceId: string, metric: string, resolution = 'raw') =>
  (await call('GET', `/iot/devices/${deviceId}/telemetry?metric=${metric}&resolution=${resolution}&from=${Date.now() - 3600_000}`, undefined, owner)).json.samples as Array<{ v: number; n: number }>;

describe('devices in a world', () => {
  it('IOT-1: an editor registers a device and sees its key once; viewers see it, others do not; the key is kept only as a hash', async () => {
    const res = await call('POST', '/iot/devices', { worldId, name: 'Boiler', type: 'power_meter' }, owner);
    expect(res.status).toBe(201);
    expect(res.json.key).toMatch(/^dk_[A-Za-z0-9_-]{40,}$/);
    expect(res.json.device).toMatchObject({ name: 'Boiler', type: 'power_meter', online: false, revoked: false, keyHint: res.json.key.slice(0, 7) });
    expect(JSON.stringify(res.json.device)).not.toContain(res.json.key);
    const id = res.json.device.id;
    const listed = await call('GET', `/iot/devices?world=${worldId}`, undefined, viewer);
    expect(listed.status).toBe(200);
    expect(listed.json.devices.map((d: { id: string }) => d.id)).toContain(id);
    expect(JSON.stringify(listed.json)).not.toContain('keyHash');
    expect((await call('GET', `/iot/devices/${id}`, undefined, viewer)).status).toBe(200);
    // a viewer may not register, change or remove; a stranger may not even look; a guest is asked to sign in
    expect((await call('POST', '/iot/devices', { worldId, name: 'Sneaky' }, viewer)).status).toBe(403);
    expect((await call('PATCH', `/iot/devices/${id}`, { name: 'Renamed' }, viewer)).status).toBe(403);
    expect((await call('GET', `/iot/devices/${id}`, undefined, stranger)).status).toBe(403);
    expect((await call('GET', `/iot/devices?world=${worldId}`)).status).toBe(401);
    // hostile and malformed input is refused with a reason and stores nothing
    for (const body of [{ worldId, name: '' }, { worldId, name: 'x'.repeat(81) }, { worldId, name: 'ok', type: 'a b' }, { worldId, name: 'ok', extra: 1 }, { worldId: '../x', name: 'ok' }, { worldId, name: 'ok', metadata: { k: 5 } }]) {
      const bad = await call('POST', '/iot/devices', body, owner);
      expect(bad.status, JSON.stringify(body)).toBe(400);
      expect(bad.json.error.message.length).toBeGreaterThan(10);
    }
    expect((await call('GET', `/iot/devices?world=${worldId}`, undefined, owner)).json.devices).toHaveLength(listed.json.devices.length);
    const changed = await call('PATCH', `/iot/devices/${id}`, { name: 'Boiler 2', metadata: { room: 'B1' } }, owner);
    expect(changed.json.device).toMatchObject({ name: 'Boiler 2', metadata: { room: 'B1' } });
    expect((await call('DELETE', `/iot/devices/${id}`, undefined, owner)).status).toBe(204);
    expect((await call('GET', `/iot/devices/${id}`, undefined, owner)).status).toBe(404);
  });

  it('IOT-2: the broker refuses a wrong key, an unknown device and a client id that is not the device; a revoked key stops working at once', async () => {
    const device = await register();
    const refused = (opts: { clientId: string; username: string; password: string }) => mqtt.connectAsync(tcpUrl, { ...opts, reconnectPeriod: 0, connectTimeout: 5000 }).then((c) => (clients.push(c), 'connected'), (err: { code?: number }) => err.code);
    expect(await refused({ clientId: device.id, username: device.id, password: 'dk_wrong' })).toBe(5);
    expect(await refused({ clientId: 'dev_nobody', username: 'dev_nobody', password: device.key })).toBe(4);
    expect(await refused({ clientId: 'someone-else', username: device.id, password: device.key })).toBe(2);
    const client = await connect(device);
    await until('the device shown online', async () => (await call('GET', `/iot/devices/${device.id}`, undefined, owner)).json.device.online === true);
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    expect((await call('POST', `/iot/devices/${device.id}/revoke`, undefined, owner)).json.device.revoked).toBe(true);
    await closed;
    expect(await refused({ clientId: device.id, username: device.id, password: device.key })).toBe(5);
    const rekeyed = await call('POST', `/iot/devices/${device.id}/key`, undefined, owner);
    expect(rekeyed.json.device.revoked).toBe(false);
    expect(await refused({ clientId: device.id, username: device.id, password: device.key })).toBe(5);
    await connect({ id: device.id, key: rekeyed.json.key });
  });

  it("IOT-3: a device publishes and subscribes only on its own topics: another device's topic closes its connection, a foreign subscription is refused; a packet over 16 KB ends any connection at its header", async () => {
    const a = await register('A');
    const b = await register('B');
    const ca = await connect(a);
    // refused in the SUBACK (128), which the client reports as an error; the connection stays
    await expect(ca.subscribeAsync(`dwc/${b.id}/commands`)).rejects.toThrow(/Subscribe error/);
    await expect(ca.subscribeAsync('dwc/#')).rejects.toThrow(/Subscribe error/);
    expect((await ca.subscribeAsync(`dwc/${a.id}/commands`)).map((g) => g.qos)).toEqual([0]);
    const closed = new Promise<void>((resolve) => ca.once('close', () => resolve()));
    ca.publish(`dwc/${b.id}/telemetry`, JSON.stringify({ temperature: 99 }), { qos: 1 });
    await closed;
    expect(await samples(b.id, 'temperature')).toEqual([]);
    // before anyone signs in: a packet claiming a megabyte ends the connection at its header
    const port = Number(new URL(tcpUrl).port);
    const raw = connectTcp(port, '127.0.0.1');
    const ended = new Promise<boolean>((resolve) => {
      raw.once('close', () => resolve(true));
      setTimeout(() => resolve(false), 3000);
    });
    raw.on('error', () => undefined);
    raw.write(Buffer.from([0x10, 0x80, 0x80, 0x40]));
    expect(await ended).toBe(true);
    // and the broker still serves
    await connect(b);
  });

  it('IOT-4: telemetry over MQTT (JSON and binary, TCP and WebSocket) is on disk when acknowledged and queryable by range and resolution; a bad message is answered on the errors topic and stores nothing', async () => {
    const device = await register();
    const tcp = await connect(device);
    await tcp.publishAsync(`dwc/${device.id}/telemetry`, JSON.stringify({ temperature: 21.5, heating: true }), { qos: 1 });
    // acknowledged (QoS 1) means stored: the query finds it at once
    expect((await samples(device.id, 'temperature')).map((s) => s.v)).toEqual([21.5]);
    expect((await samples(device.id, 'heating')).map((s) => s.v)).toEqual([1]);
    await tcp.endAsync();
    const ws = await connect(device, { url: wsUrl });
    await ws.publishAsync(`dwc/${device.id}/telemetry/bin`, Buffer.from(encodeBinaryTelemetry({ temperature: 22.5 }, Date.now())), { qos: 1 });
    await ws.publishAsync(`dwc/${device.id}/telemetry`, JSON.stringify({ ts: new Date().toISOString(), values: { temperature: 23.5 } }), { qos: 1 });
    expect((await samples(device.id, 'temperature')).map((s) => s.v)).toEqual([21.5, 22.5, 23.5]);
    const minute = await samples(device.id, 'temperature', '1m');
    expect(minute.reduce((n, s) => n + s.n, 0)).toBe(3);
    const detail = await call('GET', `/iot/devices/${device.id}`, undefined, owner);
    expect(detail.json.metrics).toEqual(['heating', 'temperature']);

    const errors = inbox(ws);
    await ws.subscribeAsync(`dwc/${device.id}/errors`);
    for (const bad of ['not json', JSON.stringify({ temperature: 'hot' }), JSON.stringify({ ts: 0, values: { temperature: 1 } }), JSON.stringify({ '1bad': 1 })]) {
      await ws.publishAsync(`dwc/${device.id}/telemetry`, bad, { qos: 1 });
    }
    await until('the device told why', () => errors.length > 0);
    expect(JSON.parse(errors[0]!.body)).toMatchObject({ topic: `dwc/${device.id}/telemetry`, error: expect.stringMatching(/not JSON/) });
    expect(await samples(device.id, 'temperature')).toHaveLength(3);
    // the connection is kept: a good message after bad ones is stored
    await ws.publishAsync(`dwc/${device.id}/telemetry`, JSON.stringify({ temperature: 24 }), { qos: 1 });
    expect(await samples(device.id, 'temperature')).toHaveLength(4);
    const status = await ws.publishAsync(`dwc/${device.id}/status`, JSON.stringify({ firmware: '1.4.2' }), { qos: 1 });
    expect(status).toBeDefined();
    await until('the firmware version shown', async () => (await call('GET', `/iot/devices/${device.id}`, undefined, owner)).json.device.firmwareVersion === '1.4.2');
    const metrics = (await call('GET', '/metrics', undefined, owner)).text;
    const count = (labels: string) => Number(new RegExp(`^dwc_iot_messages_total\\{${labels}\\} (\\d+)`, 'm').exec(metrics)?.[1] ?? 0);
    expect(count('channel="telemetry",outcome="used"')).toBeGreaterThanOrEqual(3);
    expect(count('channel="telemetry",outcome="refused"')).toBeGreaterThanOrEqual(4);
    expect(Number(/^dwc_iot_devices_connected (\d+)/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(1);
  });

  it('IOT-5: a device without MQTT posts telemetry over HTTP with its key; a missing or wrong key, a bad body, a foreign type or a 65th metric is refused', async () => {
    const device = await register('HTTP meter', 'power_meter');
    const post = (body: string | Buffer, headers: Record<string, string>) => fetch(`${server.url}/api/v3/iot/devices/${device.id}/telemetry`, { method: 'POST', body, headers });
    const ok = await post(JSON.stringify({ power: 1200 }), { 'content-type': 'application/json', 'x-device-key': device.key });
    expect(ok.status).toBe(201);
    expect(await ok.json()).toEqual({ stored: 1 });
    expect((await post(Buffer.from(encodeBinaryTelemetry({ power: 1300 })), { 'content-type': 'application/octet-stream', 'x-device-key': device.key })).status).toBe(201);
    expect((await samples(device.id, 'power')).map((s) => s.v)).toEqual([1200, 1300]);
    expect((await post(JSON.stringify({ power: 1 }), { 'content-type': 'application/json' })).status).toBe(401);
    expect((await post(JSON.stringify({ power: 1 }), { 'content-type': 'application/json', 'x-device-key': 'dk_wrong' })).status).toBe(401);
    const bad = await post(JSON.stringify({ power: 'lots' }), { 'content-type': 'application/json', 'x-device-key': device.key });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/power/);
    expect((await post('power=1', { 'content-type': 'text/plain', 'x-device-key': device.key })).status).toBe(415);
    const big = await post(Buffer.alloc(5000, 1), { 'content-type': 'application/octet-stream', 'x-device-key': device.key });
    expect(big.status).toBe(413);
    expect(((await big.json()) as { error: { message: string } }).error.message).toMatch(/4096 bytes/);
    expect((await samples(device.id, 'power')).map((s) => s.v)).toEqual([1200, 1300]);
    // at most 64 series a device: 'power' and 63 more are taken, the 65th is refused saying so
    const many = (prefix: string, n: number) => JSON.stringify(Object.fromEntries(Array.from({ length: n }, (_, i) => [`${prefix}${i}`, i])));
    expect((await post(many('p', 32), { 'content-type': 'application/json', 'x-device-key': device.key })).status).toBe(201);
    expect((await post(many('q', 31), { 'content-type': 'application/json', 'x-device-key': device.key })).status).toBe(201);
    const past = await post(JSON.stringify({ z: 1 }), { 'content-type': 'application/json', 'x-device-key': device.key });
    expect(past.status).toBe(400);
    expect(((await past.json()) as { error: { message: string } }).error.message).toMatch(/at most 64/);
    expect((await call('GET', `/iot/devices/${device.id}`, undefined, owner)).json.metrics).toHaveLength(64);
  });

  it('IOT-6: a command is sent to a listening device and its acknowledgement answers it; one to a silent device times out', async () => {
    const device = await register();
    const client = await connect(device);
    const got = inbox(client);
    await client.subscribeAsync(`dwc/${device.id}/commands`);
    client.on('message', (topic, payload) => {
      const cmd = JSON.parse(payload.toString()) as CommandMessage;
      if (cmd.name === 'setTarget') client.publish(`dwc/${device.id}/commands/ack`, JSON.stringify({ id: cmd.id, ok: true, result: { target: cmd.params.target } }), { qos: 1 });
    });
    const answered = await call('POST', `/iot/devices/${device.id}/commands?wait=5000`, { name: 'setTarget', params: { target: 19 } }, owner);
    expect(answered.status).toBe(201);
    expect(answered.json.command).toMatchObject({ name: 'setTarget', state: 'done', result: { target: 19 } });
    expect(got.filter((m) => m.topic.endsWith('/commands'))).toHaveLength(1);
    // a viewer may look at commands but not give them
    expect((await call('POST', `/iot/devices/${device.id}/commands`, { name: 'setTarget', params: { target: 30 } }, viewer)).status).toBe(403);
    expect((await call('GET', `/iot/devices/${device.id}/commands`, undefined, viewer)).json.commands[0].state).toBe('done');
    const ignored = await call('POST', `/iot/devices/${device.id}/commands?wait=3000`, { name: 'reboot', timeoutMs: 600 }, owner);
    expect(ignored.json.command).toMatchObject({ name: 'reboot', state: 'timed_out', error: expect.stringMatching(/did not answer/) });
    expect((await call('POST', `/iot/devices/${device.id}/commands`, { name: '', params: {} }, owner)).status).toBe(400);
    expect((await call('POST', `/iot/devices/${device.id}/commands`, { name: 'x', params: { big: 'x'.repeat(3000) } }, owner)).status).toBe(400);
  });

  it("IOT-11: a twin placed over REST stands in its world's state for everyone there; its readings come at most IOT_TWIN_HZ a second, the latest winning, with the alarm flag outside its bounds; taking it out removes it", async () => {
    const device = await register('Hall thermostat');
    const placed = await call('PUT', `/iot/devices/${device.id}/twin`, { metric: 'temperature', unit: '°C', min: 10, max: 30, alarmHigh: 26, position: [1, 1.2, -3], commands: [{ label: 'Cooler', name: 'setTarget', params: { target: 18 } }] }, owner);
    expect(placed.status, placed.text).toBe(200);
    for (const bad of [{ metric: '1x' }, { metric: 't', min: 5, max: 5 }, { metric: 't', alarmLow: 30, alarmHigh: 20 }, { metric: 't', position: [0, 99, 0] }, { metric: 't', commands: Array.from({ length: 7 }, () => ({ label: 'x', name: 'x' })) }]) {
      expect((await call('PUT', `/iot/devices/${device.id}/twin`, bad, owner)).status, JSON.stringify(bad)).toBe(400);
    }
    const me = await joinWorld(server.url, worldId, 'Vera', { token: viewer.authorization!.slice(7) });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const twin = () => (me.room.state as any).twins.get(device.id);
    await until('the twin in the world', () => twin()?.name === 'Hall thermostat');
    expect(twin()).toMatchObject({ metric: 'temperature', unit: '°C', min: 10, max: 30, highOn: true, high: 26, lowOn: false, x: 1, z: -3, at: 0 });
    expect(JSON.parse(twin().commands)).toEqual([{ label: 'Cooler', name: 'setTarget', params: { target: 18 } }]);
    const client = await connect(device);
    await until('the twin online', () => twin().online === true);
    // a device that floods: 30 readings at once; the world sees a few, the last one last
    const seen = new Set<number>();
    const watch = setInterval(() => twin()?.at && seen.add(twin().at), 5);
    const start = Date.now();
    // stamped a little in the past, as a device's own clock may have them (one ahead counts as now)
    const stamp = start - 5000;
    for (let i = 0; i < 30; i++) client.publish(`dwc/${device.id}/telemetry`, JSON.stringify({ ts: stamp + i, values: { temperature: 20 + i / 10 } }), { qos: 1 });
    await until('the last reading shown', () => twin().at === stamp + 29 && Math.abs(twin().value - 22.9) < 1e-3, 3000);
    const elapsed = (Date.now() - start) / 1000;
    clearInterval(watch);
    expect(seen.size).toBeLessThanOrEqual(Math.ceil(elapsed * 4) + 1);
    expect(twin().alarm).toBe(false);
    await client.publishAsync(`dwc/${device.id}/telemetry`, JSON.stringify({ temperature: 27.5 }), { qos: 1 });
    await until('the alarm', () => twin().alarm === true && twin().value === 27.5, 3000);
    await client.publishAsync(`dwc/${device.id}/telemetry`, JSON.stringify({ temperature: 25 }), { qos: 1 });
    await until('the alarm over', () => twin().alarm === false, 3000);
    await client.endAsync();
    await until('the twin offline', () => twin().online === false);
    expect((await call('DELETE', `/iot/devices/${device.id}/twin`, undefined, owner)).status).toBe(200);
    await until('the twin gone', () => twin() === undefined);
    await me.room.leave();
  });

  it('IOT-12: firmware is kept only when its bytes hash to the sha256 given, rolled out to devices of its type, fetched with the device key, moved on by the device\'s reports, and rolled back to the image before', async () => {
    const device = await register('Lobby thermostat');
    const client = await connect(device);
    const notices = inbox(client);
    await client.subscribeAsync(`dwc/${device.id}/firmware`, { qos: 1 });
    await client.publishAsync(`dwc/${device.id}/status`, JSON.stringify({ firmware: '1.0.0' }), { qos: 1 });
    const image = (text: string) => Buffer.from(`${text}`.repeat(500));
    const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
    const upload = async (version: string, bytes: Buffer, opts: { sha256?: string; auth?: Record<string, string>; type?: string } = {}) => {
      const form = new FormData();
      form.set('world', worldId);
      form.set('type', opts.type ?? 'thermostat');
      form.set('version', version);
      if (opts.sha256) form.set('sha256', opts.sha256);
      form.set('file', new Blob([bytes]), `fw-${version}.bin`);
      const res = await fetch(`${server.url}/api/v3/iot/firmware`, { method: 'POST', body: form, headers: opts.auth ?? owner });
      return { status: res.status, json: (await res.json()) as { firmware: { id: string; sha256: string }; error: { message: string } } };
    };
    const v1 = image('one');
    const v2 = image('two');
    expect((await upload('1.0.0', v1, { sha256: sha(v1) })).status).toBe(201);
    const tampered = await upload('1.1.0', v2, { sha256: sha(v1) });
    expect(tampered.status).toBe(400);
    expect(tampered.json.error.message).toMatch(/sha256/);
    expect((await upload('1.1.0', v2, { auth: viewer })).status).toBe(403);
    const up = await upload('1.1.0', v2, { sha256: sha(v2) });
    expect(up.status).toBe(201);
    expect((await upload('1.1.0', v2)).status).toBe(409);
    const listed = await call('GET', `/iot/firmware?world=${worldId}`, undefined, viewer);
    expect(listed.json.firmware.map((f: { version: string }) => f.version)).toEqual(['1.0.0', '1.1.0']);

    const meter = await register('Meter', 'power_meter');
    expect((await call('POST', `/iot/firmware/${up.json.firmware.id}/rollout`, { devices: [meter.id] }, owner)).status).toBe(400);
    const rolled = await call('POST', `/iot/firmware/${up.json.firmware.id}/rollout`, { devices: [device.id] }, owner);
    expect(rolled.status, rolled.text).toBe(201);
    await until('the notice', () => notices.some((m) => m.topic.endsWith('/firmware')));
    const notice = JSON.parse(notices.find((m) => m.topic.endsWith('/firmware'))!.body) as FirmwareNotice;
    expect(notice).toMatchObject({ version: '1.1.0', sha256: sha(v2), size: v2.length, rollback: false });
    const fetchImage = (key: string, deviceId = device.id) => fetch(`${server.url}${notice.path}?device=${deviceId}`, { headers: { 'x-device-key': key } });
    const got = await fetchImage(device.key);
    expect(got.status).toBe(200);
    expect(sha(Buffer.from(await got.arrayBuffer()))).toBe(notice.sha256);
    expect((await fetchImage('dk_wrong')).status).toBe(401);
    // a device with no update to this image may not fetch it
    expect((await fetchImage(meter.key, meter.id)).status).toBe(401);

    const report = (state: string, extra: object = {}) => client.publishAsync(`dwc/${device.id}/firmware/progress`, JSON.stringify({ updateId: notice.updateId, state, ...extra }), { qos: 1 });
    await report('downloading', { progress: 50 });
    await until('the progress', async () => (await call('GET', `/iot/devices/${device.id}/firmware`, undefined, owner)).json.updates[0].progress === 50);
    await report('installing');
    await report('done');
    await until('the new version', async () => (await call('GET', `/iot/devices/${device.id}`, undefined, owner)).json.device.firmwareVersion === '1.1.0');
    expect((await call('GET', `/iot/devices/${device.id}/firmware`, undefined, owner)).json.updates[0]).toMatchObject({ state: 'done', progress: 100, fromVersion: '1.0.0' });

    const back = await call('POST', `/iot/devices/${device.id}/firmware/rollback`, undefined, owner);
    expect(back.status, back.text).toBe(201);
    expect(back.json.update).toMatchObject({ version: '1.0.0', rollback: true, state: 'notified' });
    await until('the rollback notice', () => notices.filter((m) => m.topic.endsWith('/firmware')).length === 2);
    const second = JSON.parse(notices.filter((m) => m.topic.endsWith('/firmware'))[1]!.body) as FirmwareNotice;
    expect(second).toMatchObject({ version: '1.0.0', rollback: true, sha256: sha(v1) });
    await client.publishAsync(`dwc/${device.id}/firmware/progress`, JSON.stringify({ updateId: second.updateId, state: 'failed', error: 'flash write error' }), { qos: 1 });
    await until('the failure shown', async () => (await call('GET', `/iot/devices/${device.id}/firmware`, undefined, owner)).json.updates[0].state === 'failed');
    expect((await call('GET', `/iot/devices/${device.id}`, undefined, owner)).json.device.firmwareVersion).toBe('1.1.0');
  });

  it('IOT-14: a constrained device posts readings over CoAP with its key: 2.04 once stored, 4.01 for a wrong key, 4.00 saying why for a bad reading; block-wise, oversize and non-CoAP datagrams are dropped unanswered', async () => {
    const device = await register('CoAP sensor', 'door_sensor');
    const coapPort = (await call('GET', '/iot/broker')).json.addresses.find((a: { transport: string }) => a.transport === 'coap').port as number;
    const post = (pathname: string, query: string, payload: Buffer | string) =>
      new Promise<{ code: string; text: string }>((resolve, reject) => {
        const req = coap.request({ hostname: '127.0.0.1', port: coapPort, pathname, query, method: 'POST' });
        req.on('response', (res: { code: string; payload: Buffer }) => resolve({ code: res.code, text: res.payload.toString() }));
        req.on('error', reject);
        req.end(payload);
      });
    expect((await post(`/dwc/${device.id}/telemetry`, `key=${device.key}`, JSON.stringify({ open: true }))).code).toBe('2.04');
    expect((await post(`/dwc/${device.id}/telemetry/bin`, `key=${device.key}`, Buffer.from(encodeBinaryTelemetry({ open: 0 })))).code).toBe('2.04');
    expect((await post(`/dwc/${device.id}/telemetry`, 'key=dk_wrong', JSON.stringify({ open: 1 }))).code).toBe('4.01');
    expect((await post(`/dwc/${device.id}/telemetry`, '', JSON.stringify({ open: 1 }))).code).toBe('4.01');
    const bad = await post(`/dwc/${device.id}/telemetry`, `key=${device.key}`, JSON.stringify({ open: 'wide' }));
    expect(bad.code).toBe('4.00');
    expect(bad.text).toMatch(/open/);
    expect((await post('/somewhere/else', '', 'x')).code).toBe('4.04');
    // datagrams the library must never see: a block-wise transfer claiming a huge size, one over a
    // reading's size, one that is not CoAP; none is answered, and the port still serves afterwards
    const raw = async (datagram: Buffer) => {
      const sock = createSocket('udp4');
      const answered = new Promise<boolean>((resolve) => {
        sock.once('message', () => resolve(true));
        setTimeout(() => resolve(false), 400);
      });
      sock.send(datagram, coapPort, '127.0.0.1');
      const got = await answered;
      sock.close();
      return got;
    };
    const huge = generatePacket({ code: 'POST', messageId: 7, token: Buffer.from([1, 2]), confirmable: true, options: [{ name: 'Uri-Path', value: Buffer.from('dwc') }, { name: 'Block1', value: Buffer.from([0xff, 0xff, 0x07]) }], payload: Buffer.alloc(16) });
    expect(await raw(huge)).toBe(false);
    expect(await raw(Buffer.alloc(6000, 0x40))).toBe(false);
    expect(await raw(Buffer.from('not coap at all'))).toBe(false);
    expect((await post(`/dwc/${device.id}/telemetry`, `key=${device.key}`, JSON.stringify({ open: 1 }))).code).toBe('2.04');
    const stored = (await call('GET', `/iot/devices/${device.id}/telemetry?metric=open&resolution=raw`, undefined, owner)).json.samples as Array<{ v: number }>;
    expect(stored.map((x) => x.v)).toEqual([1, 0, 1]);
  });

  it('IOT-7: a command given while the device is away reaches it when it comes back, across a restart; one that expires first never does', async () => {
    const device = await register();
    const queued = await call('POST', `/iot/devices/${device.id}/commands`, { name: 'setTarget', params: { target: 17 } }, owner);
    expect(queued.json.command.state).toBe('queued');
    const expiring = await call('POST', `/iot/devices/${device.id}/commands`, { name: 'beep', ttlMs: 1000 }, owner);
    // the server restarts meanwhile: what waits for the device is in the store
    await server.stop();
    first = server;
    server = await bootServer({ dataDir: first.dataDir });
    await brokerUrls();
    await new Promise((r) => setTimeout(r, 1100));
    const client = await connect(device, { clean: false });
    const got = inbox(client);
    client.on('message', (_topic, payload) => {
      const cmd = JSON.parse(payload.toString()) as CommandMessage;
      client.publish(`dwc/${device.id}/commands/ack`, JSON.stringify({ id: cmd.id, ok: true }), { qos: 1 });
    });
    await client.subscribeAsync(`dwc/${device.id}/commands`, { qos: 1 });
    const done = await call('GET', `/iot/devices/${device.id}/commands/${queued.json.command.id}?wait=5000`, undefined, owner);
    expect(done.json.command.state).toBe('done');
    expect((await call('GET', `/iot/devices/${device.id}/commands/${expiring.json.command.id}`, undefined, owner)).json.command.state).toBe('expired');
    expect(got.map((m) => (JSON.parse(m.body) as CommandMessage).name)).toEqual(['setTarget']);
  }, 60_000);
});
