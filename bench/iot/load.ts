/**
 * The IoT bench's load: real `mqtt` clients, one per device, either flooding QoS 1 readings as fast
 * as the broker acknowledges them (a fixed number in flight per connection) or sending numbered
 * readings at a steady rate so whoever receives them can tell how long each took.
 */
import { spawnSync } from 'node:child_process';
import mqtt, { type MqttClient } from 'mqtt';
import { deviceTopic } from '../../shared/model/iot';
import { sampleProc } from '../realtime/processes';

const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim()) || 100;

export interface BenchDevice {
  id: string;
  key: string;
}

/** Connects every device, a batch at a time (a storm of connections measures the accept queue, not ingest). */
export async function connectAll(url: string, devices: BenchDevice[], batch = 25): Promise<MqttClient[]> {
  const clients: MqttClient[] = [];
  for (let i = 0; i < devices.length; i += batch) {
    const made = await Promise.all(
      devices.slice(i, i + batch).map((d) => mqtt.connectAsync(url, { clientId: d.id, username: d.id, password: d.key, reconnectPeriod: 0, connectTimeout: 10_000, clean: true })),
    );
    clients.push(...made);
  }
  return clients;
}

export async function closeAll(clients: MqttClient[]): Promise<void> {
  await Promise.all(clients.map((c) => c.endAsync(true).catch(() => undefined)));
}

export interface FloodResult {
  /** Acknowledged within the measured window, a second. */
  perSecond: number;
  /** Every reading sent, and every one acknowledged (warm-up, window and the drain after). */
  sent: number;
  acknowledged: number;
  failed: number;
  /** Readings sent whose acknowledgement never came (the connection dropped). */
  unanswered: number;
  windowMs: number;
  /** The broker process's CPU over the window, % of one core, and per 1,000 readings acknowledged (ms). */
  brokerCpuPercent: number;
  brokerCpuMsPer1000: number;
}

/**
 * Keeps `inFlight` QoS 1 readings outstanding on every connection for `warmupMs + measureMs`,
 * counting acknowledgements in the measured window, then waits for the last ones.
 */
export async function flood(clients: MqttClient[], ids: string[], o: { inFlight: number; warmupMs: number; measureMs: number; brokerPid: number }): Promise<FloodResult> {
  let sent = 0;
  let acknowledged = 0;
  let failed = 0;
  let inWindow = 0;
  let measuring = false;
  let running = true;
  let outstanding = 0;
  const pump = (client: MqttClient, topic: string, n: { v: number }) => {
    while (running && n.v < o.inFlight && client.connected) {
      n.v++;
      outstanding++;
      sent++;
      // one value a message: stored points equal acknowledged messages
      const payload = `{"temperature":${(20 + (sent % 100) / 10).toFixed(1)}}`;
      client.publish(topic, payload, { qos: 1 }, (err) => {
        n.v--;
        outstanding--;
        if (err) failed++;
        else {
          acknowledged++;
          if (measuring) inWindow++;
        }
        pump(client, topic, n);
      });
    }
  };
  clients.forEach((c, i) => pump(c, deviceTopic(ids[i]!, 'telemetry'), { v: 0 }));
  await sleep(o.warmupMs);
  measuring = true;
  const before = sampleProc(o.brokerPid);
  const started = performance.now();
  await sleep(o.measureMs);
  measuring = false;
  const windowMs = performance.now() - started;
  const after = sampleProc(o.brokerPid);
  running = false;
  const cpuMs = before && after ? ((after.ticks - before.ticks) / CLK_TCK) * 1000 : NaN;
  for (const until = Date.now() + 15_000; outstanding > 0 && Date.now() < until; ) await sleep(20);
  return {
    perSecond: (inWindow / windowMs) * 1000,
    sent,
    acknowledged,
    failed,
    unanswered: outstanding,
    windowMs,
    brokerCpuPercent: (cpuMs / windowMs) * 100,
    brokerCpuMsPer1000: cpuMs / (inWindow / 1000),
  };
}

/** When each numbered reading of each device was sent (performance.now()). */
export type SendTimes = Map<string, Map<number, number>>;

/**
 * Each device sends `{"temperature": <n>}` with n = first, first + 1 … at `hz`, the devices spread over the
 * period; n is exact in the twin's float32, so a receiver can find when it was sent.
 */
export async function paced(clients: MqttClient[], ids: string[], o: { hz: number; durationMs: number; first: number }): Promise<{ times: SendTimes; ackDelays: number[] }> {
  const times: SendTimes = new Map(ids.map((id) => [id, new Map<number, number>()]));
  const ackDelays: number[] = [];
  const period = 1000 / o.hz;
  const timers: Array<ReturnType<typeof setInterval>> = [];
  await Promise.all(
    clients.map(async (client, i) => {
      await sleep((period * i) / clients.length);
      const id = ids[i]!;
      const topic = deviceTopic(id, 'telemetry');
      const mine = times.get(id)!;
      let n = o.first - 1;
      const send = () => {
        n++;
        const at = performance.now();
        mine.set(n, at);
        client.publish(topic, `{"temperature":${n}}`, { qos: 1 }, (err) => {
          if (!err) ackDelays.push(performance.now() - at);
        });
      };
      send();
      timers.push(setInterval(send, period));
    }),
  );
  await sleep(o.durationMs);
  for (const t of timers) clearInterval(t);
  return { times, ackDelays };
}

/** The delays (ms) of the readings a receiver saw, found by device and number in what was sent. */
export class Arrivals {
  private readonly seen: Array<{ id: string; n: number; at: number }> = [];

  saw(id: string, n: number, at = performance.now()): void {
    this.seen.push({ id, n, at });
  }

  delays(sent: SendTimes): { delays: number[]; unmatched: number } {
    const delays: number[] = [];
    let unmatched = 0;
    for (const s of this.seen) {
      const t = sent.get(s.id)?.get(s.n);
      if (t === undefined) unmatched++;
      else delays.push(s.at - t);
    }
    return { delays, unmatched };
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
