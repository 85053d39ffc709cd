/**
 * Devices through an external broker: Debian's Mosquitto, started here with its dynamic security
 * plugin, and the server told of it by MQTT_URL (MQTT_DEVICE_AUTH=dynsec). The server makes each device a
 * client of the broker; the broker refuses wrong keys and foreign topics; telemetry, commands and
 * revocation work as with the embedded broker.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandMessage } from '../../shared/model/iot';
import { bootServer, type BootedServer } from '../testing/bootServer';
import { until } from '../testing/clients';
import { bearer, restClient } from '../testing/rest';

const MOSQUITTO = ['/usr/sbin/mosquitto', '/usr/bin/mosquitto'].find((p) => existsSync(p));
const PLUGIN = ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib'].map((d) => path.join(d, 'mosquitto_dynamic_security.so')).find((p) => existsSync(p));
const ADMIN_PASSWORD = 'broker admin password';

let broker: ChildProcess | undefined;
let brokerDir: string;
let brokerUrl: string;
let server: BootedServer;
const { call, signUp } = restClient(() => server.url);
let owner: Record<string, string>;
let worldId: string;
const clients: MqttClient[] = [];

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  if (!MOSQUITTO || !PLUGIN) throw new Error('These tests need Mosquitto with its dynamic security plugin: apt-get install -y mosquitto (Debian/Ubuntu).');
  brokerDir = mkdtempSync(path.join(tmpdir(), 'dwc-mosquitto-'));
  const dynsec = path.join(brokerDir, 'dynsec.json');
  const init = spawnSync('mosquitto_ctrl', ['dynsec', 'init', dynsec, 'admin', ADMIN_PASSWORD], { encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`mosquitto_ctrl dynsec init failed: ${init.stderr}`);
  const port = await freePort();
  // as root, Mosquitto would switch to its own user, who cannot read this test's private directory
  writeFileSync(path.join(brokerDir, 'mosquitto.conf'), [`listener ${port} 127.0.0.1`, 'allow_anonymous false', `plugin ${PLUGIN}`, `plugin_opt_config_file ${dynsec}`, 'persistence false', 'log_dest stderr', `user ${userInfo().username}`, ''].join('\n'));
  broker = spawn(MOSQUITTO, ['-c', path.join(brokerDir, 'mosquitto.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let brokerLog = '';
  broker.stderr!.on('data', (d: Buffer) => (brokerLog += d.toString()));
  brokerUrl = `mqtt://127.0.0.1:${port}`;
  await until('Mosquitto listening', () => brokerLog.includes('mosquitto version') && brokerLog.includes('running'), 10_000).catch(() => {
    throw new Error(`Mosquitto did not start:\n${brokerLog}`);
  });
  server = await bootServer({ env: { MQTT_URL: brokerUrl, MQTT_USERNAME: 'admin', MQTT_PASSWORD: ADMIN_PASSWORD, MQTT_DEVICE_AUTH: 'dynsec' } });
  owner = bearer((await signUp('mqowner')).token);
  worldId = (await call('POST', '/worlds', { name: 'Boiler house', template: 'office', guestRole: 'none' }, owner)).json.world.id;
}, 60_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.endAsync(true).catch(() => undefined)));
  await server?.stop();
  server?.cleanup();
  broker?.kill();
  if (brokerDir) rmSync(brokerDir, { recursive: true, force: true });
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
    expect(readdirSync(brokerDir)).toContain('dynsec.json');
  }, 60_000);
});
