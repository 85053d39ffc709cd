/**
 * `npm run bench:realtime`: how many people one world holds and how fast their motion reaches the
 * others, beside three baselines on the same workload. For each scenario it starts the server (ours
 * or a baseline) and the load generator as separate processes on loopback, pinned to different
 * cores, warms up, measures a fixed window, and reads the server's CPU, memory, event-loop delay and
 * fan-out times. Prints a table and writes bench/results/realtime.json and realtime.html.
 *
 * Flags: --quick (small crowds, short windows), --crowd=50,100 (crowd sizes), --only=crowd,flood
 * (scenario kinds: crowd, drag, joins, workflow, flood), --targets=ours,ws (servers), --warmup-ms=,
 * --measure-ms=, --out=<dir>, --profile (records a CPU profile of our server over each measured window,
 * writes it beside the results as a .cpuprofile and prints where the time went), --crowded-above=N (our
 * server treats a world of more than N as crowded, so a small run takes the near-pose path).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import type { ProbeReading } from '../../server/bench/probe';
import type { TargetKind } from './bots';
import type { GeneratorInput, GeneratorResult } from './generator';
import { CORES, GENERATOR_CORES, PINNED, ROOT, SERVER_CORES, sampleProc, startNode, type Proc } from './processes';
import { plan, type Plan, type PlanOptions, type Scenario, type ScenarioKind } from './scenarios';
import { cpuPercent, spread, type Spread } from './stats';
import { intentCountingNs } from './metricsCost';
import { renderHtml, renderTable, ratios, type Report, type RunResult } from './report';
import { renderProfile, summarizeProfile, type CpuProfile } from './profile';

const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim()) || 100;

interface Started {
  proc: Proc;
  url: string;
  probeUrl: string;
  worldId?: string;
  docs?: string[];
  workflowId?: string;
  cleanup(): void;
}

async function post(url: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`POST ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
}

async function uploadDoc(url: string, worldId: string, i: number): Promise<string> {
  const form = new FormData();
  form.append('world', worldId);
  form.append('file', new Blob([`# Sheet ${i}\n\nA page to drag about.\n`], { type: 'text/markdown' }), `sheet-${i}.md`);
  const res = await fetch(`${url}/api/v3/documents`, { method: 'POST', body: form });
  if (!res.ok) throw new Error(`upload: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { document: { id: string } }).document.id;
}

/** Starts our server with a world set up for the scenario. */
async function startOurs(s: Scenario, p: Plan): Promise<Started> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'dwc-bench-rt-'));
  const proc = startNode(
    'server/main.ts',
    [],
    {
      PORT: '0',
      // no devices in this bench
      MQTT_PORT: 'off',
      COAP_PORT: 'off',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      BENCH_PROBE: '1',
      PATCH_RATE_HZ: String(p.tickHz),
      // a dragging hand sends 60 moves and 30 poses a second, past the default per-client rate
      INTENT_RATE: '200',
      REST_RATE: '1000000',
      // every bot connects from this one machine
      MAX_CONNECTIONS_PER_ADDRESS: '1000000',
      ...s.env,
    },
    SERVER_CORES,
  );
  const m = await proc.waitFor(/Open (https?):\/\/localhost:(\d+)\//, 60_000);
  const url = `http://127.0.0.1:${m[2]}`;
  const world = (await post(`${url}/api/v3/worlds`, { name: 'Crowd', template: 'gallery', capacity: Math.max(s.bots, 32) })).world as { id: string };
  const docs: string[] = [];
  for (let i = 0; i < (s.docs ?? 0); i++) docs.push(await uploadDoc(url, world.id, i));
  let workflowId: string | undefined;
  if (s.kind === 'workflow') {
    const definition = {
      name: 'Three short waits',
      steps: ['one', 'two', 'three'].map((id) => ({ id, kind: 'delay', name: id, params: { ms: 100 } })),
    };
    workflowId = ((await post(`${url}/api/v3/workflows`, { worldId: world.id, definition })).workflow as { id: string }).id;
  }
  return { proc, url, probeUrl: `${url}/api/bench/probe`, worldId: world.id, docs, workflowId, cleanup: () => rmSync(dataDir, { recursive: true, force: true }) };
}

const BASELINE_SCRIPT: Record<Exclude<TargetKind, 'ours'>, string> = {
  ws: 'bench/realtime/servers/wsBatch.ts',
  colyseus: 'bench/realtime/servers/colyseusRoom.ts',
  socketio: 'bench/realtime/servers/socketRelay.ts',
};

