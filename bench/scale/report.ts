/**
 * The arithmetic and the table of the scale benchmark, kept apart from the processes: what one
 * setup's worlds measured, summed up, and the two setups side by side with their ratio.
 */
import type { GeneratorResult } from '../realtime/generator';
import { GENERATOR_BUSY_PERCENT } from '../realtime/report';
import { ratio } from '../realtime/stats';

/** What one setup (one process, or several) measured. */
export interface SetupResult {
  processes: number;
  worlds: number;
  /** People in all worlds together. */
  people: number;
  joined: number;
  /** Rooms and clients the site counted once everyone had joined: one room a world is right, more says a world opened twice. */
  roomsOpen: number;
  clientsCounted: number;
  /** All people joining at once: people joined / the slowest join (each world's people start together). */
  joinsPerSecond: number;
  /** Join to first state, ms: the median and the worst of the worlds' p95. */
  joinP50Ms: number;
  joinP95Ms: number;
  joinMaxMs: number;
  /** Pose latency over the measured window, ms: the worst world's p50 and p95. */
  poseP50Ms: number;
  poseP95Ms: number;
  posesTimed: number;
  /** The lowest world's share of the poses its decoders could have seen. */
  delivery: number;
  /** % of one core, summed over the server processes, and each process's. */
  serverCpuPercent: number;
  serverCpuByProcess: number[];
  redisCpuPercent: number;
  /** The bench process itself, which holds the MongoDB wire stand-in. */
  storeCpuPercent: number;
  generatorCpuPercent: number;
  /** The generator's share of the cores it may use (its CPU % / its cores). */
  generatorBusyPercent: number;
  /** How long the CPU was sampled: while every world was in its measured window. */
  cpuWindowMs: number;
  joinFailures: string[];
  stateErrors: string[];
  perWorld: Array<Pick<GeneratorResult, 'joined' | 'joinMs' | 'latencyMs' | 'delivery' | 'cutOff'>>;
  error?: string;
}

