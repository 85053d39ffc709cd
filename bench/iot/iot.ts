/**
 * `npm run bench -- iot`: how many device readings a second our server stores durably, and how long
 * a reading takes from a device's publish to the twin in a world's state, beside a bare aedes broker
 * (no authentication, nothing stored, acknowledged on routing) under the same clients and load.
 *
 * 1. Ingest: every device on its own MQTT connection keeps a few QoS 1 readings in flight for the
 *    measured window; our broker acknowledges a reading once it is on disk. The two brokers run side
 *    by side, pinned to one core, and are flooded in turns; beside the rate, each broker's CPU per
 *    reading, which holds when other work shares the machine. Afterwards the stored readings are
 *    counted back from the minute rollups and must equal those acknowledged.
 * 2. Delay: a few devices send numbered readings at a modest rate; a world room client watches the
 *    twins (our server) or an MQTT subscriber watches the topics (bare aedes), and each reading's
 *    delay from publish to arrival is taken, with the publish → PUBACK part of it.
 *
 * Flags: --quick (a smoke run of a few seconds), --devices=100, --in-flight=1,16 (each a load shape:
 * one reading at a time per device, as devices at a steady rate send; many, as a gateway or a device
 * catching up does), --rounds=2,
 * --warmup-ms=1000, --measure-ms=5000 (per round), --latency-devices=20, --latency-hz=5, --latency-ms=10000, --twin-hz=50,
 * --out=<dir> (default bench/results).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import { percentile } from '../lib/percentile';
import type { MqttClient } from 'mqtt';
import { Arrivals, closeAll, connectAll, flood, paced, sleep, type BenchDevice, type FloodResult, type SendTimes } from './load';
import { registerDevices, startBare, startOurs, storedCount, watchTwins, type BareBroker, type OurServer } from './targets';

interface Settings {
  devices: number;
  /** Each load shape: readings kept in flight per connection. */
  inFlight: number[];
  rounds: number;
  warmupMs: number;
  measureMs: number;
  latencyDevices: number;
  latencyHz: number;
  latencyMs: number;
  twinHz: number;
  out: string;
}

export interface Delay {
  /** Publish to PUBACK (ours: on disk), p50 and p95 ms. */
  ackP50: number;
  ackP95: number;
  count: number;
  unmatched: number;
  p50: number;
  p95: number;
  p99: number;
}

export interface Ingest {
  inFlight: number;
  /** The median of the rounds' rates, readings a second. */
  perSecond: number;
  /** The medians of the broker's CPU over the rounds: % of a core, ms per 1,000 readings. */
  cpuPercent: number;
  cpuMsPer1000: number;
  rounds: FloodResult[];
  acknowledged: number;
  sent: number;
  /** Readings sent whose answer never came or was an error (a dropped connection). */
  lost: number;
}

export interface IotReport {
  machine: { cores: number; cpu: string; node: string };
  settings: Omit<Settings, 'out'>;
  /** Per load shape; `stored` and `counted` over all of them (what the queries and the subscriber found). */
  ours: { ingest: Ingest[]; acknowledged: number; sent: number; lost: number; stored: number; twinDelay: Delay };
  bare: { ingest: Ingest[]; acknowledged: number; counted: number; receiveDelay: Delay };
}

function settings(argv: string[]): Settings {
  const arg = (name: string, normal: number, quick: number) => {
    const raw = argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
    return raw === undefined ? (argv.includes('--quick') ? quick : normal) : Number(raw);
  };
  return {
    devices: arg('devices', 100, 10),
    inFlight: (argv.find((a) => a.startsWith('--in-flight='))?.slice(12) ?? (argv.includes('--quick') ? '4' : '1,16')).split(',').map(Number),
    rounds: arg('rounds', 2, 1),
    warmupMs: arg('warmup-ms', 1000, 300),
    measureMs: arg('measure-ms', 5000, 1500),
    latencyDevices: arg('latency-devices', 20, 4),
    latencyHz: arg('latency-hz', 5, 5),
    latencyMs: arg('latency-ms', 10_000, 1500),
    twinHz: arg('twin-hz', 50, 50),
    out: argv.find((a) => a.startsWith('--out='))?.slice(6) ?? path.resolve('bench/results'),
  };
}

/** Paced readings start above any flood value, so a twin still showing one is never taken for them. */
const FIRST_NUMBER = 1000;

function delayOf(arrivals: Arrivals, sent: { times: SendTimes; ackDelays: number[] }): Delay {
  const { delays, unmatched } = arrivals.delays(sent.times);
  const r = (x: number) => Math.round(x * 10) / 10;
  return { ackP50: r(percentile(sent.ackDelays, 50)), ackP95: r(percentile(sent.ackDelays, 95)), count: delays.length, unmatched, p50: r(percentile(delays, 50)), p95: r(percentile(delays, 95)), p99: r(percentile(delays, 99)) };
}

