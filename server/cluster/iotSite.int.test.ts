/**
 * Devices through an external broker (Mosquitto with its dynamic security plugin) served by a site
 * of two real processes on one shared store (MONGODB_URI where given, else the MongoDB wire
 * stand-in). Each process is a client of the broker; what devices send reaches the site through an
 * MQTT shared subscription, so each message is taken by one process and stored once, while every
 * process hears a device's `status` and can send it the commands given to it.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandMessage } from '../../shared/model/iot';
import { until } from '../testing/clients';
import { startMosquitto, type RunningMosquitto } from '../testing/mosquitto';
import { bearer, restClient } from '../testing/rest';
import { startSite, type Site } from '../testing/site';

const READINGS = 30;
let broker: RunningMosquitto | undefined;
let site: Site;
let owner: Record<string, string>;
let worldId: string;
const clients: MqttClient[] = [];
const viaProxy = restClient(() => site.proxy.url);
const via = (i: number) => restClient(() => site.processes[i]!.url);

beforeAll(async () => {
  broker = await startMosquitto({ dynsec: true });
  site = await startSite({
    processes: 2,
    env: { MQTT_URL: broker.url, MQTT_USERNAME: broker.adminUsername!, MQTT_PASSWORD: broker.adminPassword!, MQTT_DEVICE_AUTH: 'dynsec' },
  });
  owner = bearer((await viaProxy.signUp('siteowner')).token);
  worldId = (await viaProxy.call('POST', '/worlds', { name: 'Plant room', template: 'office', guestRole: 'none' }, owner)).json.world.id;
}, 90_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.endAsync(true).catch(() => undefined)));
  await site?.stop();
  await broker?.stop();
});

async function register(name: string): Promise<{ id: string; key: string }> {
  const res = await viaProxy.call('POST', '/iot/devices', { worldId, name, type: 'thermostat' }, owner);
  expect(res.status, res.text).toBe(201);
  return { id: res.json.device.id, key: res.json.key };
}

/** A device as docs/iot.md asks on an external broker: a retained will saying it went. */
async function connect(device: { id: string; key: string }): Promise<MqttClient> {
  const client = await mqtt.connectAsync(broker!.url, {
    clientId: device.id,
    username: device.id,
    password: device.key,
    reconnectPeriod: 0,
    connectTimeout: 5000,
    will: { topic: `dwc/${device.id}/status`, payload: Buffer.from(JSON.stringify({ online: false })), qos: 1, retain: true },
  });
  clients.push(client);
  return client;
}

/** Has the device answer every command it is given with its parameters; the ids it received, in order. */
async function answering(client: MqttClient, deviceId: string): Promise<string[]> {
  const received: string[] = [];
  client.on('message', (topic, payload) => {
    if (topic !== `dwc/${deviceId}/commands`) return;
    const cmd = JSON.parse(payload.toString()) as CommandMessage;
    received.push(cmd.id);
    client.publish(`dwc/${deviceId}/commands/ack`, JSON.stringify({ id: cmd.id, ok: true, result: cmd.params }), { qos: 1 });
  });
  await client.subscribeAsync(`dwc/${deviceId}/commands`, { qos: 1 });
  return received;
}

/** The device's temperature samples at a resolution, read through the site's one address. */
async function samples(deviceId: string, resolution: 'raw' | '1m'): Promise<Array<{ t: number; v: number; n: number }>> {
  const res = await viaProxy.call('GET', `/iot/devices/${deviceId}/telemetry?metric=temperature&resolution=${resolution}`, undefined, owner);
  expect(res.status, res.text).toBe(200);
  return res.json.samples;
}

/** What each process says about the device (online is what that process heard). */
const deviceOn = async (i: number, deviceId: string) => (await via(i).call('GET', `/iot/devices/${deviceId}`, undefined, owner)).json.device;
const commandOn = async (i: number, deviceId: string, commandId: string) => (await via(i).call('GET', `/iot/devices/${deviceId}/commands/${commandId}`, undefined, owner)).json.command;

