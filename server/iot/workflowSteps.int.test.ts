/**
 * Workflow steps for devices against a real server and real MQTT clients: `iot_command` commanding a
 * device of its world once however often it runs, `iot_trigger` holding a run until a noisy reading
 * crosses its threshold, and a workflow started by its trigger once per crossing, across a crash too.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandMessage } from '../../shared/model/iot';
import { bootServer, type BootedServer } from '../testing/bootServer';
import { until } from '../testing/clients';
import { bearer, restClient } from '../testing/rest';

const ENV = { IOT_DEVICE_RATE: '200' };
let server: BootedServer;
const servers: BootedServer[] = [];
const { call, signUp } = restClient(() => server.url);
let owner: Record<string, string>;
let other: Record<string, string>;
let worldId: string;
let otherWorldId: string;
let tcpUrl: string;
const clients: MqttClient[] = [];
/** The device and workflow of the trigger that starts runs, checked again after the crash. */
let starter: { device: { id: string; key: string }; workflowId: string };

beforeAll(async () => {
  server = await bootServer({ env: ENV });
  servers.push(server);
  owner = bearer((await signUp('wfiotowner')).token);
  other = bearer((await signUp('wfiotother')).token);
  worldId = (await call('POST', '/worlds', { name: 'Boiler room', template: 'office', guestRole: 'none' }, owner)).json.world.id;
  otherWorldId = (await call('POST', '/worlds', { name: 'Next door', template: 'office', guestRole: 'none' }, other)).json.world.id;
  await brokerUrl();
}, 60_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.endAsync(true).catch(() => undefined)));
  for (const s of servers) {
    await s.stop();
    s.cleanup();
  }
});

async function brokerUrl(): Promise<void> {
  const broker = await call('GET', '/iot/broker');
  tcpUrl = broker.json.addresses.find((a: { transport: string }) => a.transport === 'tcp').urls[0].replace('localhost', '127.0.0.1');
}

async function register(name: string, world = worldId, who = owner): Promise<{ id: string; key: string }> {
  const res = await call('POST', '/iot/devices', { worldId: world, name }, who);
  expect(res.status, res.text).toBe(201);
  return { id: res.json.device.id, key: res.json.key };
}

async function connect(device: { id: string; key: string }): Promise<MqttClient> {
  const client = await mqtt.connectAsync(tcpUrl, { clientId: device.id, username: device.id, password: device.key, reconnectPeriod: 0, connectTimeout: 5000 });
  clients.push(client);
  return client;
}

/** A device that listens for commands and keeps each; answers them when `answer` says so. */
async function listening(device: { id: string; key: string }, answer: boolean): Promise<{ client: MqttClient; got: CommandMessage[] }> {
  const client = await connect(device);
  const got: CommandMessage[] = [];
  client.on('message', (_topic, payload) => {
    const cmd = JSON.parse(payload.toString()) as CommandMessage;
    got.push(cmd);
    if (answer) client.publish(`dwc/${device.id}/commands/ack`, JSON.stringify({ id: cmd.id, ok: true, result: { ...cmd.params, applied: true } }), { qos: 1 });
  });
  await client.subscribeAsync(`dwc/${device.id}/commands`, { qos: 1 });
  return { client, got };
}

/** Publishes each value as a temperature reading, in order, each stored before the next goes. */
async function publish(client: MqttClient, deviceId: string, values: number[]): Promise<void> {
  for (const temperature of values) await client.publishAsync(`dwc/${deviceId}/telemetry`, JSON.stringify({ temperature }), { qos: 1 });
}

async function createWorkflow(steps: object[], name = 'Devices'): Promise<{ status: number; id: string; text: string; message: string }> {
  const res = await call('POST', '/workflows', { worldId, definition: { name, steps } }, owner);
  return { status: res.status, id: res.json?.workflow?.id, text: res.text, message: res.json?.error?.message ?? '' };
}

async function startRun(workflowId: string): Promise<string> {
  const res = await call('POST', `/workflows/${workflowId}/runs`, {}, owner);
  expect(res.status, res.text).toBe(201);
  return res.json.run.id;
}

