/**
 * `npm run bench -- scale`: the same people in the same worlds served by one server process and by
 * several processes as one site (REDIS_URL, PUBLIC_ADDRESS, one shared store): joins per second
 * with everyone joining at once, pose latency over a measured window, and the CPU of the servers,
 * redis-server, the store and the load generator. Both setups run on one redis-server and one
 * MongoDB wire stand-in, world k joined through process k mod N; the load is the realtime bench's
 * generator (one per world, all in one process). Prints a table with the ratio and writes
 * bench/results/scale.json.
 *
 * Flags: --quick (a run of about half a minute), --worlds=4, --people=25 (per world),
 * --processes=2, --warmup-ms=, --measure-ms=, --out=<dir> (default bench/results).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import type { GeneratorInput, GeneratorResult } from '../realtime/generator';
import { CORES, PINNED, ROOT, sampleProc, startNode, type Proc } from '../realtime/processes';
import { cpuPercent, type ProcSample } from '../realtime/stats';
import { renderTable, ratios, summarize, type ScaleReport, type SetupResult } from './report';
import { createWorld, layout, startBenchSite } from './site';

const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim()) || 100;
const SEND_HZ = 30;
const TICK_HZ = 20;

export interface ScaleSettings {
  quick: boolean;
  worlds: number;
  peoplePerWorld: number;
  processes: number;
  warmupMs: number;
  measureMs: number;
  decodersPerWorld: number;
  out: string;
}

export function parseArgs(argv: string[]): ScaleSettings {
  const get = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const whole = (name: string, fallback: number, min: number, max: number) => {
    const v = get(name);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name} takes a whole number from ${min} to ${max}`);
    return n;
  };
  const quick = argv.includes('--quick');
  return {
    quick,
    worlds: whole('worlds', quick ? 2 : 4, 1, 100),
    peoplePerWorld: whole('people', quick ? 10 : 25, 2, 1000),
    processes: whole('processes', 2, 2, 16),
    warmupMs: whole('warmup-ms', quick ? 1000 : 3000, 0, 600_000),
    measureMs: whole('measure-ms', quick ? 3000 : 10_000, 500, 600_000),
    decodersPerWorld: quick ? 3 : 5,
    out: get('out') ?? path.join(ROOT, 'bench/results'),
  };
}

/** Resolves once `word` has been printed alone on a line `n` times (once per world). */
function printed(proc: Proc, word: string, n: number, timeoutMs: number): Promise<unknown> {
  return proc.waitFor(new RegExp(`(?:^${word}$[\\s\\S]*?){${n}}`, 'm'), timeoutMs);
}

const coreCount = (spec: string) => spec.split(',').reduce((n, part) => {
  const [lo, hi] = part.split('-').map(Number);
  return n + (hi === undefined ? 1 : hi! - lo! + 1);
}, 0);

interface Samples {
  servers: Array<ProcSample | undefined>;
  redis?: ProcSample;
  generator?: ProcSample;
  store: { cpu: NodeJS.CpuUsage; atMs: number };
}

function sampleAll(servers: number[], redisPid: number | undefined, generatorPid: number): Samples {
  return {
    servers: servers.map((pid) => sampleProc(pid)),
    redis: redisPid === undefined ? undefined : sampleProc(redisPid),
    generator: sampleProc(generatorPid),
    store: { cpu: process.cpuUsage(), atMs: performance.now() },
  };
}

/** Rooms and people the site counts once everyone has joined (health counts them on every process). */
async function roomsOpen(url: string): Promise<{ rooms: number; clients: number }> {
  try {
    const body = (await (await fetch(`${url}/api/v3/health`)).json()) as { rooms: number | null; clients: number | null };
    return { rooms: body.rooms ?? NaN, clients: body.clients ?? NaN };
  } catch {
    return { rooms: NaN, clients: NaN };
  }
}

const between = (a: ProcSample | undefined, b: ProcSample | undefined) => (a && b ? cpuPercent(a, b, CLK_TCK) : NaN);