function ingestOf(inFlight: number, rounds: FloodResult[]): Ingest {
  const sum = (k: 'acknowledged' | 'sent' | 'failed' | 'unanswered') => rounds.reduce((n, r) => n + r[k], 0);
  const median = (k: 'perSecond' | 'brokerCpuPercent' | 'brokerCpuMsPer1000') => percentile(rounds.map((r) => r[k]), 50);
  return { inFlight, perSecond: median('perSecond'), cpuPercent: median('brokerCpuPercent'), cpuMsPer1000: median('brokerCpuMsPer1000'), rounds, acknowledged: sum('acknowledged'), sent: sum('sent'), lost: sum('failed') + sum('unanswered') };
}

async function measureDelay(url: string, devices: BenchDevice[], s: Settings, arrivals: Arrivals): Promise<Delay> {
  const clients = await connectAll(url, devices);
  try {
    const sent = await paced(clients, devices.map((d) => d.id), { hz: s.latencyHz, durationMs: s.latencyMs, first: FIRST_NUMBER });
    // the last readings still on their way
    await sleep(500);
    return delayOf(arrivals, sent);
  } finally {
    await closeAll(clients);
  }
}

/**
 * Both brokers run side by side and are flooded in turns (ours, bare, ours, bare …), so load from
 * elsewhere on a shared machine falls on both alike; each figure is the median of its rounds.
 */
async function bench(s: Settings): Promise<Pick<IotReport, 'ours' | 'bare'>> {
  let ours: OurServer | null = null;
  let bare: BareBroker | null = null;
  const open: MqttClient[][] = [];
  try {
    [ours, bare] = await Promise.all([startOurs(s.twinHz), startBare()]);
    const devices = await registerDevices(ours, Math.max(s.devices, s.latencyDevices));
    const flooded = devices.slice(0, s.devices);
    const ids = flooded.map((d) => d.id);
    // aedes without authentication takes any key; the same ids keep topics and payloads alike
    const oursClients = await connectAll(ours.brokerUrl, flooded);
    open.push(oursClients);
    const bareClients = await connectAll(bare.url, flooded);
    open.push(bareClients);
    const from = Date.now() - 60_000;
    const oursIngest: Ingest[] = [];
    const bareIngest: Ingest[] = [];
    for (const inFlight of s.inFlight) {
      process.stdout.write(`${flooded.length} devices flooding QoS 1 readings, ${inFlight} in flight each: ${s.rounds} round(s) of ${(s.warmupMs + s.measureMs) / 1000} s on each broker in turn…\n`);
      const oursRounds: FloodResult[] = [];
      const bareRounds: FloodResult[] = [];
      const plan = { inFlight, warmupMs: s.warmupMs, measureMs: s.measureMs };
      for (let r = 0; r < s.rounds; r++) {
        oursRounds.push(await flood(oursClients, ids, { ...plan, brokerPid: ours.pid }));
        bareRounds.push(await flood(bareClients, ids, { ...plan, brokerPid: bare.pid }));
        process.stdout.write(`  round ${r + 1}: ours ${fmt(oursRounds[r]!.perSecond)}/s, bare aedes ${fmt(bareRounds[r]!.perSecond)}/s\n`);
      }
      oursIngest.push(ingestOf(inFlight, oursRounds));
      bareIngest.push(ingestOf(inFlight, bareRounds));
    }
    await Promise.all(open.splice(0).map(closeAll));
    const stored = await storedCount(ours, ids, 'temperature', from);
    const counted = await bare.count();

    const watched = devices.slice(0, s.latencyDevices);
    process.stdout.write(`${watched.length} devices at ${s.latencyHz} readings a second for ${s.latencyMs / 1000} s, watched as twins in a world (ours), then by a subscriber (bare aedes)…\n`);
    const twinArrivals = new Arrivals();
    const room = await watchTwins(ours, watched.map((d) => d.id), 'temperature', twinArrivals);
    let twinDelay: Delay;
    try {
      twinDelay = await measureDelay(ours.brokerUrl, watched, s, twinArrivals);
    } finally {
      await room.leave().catch(() => undefined);
    }
    const subArrivals = new Arrivals();
    const unsubscribe = await bare.subscribe(subArrivals);
    let receiveDelay: Delay;
    try {
      receiveDelay = await measureDelay(bare.url, watched, s, subArrivals);
    } finally {
      await unsubscribe();
    }
    const total = (list: Ingest[], k: 'acknowledged' | 'sent' | 'lost') => list.reduce((n, i) => n + i[k], 0);
    return {
      ours: { ingest: oursIngest, acknowledged: total(oursIngest, 'acknowledged'), sent: total(oursIngest, 'sent'), lost: total(oursIngest, 'lost'), stored, twinDelay },
      bare: { ingest: bareIngest, acknowledged: total(bareIngest, 'acknowledged'), counted, receiveDelay },
    };
  } finally {
    await Promise.all(open.map(closeAll));
    await Promise.all([ours?.stop(), bare?.stop()]);
  }
}