const getRun = async (id: string) => (await call('GET', `/runs/${id}`, undefined, owner)).json.run;
const runsOf = async (workflowId: string) => (await call('GET', `/workflows/${workflowId}/runs`, undefined, owner)).json.runs as Array<{ id: string; status: string; steps: Array<{ output?: { value: number; kind: string } }> }>;
const after = { id: 'after', kind: 'delay', name: 'After', params: { ms: 10 } };
/** Polls the REST API no faster than the server's address rate limit allows for a whole file of waiting. */
const eventually = (what: string, check: () => boolean | Promise<boolean>, timeoutMs = 20_000) => until(what, check, timeoutMs, 150);

describe('device steps in workflows', () => {
  it("IOT-9: an iot_command step commands a device of its world and goes on with its answer; another world's device is not found; bad parameters are refused when saved", async () => {
    const valve = await register('Valve');
    const { got } = await listening(valve, true);
    const wf = await createWorkflow([{ id: 'set', kind: 'iot_command', name: 'Set', params: { device: valve.id, command: 'setTarget', params: { target: 19 } } }, after]);
    expect(wf.status, wf.text).toBe(201);
    const runId = await startRun(wf.id);
    await eventually('the run to succeed', async () => (await getRun(runId)).status === 'succeeded');
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ name: 'setTarget', params: { target: 19 } });
    expect((await getRun(runId)).steps[0].output).toEqual({ commandId: got[0]!.id, state: 'done', result: { target: 19, applied: true } });

    // a device of another world is refused as if it did not exist, and gets nothing
    const theirs = await register('Their valve', otherWorldId, other);
    const foreign = await createWorkflow([{ id: 'set', kind: 'iot_command', name: 'Set', params: { device: theirs.id, command: 'open' } }]);
    const foreignRun = await startRun(foreign.id);
    await eventually('the foreign run to fail', async () => (await getRun(foreignRun)).status === 'failed');
    const step = (await getRun(foreignRun)).steps[0];
    expect(step.error).toMatchObject({ code: 'NOT_FOUND', retryable: false });
    expect(step.error.message).toMatch(/no device .* that this workflow may use/);
    expect(step.attempt).toBe(1);
    expect((await call('GET', `/iot/devices/${theirs.id}/commands`, undefined, other)).json.commands).toEqual([]);

    // hostile parameters are refused with a reason when the workflow is saved
    for (const params of [
      { device: valve.id, command: 'setTarget', params: { blob: 'x'.repeat(3000) } },
      { device: '../etc', command: 'open' },
      { device: valve.id, command: '1open' },
      { device: valve.id, command: 'open', timeoutMs: 10 },
      { device: valve.id, command: 'open', ttlMs: 30 * 86_400_000 },
      { device: valve.id, command: 'open', extra: true },
    ]) {
      const refused = await createWorkflow([{ id: 'set', kind: 'iot_command', name: 'Set', params }]);
      expect(refused.status, JSON.stringify(params)).toBe(400);
      expect(refused.message).toMatch(/^Step 1 \("Set"\) is not valid: \S/);
    }
  }, 60_000);

  it('IOT-10: a run waiting at an iot_trigger goes on once, with the first reading past the threshold, when a noisy sensor crosses it', async () => {
    const sensor = await register('Boiler sensor');
    const client = await connect(sensor);
    const wf = await createWorkflow([{ id: 'hot', kind: 'iot_trigger', name: 'Too hot', params: { device: sensor.id, metric: 'temperature', above: 30, hysteresis: 1 } }, after]);
    expect(wf.status, wf.text).toBe(201);
    // a reading from before the step began fires nothing
    await publish(client, sensor.id, [35]);
    const runId = await startRun(wf.id);
    await eventually('the run to wait', async () => (await getRun(runId)).status === 'waiting');
    await new Promise((r) => setTimeout(r, 300));
    expect((await getRun(runId)).status).toBe('waiting');
    expect((await getRun(runId)).steps[0].waitingFor).toEqual({ kind: 'device', prompt: `Waiting until temperature of ${sensor.id} goes above 30` });

    // twenty readings jittering about the threshold
    await publish(client, sensor.id, [28.8, 29.4, 29.7, 29.5, 30.3, 29.8, 30.6, 29.6, 30.1, 29.9, 30.4, 29.5, 30.8, 29.7, 30.2, 29.6, 30.5, 29.8, 30.7, 29.9]);
    await eventually('the run to succeed', async () => (await getRun(runId)).status === 'succeeded');
    const run = await getRun(runId);
    expect(run.steps[0].output).toMatchObject({ device: sensor.id, metric: 'temperature', value: 30.3, kind: 'above' });
    expect(run.log.filter((l: { stepId: string; message: string }) => l.stepId === 'hot' && l.message === 'answer received')).toHaveLength(1);

    // hostile or meaningless trigger parameters are refused when saved
    for (const params of [{ device: sensor.id, metric: 'temperature' }, { device: sensor.id, metric: 'a b', above: 1 }, { device: sensor.id, metric: 't', above: 1, below: 5 }, { device: sensor.id, metric: 't', above: 0 }, { device: sensor.id, metric: 't', above: 1, anomaly: {} }]) {
      const refused = await createWorkflow([{ id: 'hot', kind: 'iot_trigger', name: 'Hot', params }]);
      expect(refused.status, JSON.stringify(params)).toBe(400);
      expect(refused.message).toMatch(/^Step 1 \("Hot"\) is not valid: \S/);
    }
  }, 60_000);

  it('IOT-10: a workflow whose first step is an iot_trigger with startRuns starts one run per crossing of a noisy sensor, with the reading as the first output', async () => {
    const device = await register('Tank sensor');
    const client = await connect(device);
    const wf = await createWorkflow([{ id: 'hot', kind: 'iot_trigger', name: 'Too hot', params: { device: device.id, metric: 'temperature', above: 30, hysteresis: 2, startRuns: true } }, after], 'Tank alarm');
    expect(wf.status, wf.text).toBe(201);
    starter = { device, workflowId: wf.id };
    await publish(client, device.id, [25, 25.2, 24.8]);
    // first crossing, noisy; back down past the margin; second crossing, noisy
    await publish(client, device.id, [29.5, 30.4, 29.6, 30.8, 29.4, 30.2, 29.9, 30.6, 29.3, 30.1, 25, 24.6, 29.7, 30.5, 29.2, 30.3, 29.8, 30.9]);
    await eventually('two runs to succeed', async () => (await runsOf(wf.id)).filter((r) => r.status === 'succeeded').length === 2);
    await new Promise((r) => setTimeout(r, 500));
    const runs = await runsOf(wf.id);
    expect(runs).toHaveLength(2);
    expect(runs.map((r) => r.steps[0]!.output).sort((a, b) => a!.value - b!.value)).toEqual([
      expect.objectContaining({ device: device.id, metric: 'temperature', value: 30.4, kind: 'above' }),
      expect.objectContaining({ device: device.id, metric: 'temperature', value: 30.5, kind: 'above' }),
    ]);
  }, 60_000);

  it('IOT-9, IOT-10: after a crash a command step resumes without giving a second command, and a trigger that starts runs is armed again', async () => {
    const pump = await register('Pump');
    const silent = await listening(pump, false);
    const wf = await createWorkflow([{ id: 'run', kind: 'iot_command', name: 'Run pump', params: { device: pump.id, command: 'start', params: { rpm: 900 }, timeoutMs: 60_000 } }, after]);
    const runId = await startRun(wf.id);
    await eventually('the command to reach the pump', () => silent.got.length === 1);

    await server.stop({ kill: true });
    await silent.client.endAsync(true).catch(() => undefined);
    server = await bootServer({ dataDir: server.dataDir, env: ENV });
    servers.push(server);
    await brokerUrl();
    // the pump comes back, is sent the command it has not answered (the same one) and answers it
    const answering = await listening(pump, true);
    await eventually('the run to succeed', async () => (await getRun(runId)).status === 'succeeded', 30_000);
    const ids = new Set([...silent.got, ...answering.got].map((c) => c.id));
    expect([...ids]).toEqual([silent.got[0]!.id]);
    expect((await call('GET', `/iot/devices/${pump.id}/commands`, undefined, owner)).json.commands.map((c: { id: string }) => c.id)).toEqual([...ids]);
    expect((await getRun(runId)).steps[0].output).toMatchObject({ commandId: silent.got[0]!.id, state: 'done', result: { rpm: 900, applied: true } });

    // the trigger is armed again from the stored workflow: a value already high starts nothing, a crossing one run
    const client = await connect(starter.device);
    await publish(client, starter.device.id, [31, 25, 29.5, 30.6, 29.7, 30.2]);
    await eventually('a third run', async () => (await runsOf(starter.workflowId)).length === 3);
    await new Promise((r) => setTimeout(r, 500));
    const runs = await runsOf(starter.workflowId);
    expect(runs).toHaveLength(3);
    expect(runs.map((r) => r.steps[0]!.output?.value)).toContain(30.6);
  }, 120_000);
});
