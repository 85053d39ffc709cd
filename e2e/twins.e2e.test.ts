/**
 * Devices' twins in the world (IOT-11 as people see it). On a desktop: a thermostat registered and
 * placed over REST stands as a gauge; a real MQTT client (the `mqtt` package on the embedded broker)
 * publishes 21.5 and the gauge shows it within a second (measured from the publish to the page
 * showing it), then 27.5 and the gauge is in alarm; its panel opens with a click and its "Cooler"
 * button reaches the device, which answers; a twin bound to a missing prop stands as a gauge, and
 * bound to the meeting table tints it. In an emulated headset (iwer, a Meta Quest 3): the gauge is
 * pressed with a controller's ray and trigger, the panel opens in front of the person, "Cooler" is
 * pressed the same way and the panel says "done"; then the same world in AR shows the gauge too.
 */
import mqtt, { type MqttClient } from 'mqtt';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import type { TwinPanelProbe, TwinProbe } from '../client/testing/twinProbe';
import { createWorld, screenshot, signUp, useE2e, waitReady } from './support/harness';
import { installXrEmulator } from './support/xrEmulator';
import { aimController, enterXr, setButton, trackingOffset, xrProbe as xr, type Hand, type V3 } from './support/xrDrive';

const e2e = useE2e();
const PASSWORD = 'a long enough password';
const clients: MqttClient[] = [];
afterAll(async () => {
  await Promise.all(clients.map((c) => c.endAsync(true).catch(() => undefined)));
});

const twins = (page: Page) => page.evaluate(() => window.__dwc!.twins!()) as Promise<TwinProbe[]>;
const twinPanel = (page: Page) => page.evaluate(() => window.__dwc!.twinPanel!()) as Promise<TwinPanelProbe>;
const twinOf = async (page: Page, id: string) => (await twins(page)).find((t) => t.id === id);

/** A REST call as the signed-in owner. */
async function api(token: string, method: string, route: string, body?: unknown): Promise<any> {
  const res = await fetch(`${e2e.server.url}/api/v3${route}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${route} answered ${res.status}: ${text}`);
  return text ? JSON.parse(text) : null;
}

/** Signs up in the lobby, makes a world, and signs in over REST as the same person for the device routes. */
async function ownerWithWorld(page: Page, username: string, world: string): Promise<{ token: string; worldId: string }> {
  await signUp(page, username, PASSWORD);
  const worldId = await createWorld(page, world);
  const res = await fetch(`${e2e.server.url}/api/v3/auth/signin`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }) });
  expect(res.status).toBe(200);
  return { token: ((await res.json()) as { accessToken: string }).accessToken, worldId };
}

const THERMOSTAT_AT: V3 = [1.1, 1.5, 0.8];
/** Turned to face where people arrive (0, 2.5). */
const THERMOSTAT_YAW = Math.atan2(0 - THERMOSTAT_AT[0], 2.5 - THERMOSTAT_AT[2]);

/** Registers a thermostat in the world and places its twin as a gauge with a "Cooler" button. */
async function thermostat(token: string, worldId: string): Promise<{ id: string; key: string }> {
  const reply = await api(token, 'POST', '/iot/devices', { worldId, name: 'Hall thermostat', type: 'thermostat', model: 'T-100' });
  const device = { id: reply.device.id as string, key: reply.key as string };
  await api(token, 'PUT', `/iot/devices/${device.id}/twin`, {
    metric: 'temperature',
    unit: '°C',
    min: 10,
    max: 30,
    alarmHigh: 26,
    position: THERMOSTAT_AT,
    yaw: THERMOSTAT_YAW,
    commands: [{ label: 'Cooler', name: 'setTarget', params: { target: 18 } }],
  });
  return device;
}

/** The device itself over MQTT: it answers every command it is given and then reports its new target. */
async function connectDevice(device: { id: string; key: string }): Promise<{ client: MqttClient; commands: Array<{ name: string; params: unknown }> }> {
  const broker = (await (await fetch(`${e2e.server.url}/api/v3/iot/broker`)).json()) as { addresses: Array<{ transport: string; urls: string[] }> };
  const url = broker.addresses.find((a) => a.transport === 'tcp')!.urls[0]!.replace('localhost', '127.0.0.1');
  const client = await mqtt.connectAsync(url, { clientId: device.id, username: device.id, password: device.key, reconnectPeriod: 0, connectTimeout: 5000 });
  clients.push(client);
  const commands: Array<{ name: string; params: unknown }> = [];
  client.on('message', (topic, payload) => {
    if (topic !== `dwc/${device.id}/commands`) return;
    const command = JSON.parse(payload.toString()) as { id: string; name: string; params: { target?: number } };
    commands.push({ name: command.name, params: command.params });
    const target = command.params.target ?? 20;
    client
      .publishAsync(`dwc/${device.id}/commands/ack`, JSON.stringify({ id: command.id, ok: true, result: { target } }), { qos: 1 })
      .then(() => client.publishAsync(`dwc/${device.id}/telemetry`, JSON.stringify({ target, temperature: 24 }), { qos: 1 }))
      .catch((err: unknown) => process.stderr.write(`the test device could not answer: ${String(err)}\n`));
  });
  await client.subscribeAsync(`dwc/${device.id}/commands`, { qos: 1 });
  return { client, commands };
}