/** One setup: a site of `processes` server processes, the worlds made and joined, the window measured. */
export async function runSetup(processes: number, s: ScaleSettings): Promise<SetupResult> {
  const site = await startBenchSite(processes, { PATCH_RATE_HZ: String(TICK_HZ) });
  let gen: Proc | undefined;
  try {
    const inputs: GeneratorInput[] = [];
    for (let k = 0; k < s.worlds; k++) {
      const url = site.servers[k % processes]!.url;
      const worldId = await createWorld(url, `Scale ${k + 1}`, Math.max(s.peoplePerWorld, 32));
      inputs.push({
        target: 'ours',
        url,
        worldId,
        bots: s.peoplePerWorld,
        decoders: Math.min(s.decodersPerWorld, s.peoplePerWorld),
        workers: 1,
        sendHz: SEND_HZ,
        dragHz: 60,
        tickHz: TICK_HZ,
        areaHalf: Math.max(4, Math.sqrt(s.peoplePerWorld) * 2),
        // everyone at once: the join rate is what is measured
        joinSpreadMs: 0,
        warmupMs: s.warmupMs,
        measureMs: s.measureMs,
      });
    }
    gen = startNode('bench/scale/crowds.ts', [JSON.stringify(inputs)], {}, site.generatorCores);
    await printed(gen, 'JOINED', s.worlds, 120_000);
    const health = await roomsOpen(site.servers[0]!.url);
    // each world warms up from its own last join; every world is in its measured window from the
    // last WINDOW_START to the first WINDOW_END, and that is when the CPU is read
    await printed(gen, 'WINDOW_START', s.worlds, s.warmupMs + 60_000);
    const pids = site.servers.map((x) => x.proc.pid);
    const before = sampleAll(pids, site.redisPid, gen.pid);
    await printed(gen, 'WINDOW_END', 1, s.measureMs + 60_000);
    const after = sampleAll(pids, site.redisPid, gen.pid);
    const m = await gen.waitFor(/^CROWDS (.*)$/m, 60_000);
    const worlds = JSON.parse(m[1]!) as GeneratorResult[];
    const windowMs = after.store.atMs - before.store.atMs;
    // a window under half a second says the worlds' windows hardly overlapped: no CPU figure
    const ok = windowMs >= 500;
    const storeMicros = after.store.cpu.user + after.store.cpu.system - before.store.cpu.user - before.store.cpu.system;
    return summarize(processes, s.peoplePerWorld, worlds, {
      servers: pids.map((_, i) => (ok ? between(before.servers[i], after.servers[i]) : NaN)),
      redis: ok ? between(before.redis, after.redis) : NaN,
      store: ok ? (storeMicros / 1000 / windowMs) * 100 : NaN,
      generator: ok ? between(before.generator, after.generator) : NaN,
      generatorCores: PINNED ? coreCount(site.generatorCores) : CORES,
      windowMs,
    }, health);
  } finally {
    await gen?.stop();
    await site.stop();
  }
}

export async function runScaleBench(argv: string[] = process.argv.slice(2).filter((a) => a.startsWith('--'))): Promise<ScaleReport> {
  const s = parseArgs(argv);
  const layouts = [1, s.processes].map((n) => ({ processes: n, ...layout(n) }));
  process.stdout.write(`${s.worlds} worlds × ${s.peoplePerWorld} people through 1 process, then ${s.processes} processes, on ${CORES} cores\n`);
  const results: SetupResult[] = [];
  for (const n of [1, s.processes]) {
    process.stdout.write(`  ${n} process${n === 1 ? '' : 'es'} …`);
    const r = await runSetup(n, s);
    results.push(r);
    process.stdout.write(` ${r.joined} joined, ${r.joinsPerSecond.toFixed(0)} joins/s, pose p95 ${r.poseP95Ms.toFixed(1)} ms, server CPU ${r.serverCpuPercent.toFixed(0)}%\n`);
  }
  const [baseline, site] = results as [SetupResult, SetupResult];
  const report: ScaleReport = {
    when: new Date().toISOString(),
    machine: { cores: CORES, cpu: cpus()[0]?.model ?? 'unknown', node: process.version, pinned: PINNED },
    settings: { worlds: s.worlds, peoplePerWorld: s.peoplePerWorld, processes: s.processes, warmupMs: s.warmupMs, measureMs: s.measureMs, sendHz: SEND_HZ, tickHz: TICK_HZ, decodersPerWorld: s.decodersPerWorld, quick: s.quick },
    layout: layouts.map(({ processes, servers, generator }) => ({ processes, servers, generator })),
    baseline,
    site,
    ratios: ratios(site, baseline),
  };
  process.stdout.write(`\n${renderTable(report)}\n`);
  mkdirSync(s.out, { recursive: true });
  writeFileSync(path.join(s.out, 'scale.json'), `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`Wrote ${path.relative(ROOT, path.join(s.out, 'scale.json'))}\n`);
  return report;
}