export interface Cpu {
  servers: number[];
  redis: number;
  store: number;
  generator: number;
  generatorCores: number;
  windowMs: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const worst = (xs: number[]) => (xs.length === 0 ? NaN : Math.max(...xs));

export function summarize(processes: number, peoplePerWorld: number, worlds: GeneratorResult[], cpu: Cpu, counted: { rooms: number; clients: number }): SetupResult {
  const joined = worlds.reduce((n, w) => n + w.joined, 0);
  const slowest = worst(worlds.map((w) => w.joinMs.max));
  return {
    processes,
    worlds: worlds.length,
    people: peoplePerWorld * worlds.length,
    joined,
    roomsOpen: counted.rooms,
    clientsCounted: counted.clients,
    joinsPerSecond: ratio(joined * 1000, slowest),
    joinP50Ms: median(worlds.map((w) => w.joinMs.p50)),
    joinP95Ms: worst(worlds.map((w) => w.joinMs.p95)),
    joinMaxMs: slowest,
    poseP50Ms: worst(worlds.map((w) => w.latencyMs.p50)),
    poseP95Ms: worst(worlds.map((w) => w.latencyMs.p95)),
    posesTimed: worlds.reduce((n, w) => n + w.latencyMs.count, 0),
    delivery: Math.min(...worlds.map((w) => w.delivery)),
    serverCpuPercent: cpu.servers.reduce((a, b) => a + b, 0),
    serverCpuByProcess: cpu.servers,
    redisCpuPercent: cpu.redis,
    storeCpuPercent: cpu.store,
    generatorCpuPercent: cpu.generator,
    generatorBusyPercent: cpu.generator / Math.max(1, cpu.generatorCores),
    cpuWindowMs: cpu.windowMs,
    joinFailures: worlds.flatMap((w) => w.joinFailures).slice(0, 5),
    stateErrors: worlds.flatMap((w) => w.stateErrors).slice(0, 5),
    perWorld: worlds.map(({ joined: j, joinMs, latencyMs, delivery, cutOff }) => ({ joined: j, joinMs, latencyMs, delivery, cutOff })),
  };
}

export interface ScaleReport {
  when: string;
  machine: { cores: number; cpu: string; node: string; pinned: boolean };
  settings: { worlds: number; peoplePerWorld: number; processes: number; warmupMs: number; measureMs: number; sendHz: number; tickHz: number; decodersPerWorld: number; quick: boolean };
  /** Where each setup's processes ran. */
  layout: Array<{ processes: number; servers: string[]; generator: string }>;
  baseline: SetupResult;
  site: SetupResult;
  /** site / baseline. */
  ratios: { joinsPerSecond: number; joinP95: number; poseP50: number; poseP95: number; serverCpu: number };
}

export function ratios(site: SetupResult, baseline: SetupResult): ScaleReport['ratios'] {
  return {
    joinsPerSecond: ratio(site.joinsPerSecond, baseline.joinsPerSecond),
    joinP95: ratio(site.joinP95Ms, baseline.joinP95Ms),
    poseP50: ratio(site.poseP50Ms, baseline.poseP50Ms),
    poseP95: ratio(site.poseP95Ms, baseline.poseP95Ms),
    serverCpu: ratio(site.serverCpuPercent, baseline.serverCpuPercent),
  };
}

const fmt = (x: number, digits = 0) => (Number.isFinite(x) ? x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '—');
const times = (x: number) => (Number.isFinite(x) ? `${fmt(x, 2)}×` : '');
const busy = (r: SetupResult) => r.generatorBusyPercent > GENERATOR_BUSY_PERCENT;
const label = (n: number) => `${n} process${n === 1 ? '' : 'es'}`;
const where = (cores: string[]) =>
  cores.length === 1 ? `the server on core ${cores[0]}` : new Set(cores).size === 1 ? `all ${cores.length} servers on core ${cores[0]}` : `servers on cores ${cores.join(', ')}`;

export function renderTable(r: ScaleReport): string {
  const { baseline: a, site: b, ratios: q } = r;
  const rows: Array<[string, string, string, string]> = [
    ['people joined', `${a.joined} of ${a.people}`, `${b.joined} of ${b.people}`, ''],
    ['rooms open / clients counted (health)', `${fmt(a.roomsOpen)} / ${fmt(a.clientsCounted)}`, `${fmt(b.roomsOpen)} / ${fmt(b.clientsCounted)}`, ''],
    ['joins per second (everyone at once)', fmt(a.joinsPerSecond), fmt(b.joinsPerSecond), times(q.joinsPerSecond)],
    ['join → first state p50 ms (median world)', fmt(a.joinP50Ms), fmt(b.joinP50Ms), ''],
    ['join → first state p95 ms (worst world)', fmt(a.joinP95Ms), fmt(b.joinP95Ms), times(q.joinP95)],
    ['pose latency p50 ms (worst world)', fmt(a.poseP50Ms, 1), fmt(b.poseP50Ms, 1), times(q.poseP50)],
    ['pose latency p95 ms (worst world)', fmt(a.poseP95Ms, 1), fmt(b.poseP95Ms, 1), times(q.poseP95)],
    ['poses timed', fmt(a.posesTimed), fmt(b.posesTimed), ''],
    ['delivery (lowest world)', fmt(a.delivery * 100, 1) + ' %', fmt(b.delivery * 100, 1) + ' %', ''],
    ['server CPU, % of a core (all processes)', fmt(a.serverCpuPercent), fmt(b.serverCpuPercent), times(q.serverCpu)],
    ['  each process', a.serverCpuByProcess.map((x) => fmt(x)).join(' + '), b.serverCpuByProcess.map((x) => fmt(x)).join(' + '), ''],
    ['redis-server CPU %', fmt(a.redisCpuPercent), fmt(b.redisCpuPercent), ''],
    ['store stand-in (bench process) CPU %', fmt(a.storeCpuPercent), fmt(b.storeCpuPercent), ''],
    ['load generator CPU %', `${fmt(a.generatorCpuPercent)}${busy(a) ? ' !' : ''}`, `${fmt(b.generatorCpuPercent)}${busy(b) ? ' !' : ''}`, ''],
  ];
  const w = Math.max(...rows.map((x) => x[0].length));
  const s = r.settings;
  const lines = [
    `Scale benchmark · ${r.machine.cores} cores (${r.machine.cpu}) · ${r.machine.node}`,
    `${s.worlds} worlds × ${s.peoplePerWorld} people (${s.worlds * s.peoplePerWorld} in all), poses at ${s.sendHz} Hz, patches at ${s.tickHz} Hz, ${s.decodersPerWorld} decoding bots a world; warm-up ${s.warmupMs} ms, measured ${s.measureMs} ms`,
    `Both setups: one redis-server (REDIS_URL) and one MongoDB wire stand-in store (MONGODB_URI); world k joined through process k mod N, so only the process count differs.`,
    ...r.layout.map((l) => `  ${label(l.processes)}: ${r.machine.pinned ? `${where(l.servers)}, the load generator on ${l.generator}; redis-server and the store unpinned` : 'not pinned'}`),
    '',
    `${'figure'.padEnd(w)}  ${label(a.processes).padStart(12)}  ${label(b.processes).padStart(12)}  ${'ratio'.padStart(7)}`,
    ...rows.map(([k, x, y, z]) => `${k.padEnd(w)}  ${x.padStart(12)}  ${y.padStart(12)}  ${z.padStart(7)}`),
  ];
  const sameCores = r.layout.every((l) => new Set(l.servers).size === 1 && l.servers[0] === r.layout[0]!.servers[0]);
  if (sameCores) {
    lines.push(
      `Note: on ${r.machine.cores} cores the ${label(b.processes)} share one core (the load generator has another; redis-server and the store run where the system puts them), so they get no more CPU than the one:`,
      `the comparison shows what the Redis presence/driver path and more processes cost, not a speed-up. The speed-up needs machines with cores to spare.`,
    );
  }
  for (const x of [a, b]) {
    if (busy(x)) lines.push(`! not trustworthy (${label(x.processes)}): the load generator was over ${GENERATOR_BUSY_PERCENT}% of its cores, so the latencies measure the generator as much as the servers.`);
    if (x.joined < x.people) lines.push(`! ${label(x.processes)}: ${x.people - x.joined} joins failed: ${x.joinFailures.join('; ')}`);
    if (x.roomsOpen > x.worlds) lines.push(`! ${label(x.processes)}: ${x.roomsOpen} rooms open for ${x.worlds} worlds: a world opened more than once, and its people are split between its rooms`);
    if (x.stateErrors.length) lines.push(`! ${label(x.processes)} state errors: ${x.stateErrors.join('; ')}`);
    if (!Number.isFinite(x.serverCpuPercent)) lines.push(`! ${label(x.processes)}: no CPU figure (the worlds' measured windows did not overlap)`);
  }
  return lines.join('\n');
}