/** Publishes a reading (the temperature unless said) at QoS 1 and measures how long until the page's twin shows it. */
async function publishAndSee(page: Page, client: MqttClient, deviceId: string, value: number, shown: string, metric = 'temperature'): Promise<number> {
  const start = performance.now();
  const published = client.publishAsync(`dwc/${deviceId}/telemetry`, JSON.stringify({ [metric]: value }), { qos: 1 });
  await page.waitForFunction(({ id, shown }) => window.__dwc!.twins!().find((t) => t.id === id)?.value === shown, { id: deviceId, shown }, { polling: 10, timeout: 10_000 });
  const ms = performance.now() - start;
  await published;
  return ms;
}

describe('twins on a desktop', () => {
  it('shows a reading published over MQTT within a second, the alarm past its bound, and gives a command from its panel', { timeout: 180_000 }, async () => {
    const ann = await e2e.openLobby('Ann');
    const { token, worldId } = await ownerWithWorld(ann, 'twinann', 'Plant room');
    const device = await thermostat(token, worldId);

    await expect.poll(async () => (await twinOf(ann, device.id))?.status, { timeout: 15_000 }).toBe('offline · no reading yet');
    expect(await twinOf(ann, device.id)).toMatchObject({ shows: 'gauge', value: '–', alarm: '', colour: '#8a909a' });
    const { client, commands } = await connectDevice(device);
    await expect.poll(async () => (await twinOf(ann, device.id))?.status, { timeout: 10_000 }).toBe('no reading yet');
    await screenshot(ann, 'twins-gauge-no-reading');

    const firstMs = await publishAndSee(ann, client, device.id, 21.5, '21.5 °C');
    process.stdout.write(`twins: 21.5 published → shown in ${firstMs.toFixed(0)} ms\n`);
    expect(firstMs, 'from the publish to the gauge showing it').toBeLessThan(1000);
    const normal = (await twinOf(ann, device.id))!;
    expect(normal).toMatchObject({ value: '21.5 °C', alarm: '' });
    expect(normal.status).toMatch(/^updated /);
    expect(normal.colour).not.toBe('#e0342c');
    expect(normal.screen, 'the gauge is in view').not.toBeNull();
    await ann.waitForTimeout(600);
    await screenshot(ann, 'twins-gauge-21_5');

    const alarmMs = await publishAndSee(ann, client, device.id, 27.5, '27.5 °C');
    process.stdout.write(`twins: 27.5 published → shown in ${alarmMs.toFixed(0)} ms\n`);
    expect(await twinOf(ann, device.id)).toMatchObject({ value: '27.5 °C', alarm: 'ALARM · above 26 °C', colour: '#e0342c' });
    await ann.waitForTimeout(600);
    await screenshot(ann, 'twins-gauge-alarm');

    // a click on the gauge opens its panel; a click on "Cooler" reaches the device, which answers
    const at = (await twinOf(ann, device.id))!.screen!;
    await ann.mouse.click(at.x, at.y);
    await expect.poll(async () => (await twinPanel(ann)).open, { timeout: 10_000 }).toBe(true);
    await expect.poll(async () => (await twinPanel(ann)).history, { timeout: 10_000 }).toMatch(/^Last hour · 2 readings stored/);
    const cooler = (await twinPanel(ann)).buttons.find((b) => b.label === 'Cooler')!;
    expect(cooler.screen, 'the panel is in view').not.toBeNull();
    await ann.mouse.click(cooler.screen!.x, cooler.screen!.y);
    await expect.poll(async () => (await twinPanel(ann)).outcome, { timeout: 10_000 }).toBe('Cooler: done · target: 18');
    expect(commands).toEqual([{ name: 'setTarget', params: { target: 18 } }]);
    // the device's report after the command clears the alarm
    await expect.poll(async () => (await twinOf(ann, device.id))?.alarm, { timeout: 10_000 }).toBe('');
    await ann.waitForTimeout(600);
    await screenshot(ann, 'twins-panel-desktop');
    const close = (await twinPanel(ann)).buttons.find((b) => b.label === 'Close the device panel')!;
    await ann.mouse.click(close.screen!.x, close.screen!.y);
    await expect.poll(async () => (await twinPanel(ann)).open, { timeout: 10_000 }).toBe(false);

    // a twin bound to a prop that is not there stands as a gauge; bound to the meeting table, it tints it
    const boiler = await api(token, 'POST', '/iot/devices', { worldId, name: 'Table sensor', type: 'sensor' });
    const table = (await ann.evaluate(() => window.__dwc!.props!())).find((p) => p.kind === 'meeting-table')!;
    await api(token, 'PUT', `/iot/devices/${boiler.device.id}/twin`, { metric: 'load', unit: '%', propId: 'nosuchprop', position: [-1.2, 1.5, 0.6] });
    await expect.poll(async () => (await twinOf(ann, boiler.device.id))?.shows, { timeout: 10_000 }).toBe('gauge');
    await api(token, 'PUT', `/iot/devices/${boiler.device.id}/twin`, { metric: 'load', unit: '%', propId: table.id, alarmHigh: 90 });
    await expect.poll(async () => (await twinOf(ann, boiler.device.id))?.shows, { timeout: 10_000 }).toBe('prop');
    const sensor = await mqtt.connectAsync((client.options.protocol ?? 'mqtt') + `://127.0.0.1:${client.options.port}`, { clientId: boiler.device.id, username: boiler.device.id, password: boiler.key, reconnectPeriod: 0 });
    clients.push(sensor);
    await publishAndSee(ann, sensor, boiler.device.id, 35, '35 %', 'load');
    await expect.poll(async () => (await twinOf(ann, boiler.device.id))?.tint, { timeout: 10_000 }).toBe((await twinOf(ann, boiler.device.id))!.colour);
    await ann.waitForTimeout(600);
    await screenshot(ann, 'twins-prop-tinted');
    await publishAndSee(ann, sensor, boiler.device.id, 95, '95 %', 'load');
    await expect.poll(async () => (await twinOf(ann, boiler.device.id))?.alarm, { timeout: 10_000 }).toBe('ALARM · above 90 %');
    await ann.waitForTimeout(600);
    await screenshot(ann, 'twins-prop-alarm');

    // the thermostat goes away: its gauge says so and stops claiming a colour
    await client.endAsync();
    await expect.poll(async () => (await twinOf(ann, device.id))?.status, { timeout: 10_000 }).toMatch(/^offline · last reading /);
    expect(await twinOf(ann, device.id)).toMatchObject({ value: '24 °C', colour: '#8a909a' });
    await ann.waitForTimeout(600);
    await screenshot(ann, 'twins-gauge-offline');
    expect(e2e.pageErrors).toEqual([]);
    expect(e2e.browser.blocked, 'requests that tried to leave this machine').toEqual([]);
  });
});


