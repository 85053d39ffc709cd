/**
 * Devices through an external broker: Debian's Mosquitto, started here with its dynamic security
 * plugin, and the server told of it by MQTT_URL (MQTT_DEVICE_AUTH=dynsec). The server makes each device a
 * client of the broker; the broker refuses wrong keys and foreign topics; telemetry, commands and
 * revocation work as with the embedded broker.
 */
import { readdirSync } from 'node:fs';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandMessage } from '../../shared/model/iot';
import { bootServer, type BootedServer } from '../testing/bootServer';
import { until } from '../testing/clients';
import { startMosquitto, type RunningMosquitto } from '../testing/mosquitto';
import { bearer, restClient } from '../testing/rest';

let mosquitto: RunningMosquitto | undefined;
let brokerUrl: string;
let server: BootedServer;
const { call, signUp } = restClient(() => server.url);
let owner: Record<string, string>;
let worldId: string;
const clients: MqttClient[] = [];

beforeAll(async () => {
  mosquitto = await startMosquitto({ dynsec: true });
  brokerUrl = mosquitto.url;
  server = await bootServer({ env: { MQTT_URL: brokerUrl, MQTT_USERNAME: mosquitto.adminUsername!, MQTT_PASSWORD: mosquitto.adminPassword!, MQTT_DEVICE_AUTH: 'dynsec' } });
  owner = bearer((await signUp('mqowner')).token);
  worldId = (await call('POST', '/worlds', { name: 'Boiler house', template: 'office', guestRole: 'none' }, owner)).json.world.id;
}, 60_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.endAsync(true).catch(() => undefined)));
  await server?.stop();
  server?.cleanup();
  await mosquitto?.stop();
});

async function register(name: string): Promise<{ id: string; key: string }> {
  const res = await call('POST', '/iot/devices', { worldId, name, type: 'thermostat' }, owner);
  expect(res.status, res.text).toBe(201);
  return { id: res.json.device.id, key: res.json.key };
}

/** A device as the convention asks on an external broker: says it is online once subscribed, with a will saying it went. */
async function connect(device: { id: string; key: string }): Promise<MqttClient> {
  const client = await mqtt.connectAsync(brokerUrl, {
    clientId: device.id,
    username: device.id,
    password: device.key,
    reconnectPeriod: 0,
    connectTimeout: 5000,
    will: { topic: `dwc/${device.id}/status`, payload: Buffer.from(JSON.stringify({ online: false })), qos: 1, retain: false },
  });
  clients.push(client);
  return client;
}
const refused = (id: string, key: string) => mqtt.connectAsync(brokerUrl, { clientId: id, username: id, password: key, reconnectPeriod: 0, connectTimeout: 5000 }).then((c) => (clients.push(c), 'connected'), (err: { code?: number }) => err.code);
const samples = async (deviceId: string) => (await call('GET', `/iot/devices/${deviceId}/telemetry?metric=temperature&resolution=raw`, undefined, owner)).json.samples as Array<{ v: number }>;

describe('devices through Mosquitto', () => {
  it('IOT-13: the server makes each device a client of the broker: a wrong key is refused there, foreign topics are not delivered, telemetry is stored and commands answered, a command waits for the device to come back, and a revoked key is dropped', async () => {
    const device = await register('Boiler');
    const other = await register('Pump');
    expect(await refused(device.id, 'dk_wrong')).toBe(5);
    const broker = await call('GET', '/iot/broker');
    expect(broker.json.addresses.filter((a: { transport: string }) => a.transport !== 'coap')).toEqual([{ transport: 'external', port: Number(new URL(brokerUrl).port), urls: [brokerUrl] }]);

    // a command given while the device is away waits for it
    const queued = await call('POST', `/iot/devices/${device.id}/commands`, { name: 'setTarget', params: { target: 60 } }, owner);
    expect(queued.json.command.state).toBe('queued');

    const client = await connect(device);
    client.on('message', (topic, payload) => {
      if (!topic.endsWith('/commands')) return;
      const cmd = JSON.parse(payload.toString()) as CommandMessage;
      client.publish(`dwc/${device.id}/commands/ack`, JSON.stringify({ id: cmd.id, ok: true, result: cmd.params }), { qos: 1 });
    });
    await client.subscribeAsync([`dwc/${device.id}/commands`, `dwc/${device.id}/errors`], { qos: 1 });
    // the broker refuses a subscription to another device's topics
    await expect(client.subscribeAsync(`dwc/${other.id}/commands`)).rejects.toThrow(/Subscribe error/);
    await client.publishAsync(`dwc/${device.id}/status`, JSON.stringify({ online: true, firmware: '2.1.0' }), { qos: 1 });
    await until('the queued command done', async () => (await call('GET', `/iot/devices/${device.id}/commands/${queued.json.command.id}`, undefined, owner)).json.command.state === 'done', 8000, 200);
    const device2 = await call('GET', `/iot/devices/${device.id}`, undefined, owner);
    expect(device2.json.device).toMatchObject({ online: true, firmwareVersion: '2.1.0' });

    await client.publishAsync(`dwc/${device.id}/telemetry`, JSON.stringify({ temperature: 71.5 }), { qos: 1 });
    await until('the reading stored', async () => (await samples(device.id)).length === 1, 5000, 100);
    expect((await samples(device.id))[0]!.v).toBe(71.5);
    // the broker does not deliver what a device publishes on another's topic
    await client.publishAsync(`dwc/${other.id}/telemetry`, JSON.stringify({ temperature: 99 }), { qos: 1 }).catch(() => undefined);
    const answered = await call('POST', `/iot/devices/${device.id}/commands?wait=5000`, { name: 'setTarget', params: { target: 55 } }, owner);
    expect(answered.json.command).toMatchObject({ state: 'done', result: { target: 55 } });
    expect(await samples(other.id)).toEqual([]);

    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    expect((await call('POST', `/iot/devices/${device.id}/revoke`, undefined, owner)).status).toBe(200);
    await closed;
    expect(await refused(device.id, device.key)).toBe(5);
    const rekeyed = await call('POST', `/iot/devices/${device.id}/key`, undefined, owner);
    expect(await refused(device.id, rekeyed.json.key)).toBe('connected');
    expect(readdirSync(mosquitto!.dir)).toContain('dynsec.json');
  }, 60_000);
});