async function startBaseline(target: Exclude<TargetKind, 'ours'>, p: Plan): Promise<Started> {
  const proc = startNode(BASELINE_SCRIPT[target], [], { PORT: '0', TICK_MS: String(Math.round(1000 / p.tickHz)) }, SERVER_CORES);
  const m = await proc.waitFor(/LISTENING (\d+)/, 60_000);
  const url = `http://127.0.0.1:${m[1]}`;
  return { proc, url, probeUrl: `${url}/probe`, cleanup: () => undefined };
}

async function readProbe(url: string): Promise<ProbeReading | undefined> {
  try {
    const res = await fetch(url);
    return res.ok ? ((await res.json()) as ProbeReading) : undefined;
  } catch {
    return undefined;
  }
}

/** Starts (or stops, answering with the profile) a CPU profile of our server. */
async function profileCall(url: string, what: 'start' | 'stop'): Promise<unknown> {
  const res = await fetch(`${url}/api/bench/profile/${what}`, { method: 'POST' });
  if (!res.ok) throw new Error(`profile ${what}: ${res.status} ${await res.text()}`);
  return res.json();
}

export async function runScenario(s: Scenario, p: Plan, profileDir?: string): Promise<RunResult> {
  const base: RunResult = { scenario: s.name, kind: s.kind, target: s.target, variant: s.variant, bots: s.bots };
  let server: Started | undefined;
  let gen: Proc | undefined;
  try {
    server = s.target === 'ours' ? await startOurs(s, p) : await startBaseline(s.target, p);
    const input: GeneratorInput = {
      target: s.target,
      url: server.url,
      worldId: server.worldId,
      bots: s.bots,
      decoders: Math.min(p.decoders, s.bots),
      workers: p.workers,
      sendHz: p.sendHz,
      dragHz: p.dragHz,
      // JSON has no Infinity: 0 stands for a relay with no tick
      tickHz: s.target === 'socketio' ? 0 : p.tickHz,
      areaHalf: Math.max(4, Math.sqrt(s.bots) * 2),
      joinSpreadMs: s.joinSpreadMs,
      warmupMs: s.kind === 'joins' ? 500 : p.warmupMs,
      measureMs: s.kind === 'joins' ? 1500 : p.measureMs,
      docs: server.docs,
      workflow: server.workflowId ? { id: server.workflowId, everyMs: 250 } : undefined,
      flood: s.kind === 'flood',
    };
    gen = startNode('bench/realtime/generator.ts', [JSON.stringify(input)], {}, GENERATOR_CORES);
    await gen.waitFor(/^JOINED$/m, 240_000 + s.joinSpreadMs);
    await gen.waitFor(/^WINDOW_START$/m, p.warmupMs + 30_000);
    const profiling = profileDir !== undefined && s.target === 'ours';
    if (profiling) await profileCall(server.url, 'start');
    const serverBefore = sampleProc(server.proc.pid);
    const genBefore = sampleProc(gen.pid);
    await readProbe(server.probeUrl);
    await gen.waitFor(/^WINDOW_END$/m, p.measureMs + 30_000);
    const serverAfter = sampleProc(server.proc.pid);
    const genAfter = sampleProc(gen.pid);
    const probe = await readProbe(server.probeUrl);
    let profile: RunResult['profile'];
    if (profiling) {
      const cpu = (await profileCall(server.url, 'stop')) as CpuProfile;
      const file = path.join(profileDir, `${s.name.replace(/\W+/g, '-')}-${s.variant ?? s.target}.cpuprofile`);
      mkdirSync(profileDir, { recursive: true });
      writeFileSync(file, JSON.stringify(cpu));
      profile = { file: path.relative(ROOT, file), ...summarizeProfile(cpu) };
    }
    const m = await gen.waitFor(/^RESULT (.*)$/m, 60_000);
    const r = JSON.parse(m[1]!) as GeneratorResult;
    const fanout: Spread = spread(probe?.fanoutMs ?? []);
    if (process.env.BENCH_SERVER_LOG) process.stderr.write(server.proc.output().slice(-4000));
    return {
      ...base,
      ok: r.joined === s.bots && r.stateErrors.length === 0,
      generator: r,
      serverCpuPercent: serverBefore && serverAfter ? cpuPercent(serverBefore, serverAfter, CLK_TCK) : NaN,
      generatorCpuPercent: genBefore && genAfter ? cpuPercent(genBefore, genAfter, CLK_TCK) : NaN,
      serverRssMb: serverAfter ? serverAfter.rssBytes / 1048576 : NaN,
      eventLoopP99Ms: probe?.eventLoopP99Ms ?? NaN,
      fanoutMs: fanout,
      profile,
    };
  } catch (err) {
    return { ...base, ok: false, error: String((err as Error)?.message ?? err).slice(0, 2000) };
  } finally {
    await gen?.stop();
    await server?.proc.stop();
    server?.cleanup();
  }
}

