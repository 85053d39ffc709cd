/**
 * The two brokers the IoT bench loads, each its own process pinned to the same core: our server (its
 * devices registered over REST, a world room client watching the twins) and a bare aedes broker.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, type Room } from '@colyseus/sdk';
import mqtt from 'mqtt';
import { PROTOCOL_VERSION, WORLD_ROOM } from '../../shared/protocol';
import { parseDeviceTopic } from '../../shared/model/iot';
import { createWorld } from '../../server/testing/clients';
import { PINNED, ROOT, SERVER_CORES, startNode } from '../realtime/processes';
import type { Arrivals, BenchDevice } from './load';

export interface OurServer {
  url: string;
  pid: number;
  worldId: string;
  brokerUrl: string;
  call(method: string, route: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }>;
  stop(): Promise<void>;
}

/**
 * Our server as users run it, on the brokers' core where the machine can spare one, with device
 * rates high enough not to be the limit and twins updated up to `twinHz` a second.
 */
export async function startOurs(twinHz: number): Promise<OurServer> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'dwc-bench-iot-'));
  const proc = startNode(
    'server/main.ts',
    [],
    {
      PORT: '0',
      MQTT_PORT: '0',
      MQTT_WS_PORT: 'off',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      IOT_DEVICE_RATE: '100000',
      IOT_TWIN_HZ: String(twinHz),
      // the bench's registrations, twin bindings and verifying queries all come from one address
      REST_RATE: '1000000',
      MAX_CONNECTIONS_PER_ADDRESS: '1000000',
    },
    SERVER_CORES,
  );
  const stop = async () => {
    await proc.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const m = await proc.waitFor(/Open (https?):\/\/localhost:(\d+)\//, 60_000);
    const url = `http://127.0.0.1:${m[2]}`;
    const call = async (method: string, route: string, body?: unknown) => {
      const res = await fetch(`${url}/api/v3${route}`, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await res.text();
      return { status: res.status, json: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
    };
    // a world made by a guest lets guests register devices: no account needed
    const worldId = (await createWorld(url, { name: 'IoT bench', template: 'office' })).id;
    const broker = await call('GET', '/iot/broker');
    const tcp = (broker.json.addresses as Array<{ transport: string; port: number }>).find((a) => a.transport === 'tcp');
    if (!tcp) throw new Error('our server started without its MQTT broker');
    return { url, pid: proc.pid, worldId, brokerUrl: `mqtt://127.0.0.1:${tcp.port}`, call, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

export async function registerDevices(ours: OurServer, n: number): Promise<BenchDevice[]> {
  const devices: BenchDevice[] = [];
  for (let i = 0; i < n; i++) {
    const res = await ours.call('POST', '/iot/devices', { worldId: ours.worldId, name: `Bench sensor ${i + 1}`, type: 'thermostat' });
    if (res.status !== 201) throw new Error(`registering a device: ${res.status} ${JSON.stringify(res.json)}`);
    devices.push({ id: (res.json.device as { id: string }).id, key: res.json.key as string });
  }
  return devices;
}

/** Readings of `metric` stored for the devices since `from`: the sum of the minute buckets' counts. */
export async function storedCount(ours: OurServer, ids: string[], metric: string, from: number): Promise<number> {
  let total = 0;
  for (const id of ids) {
    const res = await ours.call('GET', `/iot/devices/${id}/telemetry?metric=${metric}&resolution=1m&from=${from}&to=${Date.now() + 60_000}`);
    if (res.status !== 200) throw new Error(`querying ${id}: ${res.status} ${JSON.stringify(res.json)}`);
    total += (res.json.samples as Array<{ n: number }>).reduce((s, x) => s + x.n, 0);
  }
  return total;
}

/**
 * Binds a twin showing `metric` to each device and joins the world as a watcher: every change of a
 * twin's value is an arrival of that reading. Resolves once the room shows every twin.
 */
export async function watchTwins(ours: OurServer, ids: string[], metric: string, arrivals: Arrivals): Promise<Room> {
  for (const [i, id] of ids.entries()) {
    const res = await ours.call('PUT', `/iot/devices/${id}/twin`, { metric, position: [-4 + (i % 9), 1.2, -2 - Math.floor(i / 9)] });
    if (res.status !== 200) throw new Error(`binding a twin: ${res.status} ${JSON.stringify(res.json)}`);
  }
  const room = await new Client(ours.url).joinOrCreate(WORLD_ROOM, { protocol: PROTOCOL_VERSION, worldId: ours.worldId, name: 'Twin watcher' });
  // the room greets with chat history and voice settings: not what is measured
  room.onMessage('*', () => undefined);
  type Twin = { value: number };
  const twins = () => (room.state as { twins?: { forEach(cb: (t: Twin, id: string) => void): void; size: number } } | undefined)?.twins;
  const last = new Map<string, number>();
  let ready = false;
  room.onStateChange(() => {
    const map = twins();
    if (!map) return;
    const now = performance.now();
    map.forEach((t, id) => {
      if (last.get(id) === t.value) return;
      last.set(id, t.value);
      if (ready) arrivals.saw(id, t.value, now);
    });
  });
  for (const until = Date.now() + 10_000; (twins()?.size ?? 0) < ids.length; ) {
    if (Date.now() > until) throw new Error(`the room showed ${twins()?.size ?? 0} of ${ids.length} twins after 10 s`);
    await new Promise((r) => setTimeout(r, 20));
  }
  ready = true;
  return room;
}

export interface BareBroker {
  url: string;
  pid: number;
  /** Telemetry messages its subscriber counted. */
  count(): Promise<number>;
  /** A subscriber client on every device's telemetry: each message an arrival. */
  subscribe(arrivals: Arrivals): Promise<() => Promise<void>>;
  stop(): Promise<void>;
}

export async function startBare(): Promise<BareBroker> {
  // on the same core as our server, so the clients get the same share of the machine against either
  const node = [process.execPath, '--import', 'tsx', 'bench/iot/bareBroker.ts'];
  const [cmd, ...argv] = PINNED ? ['taskset', '-c', SERVER_CORES, ...node] : node;
  const child = spawn(cmd!, argv, { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  const waiters = new Set<() => void>();
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    for (const w of waiters) w();
  });
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const next = (re: RegExp, timeoutMs: number) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const from = out.length;
      const check = () => {
        const m = re.exec(out.slice(from));
        if (!m) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve(m);
      };
      const timer = setTimeout(() => (waiters.delete(check), reject(new Error(`bare broker: no ${re} in ${timeoutMs} ms:\n${out.slice(-2000)}`))), timeoutMs);
      waiters.add(check);
    });
  const port = Number((await next(/listening (\d+)/, 30_000))[1]);
  const url = `mqtt://127.0.0.1:${port}`;
  return {
    url,
    pid: child.pid!,
    async count() {
      const answer = next(/count (\d+)/, 5000);
      child.stdin.write('count\n');
      return Number((await answer)[1]);
    },
    async subscribe(arrivals) {
      const sub = await mqtt.connectAsync(url, { clientId: 'bench-subscriber', reconnectPeriod: 0 });
      sub.on('message', (topic, payload) => {
        const at = performance.now();
        const id = parseDeviceTopic(topic)?.deviceId;
        const n = (JSON.parse(payload.toString()) as { temperature?: number }).temperature;
        if (id && typeof n === 'number') arrivals.saw(id, n, at);
      });
      await sub.subscribeAsync('dwc/+/telemetry', { qos: 1 });
      return () => sub.endAsync(true);
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