const fmt = (x: number, digits = 0) => (Number.isFinite(x) ? x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '—');

function printTable(r: IotReport): void {
  const rows: Array<[string, string, string, string]> = r.ours.ingest.flatMap((o, i): Array<[string, string, string, string]> => {
    const b = r.bare.ingest[i]!;
    return [
      [`${o.inFlight} in flight: readings/s stored durably / routed`, fmt(o.perSecond), fmt(b.perSecond), `${fmt(o.perSecond / b.perSecond, 2)}×`],
      ['  broker CPU while flooded, % of a core', fmt(o.cpuPercent), fmt(b.cpuPercent), ''],
      ['  broker CPU per 1,000 readings, ms', fmt(o.cpuMsPer1000, 1), fmt(b.cpuMsPer1000, 1), `${fmt(o.cpuMsPer1000 / b.cpuMsPer1000, 1)}×`],
    ];
  });
  rows.push(
    ['acknowledged in all', fmt(r.ours.acknowledged), fmt(r.bare.acknowledged), ''],
    ['stored (minute rollups) / counted by subscriber', fmt(r.ours.stored), fmt(r.bare.counted), ''],
    ['publish → twin / subscriber, p50 ms', fmt(r.ours.twinDelay.p50, 1), fmt(r.bare.receiveDelay.p50, 1), `${fmt(r.ours.twinDelay.p50 / r.bare.receiveDelay.p50, 1)}×`],
    ['  p95 ms', fmt(r.ours.twinDelay.p95, 1), fmt(r.bare.receiveDelay.p95, 1), `${fmt(r.ours.twinDelay.p95 / r.bare.receiveDelay.p95, 1)}×`],
    ['  p99 ms', fmt(r.ours.twinDelay.p99, 1), fmt(r.bare.receiveDelay.p99, 1), `${fmt(r.ours.twinDelay.p99 / r.bare.receiveDelay.p99, 1)}×`],
    ['  of which publish → PUBACK, p50 ms', fmt(r.ours.twinDelay.ackP50, 1), fmt(r.bare.receiveDelay.ackP50, 1), ''],
    ['  of which publish → PUBACK, p95 ms', fmt(r.ours.twinDelay.ackP95, 1), fmt(r.bare.receiveDelay.ackP95, 1), ''],
    ['  readings seen (not matched)', `${r.ours.twinDelay.count} (${r.ours.twinDelay.unmatched})`, `${r.bare.receiveDelay.count} (${r.bare.receiveDelay.unmatched})`, ''],
  );
  const w = Math.max(...rows.map((x) => x[0].length));
  process.stdout.write(`\n${'figure'.padEnd(w)}  ${'ours'.padStart(12)}  ${'bare aedes'.padStart(12)}  ${'ratio'.padStart(7)}\n`);
  for (const [k, a, b, c] of rows) process.stdout.write(`${k.padEnd(w)}  ${a.padStart(12)}  ${b.padStart(12)}  ${c.padStart(7)}\n`);
  process.stdout.write(`(${r.machine.cores} cores, clients and brokers on the same machine; ${r.settings.devices} devices, median of ${r.settings.rounds} round(s); twins at up to ${r.settings.twinHz} Hz)\n`);
}

export async function runIotBench(argv: string[] = process.argv.slice(2)): Promise<IotReport> {
  const s = settings(argv);
  const report: IotReport = {
    machine: { cores: cpus().length, cpu: cpus()[0]?.model ?? '', node: process.version },
    settings: { devices: s.devices, inFlight: s.inFlight, rounds: s.rounds, warmupMs: s.warmupMs, measureMs: s.measureMs, latencyDevices: s.latencyDevices, latencyHz: s.latencyHz, latencyMs: s.latencyMs, twinHz: s.twinHz },
    ...(await bench(s)),
  };
  printTable(report);
  mkdirSync(s.out, { recursive: true });
  writeFileSync(path.join(s.out, 'iot.json'), `${JSON.stringify(report, null, 2)}\n`);
  // the durability claim: what was acknowledged is stored; only readings whose answer was lost with
  // a dropped connection may be stored without having been acknowledged
  const { stored, acknowledged, sent, lost } = report.ours;
  if (stored < acknowledged || stored > sent || (stored !== acknowledged && lost === 0)) {
    throw new Error(`${acknowledged} readings were acknowledged (of ${sent} sent) but ${stored} are stored`);
  }
  return report;
}