export function parseArgs(argv: string[]): PlanOptions & { out: string; profile: boolean; crowdedAbove?: number } {
  const get = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const list = (name: string) => get(name)?.split(',').filter(Boolean);
  const crowd = list('crowd')?.map(Number);
  if (crowd?.some((n) => !Number.isInteger(n) || n < 2 || n > 5000)) throw new Error('--crowd takes whole numbers from 2 to 5000, comma-separated');
  const above = get('crowded-above');
  if (above !== undefined && !/^[1-9]\d{0,3}$/.test(above)) throw new Error('--crowded-above takes a whole number from 1 to 9999');
  return {
    quick: argv.includes('--quick'),
    crowd,
    targets: list('targets') as TargetKind[] | undefined,
    kinds: list('only') as ScenarioKind[] | undefined,
    out: get('out') ?? path.join(ROOT, 'bench/results'),
    warmupMs: get('warmup-ms') === undefined ? undefined : Number(get('warmup-ms')),
    measureMs: get('measure-ms') === undefined ? undefined : Number(get('measure-ms')),
    profile: argv.includes('--profile'),
    crowdedAbove: get('crowded-above') === undefined ? undefined : Number(get('crowded-above')),
  };
}

export async function runRealtimeBench(argv: string[] = process.argv.slice(2).filter((a) => a.startsWith('--'))): Promise<Report> {
  const opts = parseArgs(argv);
  const p = plan(opts);
  if (opts.crowdedAbove !== undefined) {
    // a small crowd taken through the crowded world's path (near poses and summaries), as a smoke run needs
    for (const s of p.scenarios) if (s.target === 'ours' && s.variant !== 'everyone') s.env = { ...s.env, INTEREST_ABOVE: String(opts.crowdedAbove), INTEREST_NEAREST: String(opts.crowdedAbove) };
  }
  const report: Report = {
    when: new Date().toISOString(),
    machine: { cores: CORES, cpu: cpus()[0]?.model ?? 'unknown', memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version, pinned: PINNED, serverCores: SERVER_CORES, generatorCores: GENERATOR_CORES },
    settings: { quick: opts.quick, warmupMs: p.warmupMs, measureMs: p.measureMs, sendHz: p.sendHz, dragHz: p.dragHz, tickHz: p.tickHz, decoders: p.decoders, workers: p.workers },
    runs: [],
    ratios: [],
  };
  process.stdout.write(`${p.scenarios.length} runs on ${CORES} cores${PINNED ? ` (server on core ${SERVER_CORES}, generator on ${GENERATOR_CORES})` : ' (not pinned)'}\n`);
  for (const s of p.scenarios) {
    process.stdout.write(`  ${s.name} · ${s.target}${s.variant ? ` (${s.variant})` : ''} …`);
    const r = await runScenario(s, p, opts.profile ? opts.out : undefined);
    report.runs.push(r);
    process.stdout.write(r.error ? ` failed: ${r.error.split('\n')[0]}\n` : ` p95 ${r.generator?.latencyMs.p95.toFixed(1)} ms, cpu ${r.serverCpuPercent?.toFixed(0)}%\n`);
    if (r.profile) process.stdout.write(`${renderProfile(`  CPU profile of the server (${r.profile.file})`, r.profile)}\n`);
  }
  report.ratios = ratios(report.runs);
  process.stdout.write(`\n${renderTable(report)}\n`);
  if (p.scenarios.some((s) => s.kind === 'metrics')) {
    const ns = intentCountingNs();
    // each bot sends sendHz poses a second
    const perSecond = Math.max(...p.scenarios.filter((s) => s.kind === 'metrics').map((s) => s.bots)) * p.sendHz;
    report.intentCountingNs = ns;
    process.stdout.write(`counting one intent: ${ns.toFixed(1)} ns, ${((ns * perSecond) / 1e7).toFixed(3)} % of a core at ${perSecond} poses a second\n`);
  }
  mkdirSync(opts.out, { recursive: true });
  writeFileSync(path.join(opts.out, 'realtime.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(path.join(opts.out, 'realtime.html'), renderHtml(report));
  process.stdout.write(`Wrote ${path.relative(ROOT, path.join(opts.out, 'realtime.json'))} and realtime.html\n`);
  return report;
}
