/**
 * The device simulator against a real server: it registers its devices once across runs, their
 * readings are stored, a thermostat answers a setTarget given over REST and reports the new target,
 * the devices come back by themselves after the server restarts, and the errors people meet say
 * what to do.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootServer, type BootedServer } from '../../testing/bootServer';
import { createWorld, until } from '../../testing/clients';
import { bearer, restClient } from '../../testing/rest';
import { SimulatorError, startSimulator, type RunningSimulator, type SimulatorOptions } from './Simulator';

let server: BootedServer;
let first: BootedServer | undefined;
const { call, signUp } = restClient(() => server.url);
const dataDir = mkdtempSync(path.join(tmpdir(), 'dwc-sim-'));
let worldId: string;
const running: RunningSimulator[] = [];

beforeAll(async () => {
  server = await bootServer();
  // a world made by a guest lets guests edit: the simulator needs no token there
  worldId = (await createWorld(server.url, { name: 'Simulated plant', template: 'office' })).id;
}, 60_000);

afterAll(async () => {
  await Promise.all(running.map((s) => s.stop()));
  await server?.stop();
  server?.cleanup();
  first?.cleanup();
  rmSync(dataDir, { recursive: true, force: true });
});

async function simulate(counts: SimulatorOptions['counts'] = { thermostat: 1, power_meter: 1, door_sensor: 1 }, opts: { token?: string; world?: string } = {}): Promise<RunningSimulator> {
  const sim = await startSimulator({ server: server.url, worldId: opts.world ?? worldId, token: opts.token, counts, hz: 5, dataDir });
  running.push(sim);
  return sim;
}

const samples = async (deviceId: string, metric: string) =>
  (await call('GET', `/iot/devices/${deviceId}/telemetry?metric=${metric}&resolution=raw&from=${Date.now() - 3600_000}&limit=1000`)).json.samples as Array<{ t: number; v: number }>;

describe('device simulator', () => {
  it('registers its devices once across two runs, stands each in the world as a twin, and their readings are stored', async () => {
    const one = await simulate();
    expect(one.devices.map((d) => [d.kind, d.registered])).toEqual([
      ['thermostat', true],
      ['power_meter', true],
      ['door_sensor', true],
    ]);
    const file = path.join(dataDir, 'simulator', `${worldId}.json`);
    // it holds device keys: this user's only
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const [thermostat, meter, door] = one.devices;
    await until('readings stored', async () => (await samples(thermostat!.id, 'temperature')).length >= 3 && (await samples(meter!.id, 'power')).length > 0 && (await samples(door!.id, 'open')).length > 0, 15_000, 200);
    for (const s of await samples(thermostat!.id, 'temperature')) expect(s.v).toBeGreaterThan(10);
    expect((await call('GET', `/iot/devices/${thermostat!.id}`)).json.device).toMatchObject({ online: true, firmwareVersion: '2.3.1', type: 'thermostat' });
    // each stands in the world as a twin of its kind, in a row
    expect((await call('GET', `/iot/devices/${thermostat!.id}`)).json.device.twin).toMatchObject({ metric: 'temperature', unit: '°C', alarmHigh: 26, position: [-3, 1.4, -3.5] });
    expect((await call('GET', `/iot/devices/${meter!.id}`)).json.device.twin).toMatchObject({ metric: 'power', position: [-1.8, 1.4, -3.5] });
    expect((await call('GET', `/iot/devices/${door!.id}`)).json.device.twin).toMatchObject({ metric: 'open' });
    await one.stop();

    // a second run, one device more: the three kept, one new
    const two = await simulate({ thermostat: 2, power_meter: 1, door_sensor: 1 });
    expect(two.devices.map((d) => d.registered)).toEqual([false, true, false, false]);
    expect(two.devices.map((d) => d.id)).toEqual([thermostat!.id, expect.stringMatching(/^dev_/), meter!.id, door!.id]);
    const listed = await call('GET', `/iot/devices?world=${worldId}`);
    expect(listed.json.devices).toHaveLength(4);
    const stats = two.stats();
    await until('the second run publishing', () => (two.stats()[meter!.id]?.acknowledged ?? 0) > (stats[meter!.id]?.acknowledged ?? 0), 10_000);
    await two.stop();
  }, 60_000);

  it('answers a setTarget given over REST and reports the new target; refuses what it does not know', async () => {
    const sim = await simulate({ thermostat: 1, power_meter: 1, door_sensor: 0 });
    const [thermostat, meter] = sim.devices;
    await sim.connected();
    const given = await call('POST', `/iot/devices/${thermostat!.id}/commands?wait=5000`, { name: 'setTarget', params: { target: 17 } });
    expect(given.status).toBe(201);
    expect(given.json.command).toMatchObject({ name: 'setTarget', state: 'done', result: { target: 17 } });
    await until('the reported target is 17', async () => (await samples(thermostat!.id, 'target')).at(-1)?.v === 17, 10_000, 200);
    const refused = await call('POST', `/iot/devices/${thermostat!.id}/commands?wait=5000`, { name: 'setTarget', params: { target: 99 } });
    expect(refused.json.command).toMatchObject({ state: 'failed', error: expect.stringMatching(/target/) });
    const unknown = await call('POST', `/iot/devices/${meter!.id}/commands?wait=5000`, { name: 'reboot' });
    expect(unknown.json.command).toMatchObject({ state: 'failed', error: expect.stringMatching(/does not know "reboot"/) });
    await sim.stop();
  }, 30_000);

  it('comes back by itself when the server restarts, on a new broker port', async () => {
    const sim = await simulate({ thermostat: 1, power_meter: 0, door_sensor: 0 });
    await sim.connected();
    const [thermostat] = sim.devices;
    await server.stop();
    first = server;
    // the same HTTP port, as a restarted server has; the broker takes any free port this time
    server = await bootServer({ dataDir: first.dataDir, env: { PORT: String(first.port) } });
    const since = Date.now();
    await sim.connected(45_000);
    await until('readings after the restart', async () => (await samples(thermostat!.id, 'temperature')).some((s) => s.t > since), 10_000, 200);
    await sim.stop();
  }, 90_000);

  it('says what to do when the world is missing, private without a token, or the server is not there', async () => {
    const refusal = (p: Promise<unknown>) => p.then(() => 'started', (err: unknown) => (err instanceof SimulatorError ? err.message : `not a SimulatorError: ${String(err)}`));
    const one = { thermostat: 1 };
    expect(await refusal(simulate(one, { world: 'no-such-world' }))).toMatch(/no world "no-such-world"/);
    const owner = await signUp('simowner');
    const closed = await call('POST', '/worlds', { name: 'Closed', template: 'office', guestRole: 'none' }, bearer(owner.token));
    expect(await refusal(simulate(one, { world: closed.json.world.id }))).toMatch(/pass --token of an editor/);
    // with the owner's token it may
    const mine = await simulate(one, { world: closed.json.world.id, token: owner.token });
    expect(mine.devices[0]!.registered).toBe(true);
    await mine.stop();
    const away = startSimulator({ server: 'http://127.0.0.1:9', worldId, counts: one, dataDir });
    expect(await refusal(away)).toMatch(/Cannot reach the server at http:\/\/127\.0\.0\.1:9 .*is it running/);
  }, 30_000);
});