/** Aims the right controller from near the head at `target` until its ray reports `label`, then pulls and lets go of the trigger. */
async function pressWithRay(page: Page, target: V3, label: string, offset: V3, then: () => Promise<void>): Promise<void> {
  const head = (await xr(page)).head!;
  await aimController(page, 'right', [head[0] + 0.2, head[1] - 0.35, head[2] - 0.25], target, offset);
  await expect.poll(async () => (await xr(page)).controllers.find((c) => c.handedness === 'right')!.pointingAt, { timeout: 10_000 }).toBe(label);
  await setButton(page, 'right', 'trigger', 1);
  await then();
  await setButton(page, 'right', 'trigger', 0);
}

describe('twins in a headset', () => {
  it('opens the panel with a controller ray, gives a command that the device answers, and shows the gauge in AR too', { timeout: 240_000 }, async () => {
    const eve = await e2e.openLobby('Eve', (page) => installXrEmulator(page, { surfaceHeight: 0.7 }));
    const { token, worldId } = await ownerWithWorld(eve, 'twineve', 'Boiler room');
    const device = await thermostat(token, worldId);
    const { client, commands } = await connectDevice(device);
    await publishAndSee(eve, client, device.id, 22, '22 °C');

    await enterXr(eve, 'vr');
    await expect.poll(async () => (await xr(eve)).controllers.length, { timeout: 20_000 }).toBe(2);
    const offset = await trackingOffset(eve);
    // Eve stands a little over a metre in front of the gauge, looking down -Z
    const normal: V3 = [Math.sin(THERMOSTAT_YAW), 0, Math.cos(THERMOSTAT_YAW)];
    const stand: V3 = [THERMOSTAT_AT[0] + 1.2 * normal[0], 1.6, THERMOSTAT_AT[2] + 1.2 * normal[2]];
    await eve.evaluate(({ p }) => {
      const d = (window as any).__iwer;
      d.position.set(p[0], p[1], p[2]);
      d.quaternion.set(0, 0, 0, 1);
    }, { p: [stand[0] - offset[0], stand[1] - offset[1], stand[2] - offset[2]] });
    await expect.poll(async () => Math.abs((await xr(eve)).head![2] - stand[2]), { timeout: 10_000 }).toBeLessThan(0.01);

    const gauge = (await twinOf(eve, device.id))!;
    await pressWithRay(eve, gauge.position, 'Open “Hall thermostat”', offset, () => expect.poll(async () => (await twinPanel(eve)).open, { timeout: 10_000 }).toBe(true));
    const panel = await twinPanel(eve);
    expect(panel.deviceId).toBe(device.id);
    const cooler = panel.buttons.find((b) => b.label === 'Cooler')!;
    const head = (await xr(eve)).head!;
    // it opened in front of her, within reach
    expect(Math.hypot(cooler.position[0] - head[0], cooler.position[2] - head[2])).toBeLessThan(1.1);
    await pressWithRay(eve, cooler.position, 'Cooler', offset, () => expect.poll(async () => (await twinPanel(eve)).outcome, { timeout: 10_000 }).toMatch(/^Cooler: done/));
    expect(commands).toEqual([{ name: 'setTarget', params: { target: 18 } }]);
    await expect.poll(async () => (await twinOf(eve, device.id))?.value, { timeout: 10_000 }).toBe('24 °C');
    // the ray off the panel, so the picture shows the panel as it is
    await aimController(eve, 'right', [head[0] + 0.3, head[1] - 0.5, head[2]], [head[0] + 0.6, 0, head[2]], offset);
    await eve.waitForTimeout(500);
    await screenshot(eve, 'twins-vr-panel-done');
    expect((await twinPanel(eve)).outcome).toBe('Cooler: done · target: 18');

    // the same world in AR over a table: the gauge is part of the miniature and shows its reading
    const ar = await e2e.openLobby('Eve in AR', (page) => installXrEmulator(page, { surfaceHeight: 0.7 }));
    // her world lets in only people she invites: she signs in here too
    await ar.getByTestId('account-username').fill('twineve');
    await ar.getByTestId('account-password').fill(PASSWORD);
    await ar.getByTestId('sign-in').click();
    await expect.poll(() => ar.getByTestId('signed-in-as').textContent().catch(() => ''), { timeout: 10_000 }).toBe('Signed in as twineve ');
    await ar.locator(`[data-testid="world-item"][data-world-id="${worldId}"]`).click({ timeout: 15_000 });
    await waitReady(ar);
    await ar.evaluate(() => (window as any).__iwer.quaternion.set(-Math.sin(Math.PI / 8), 0, 0, Math.cos(Math.PI / 8)));
    await enterXr(ar, 'ar');
    await expect.poll(async () => (await xr(ar)).reticle !== null, { timeout: 15_000 }).toBe(true);
    await setButton(ar, 'right', 'trigger', 1);
    await ar.waitForTimeout(100);
    await setButton(ar, 'right', 'trigger', 0);
    await expect.poll(async () => (await xr(ar)).placedAt !== null, { timeout: 15_000 }).toBe(true);
    await expect.poll(async () => (await xr(ar)).ar!.scale, { timeout: 10_000 }).toBeLessThan(0.5);
    await expect.poll(async () => (await twinOf(ar, device.id))?.value, { timeout: 10_000 }).toBe('24 °C');
    // the miniature takes the gauge in with the documents
    const box = (await xr(ar)).ar!.contentBox!;
    const inAr = (await twinOf(ar, device.id))!.position;
    for (let i = 0; i < 3; i++) expect(inAr[i]!).toBeGreaterThanOrEqual(box.min[i]! - 1e-6);
    for (let i = 0; i < 3; i++) expect(inAr[i]!).toBeLessThanOrEqual(box.max[i]! + 1e-6);
    await ar.waitForTimeout(800);
    await screenshot(ar, 'twins-ar');
    expect(e2e.pageErrors).toEqual([]);
    expect(e2e.browser.blocked, 'requests that tried to leave this machine').toEqual([]);
  });
});