describe('devices through an external broker, served by a site of two processes', () => {
  it('SCALE-8: every reading a device publishes is taken by one process of the site and stored once', async () => {
    const device = await register('Boiler');
    const client = await connect(device);
    // distinct times within the last hour: a raw point is kept by time, so the 1-minute buckets' counts also show a reading stored twice
    const start = Date.now() - 10 * 60_000;
    for (let i = 0; i < READINGS; i++) {
      await client.publishAsync(`dwc/${device.id}/telemetry`, JSON.stringify({ ts: start + i * 1000, values: { temperature: 20 + i / 10 } }), { qos: 1 });
    }
    await until(`${READINGS} readings stored`, async () => (await samples(device.id, 'raw')).length >= READINGS, 10_000, 200);
    // a second taker would store its copies a moment later
    await new Promise((r) => setTimeout(r, 1000));
    const raw = await samples(device.id, 'raw');
    expect(raw.map((s) => s.t)).toEqual(Array.from({ length: READINGS }, (_, i) => start + i * 1000));
    const counted = (await samples(device.id, '1m')).reduce((sum, s) => sum + s.n, 0);
    expect(counted, 'readings counted in the 1-minute buckets').toBe(READINGS);
  });

  it('SCALE-8: every process hears the device come online, so a command given through either process reaches it and is answered', async () => {
    const device = await register('Pump');
    const client = await connect(device);
    const received = await answering(client, device.id);
    await client.publishAsync(`dwc/${device.id}/status`, JSON.stringify({ online: true }), { qos: 1, retain: true });
    for (const i of [0, 1]) await until(`process ${i} hears the device online`, async () => (await deviceOn(i, device.id)).online === true, 5000, 100);

    const given: string[] = [];
    for (const i of [0, 1]) {
      const res = await via(i).call('POST', `/iot/devices/${device.id}/commands`, { name: 'setTarget', params: { target: 50 + i } }, owner);
      expect(res.status, res.text).toBe(201);
      // sent at once by the process it was given to: that process knows the device listens
      expect(res.json.command.state, `the command given through process ${i}`).toBe('sent');
      given.push(res.json.command.id);
    }
    // the answer is taken by either process; both read it from the shared store
    for (const [i, id] of given.entries()) {
      await until(`the command given through process ${i} done`, async () => (await commandOn(i, device.id, id)).state === 'done', 8000, 200);
      expect(await commandOn(1 - i, device.id, id)).toMatchObject({ state: 'done', result: { target: 50 + i } });
    }
    expect(received.sort()).toEqual([...given].sort());
  });

  it('SCALE-8: a command given while the device was away is handed to it once when it comes back, not once per process', async () => {
    const device = await register('Valve');
    const queued = await via(1).call('POST', `/iot/devices/${device.id}/commands`, { name: 'open', params: {} }, owner);
    expect(queued.json.command.state).toBe('queued');
    const client = await connect(device);
    const received = await answering(client, device.id);
    await client.publishAsync(`dwc/${device.id}/status`, JSON.stringify({ online: true }), { qos: 1, retain: true });
    await until('the waiting command done', async () => (await commandOn(0, device.id, queued.json.command.id)).state === 'done', 8000, 200);
    // every process heard it come online; a second hand-over would arrive within moments
    await new Promise((r) => setTimeout(r, 1000));
    expect(received).toEqual([queued.json.command.id]);
  });

  it('SCALE-8: a device trigger sees the device\'s whole series, whichever process takes each reading: one run per crossing, fired by the first reading past the threshold', async () => {
    const device = await register('Tank');
    const client = await connect(device);
    // created through one process; the readings are spread over both by the broker
    const created = await via(1).call(
      'POST',
      '/workflows',
      { worldId, definition: { name: 'Tank alarm', steps: [{ id: 'hot', kind: 'iot_trigger', name: 'Too hot', params: { device: device.id, metric: 'temperature', above: 30, hysteresis: 5, startRuns: true } }, { id: 'after', kind: 'delay', name: 'After', params: { ms: 10 } }] } },
      owner,
    );
    expect(created.status, created.text).toBe(201);
    // the arming reaches every process before the first reading
    await new Promise((r) => setTimeout(r, 300));
    const series = [20, 21, 20, 22, 31, 32, 33, 34, 35, 36, 20, 19, 18, 20, 41, 42, 43, 44, 45, 46];
    for (const [i, v] of series.entries()) {
      await client.publishAsync(`dwc/${device.id}/telemetry`, JSON.stringify({ ts: Date.now() - 60_000 + i * 100, values: { temperature: v } }), { qos: 1 });
      // a reading taken by the other process reaches the holder a moment later: the device sends at a sensor's pace
      await new Promise((r) => setTimeout(r, 60));
    }
    const runsOf = async () => (await viaProxy.call('GET', `/workflows/${created.json.workflow.id}/runs`, undefined, owner)).json.runs as Array<{ status: string; steps: Array<{ output?: { value: number } }> }>;
    await until('two runs', async () => (await runsOf()).filter((r) => r.status === 'succeeded').length >= 2, 10_000, 200);
    await new Promise((r) => setTimeout(r, 500));
    const runs = await runsOf();
    // half the series in each process would miss a crossing's first reading, or see none at all
    expect(runs.map((r) => r.steps[0]!.output?.value).sort()).toEqual([31, 41]);
  });
});
