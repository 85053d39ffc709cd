/**
 * What the realtime benchmark reports: a table for the terminal, our figures as ratios to each
 * baseline's at the same crowd size, and an HTML page with charts (inline SVG, nothing fetched).
 */
import type { TargetKind } from './bots';
import type { GeneratorResult } from './generator';
import type { ScenarioKind } from './scenarios';
import { ratio, type Spread } from './stats';
import type { ProfileSummary } from './profile';

export interface RunResult {
  scenario: string;
  kind: ScenarioKind;
  target: TargetKind;
  variant?: string;
  bots: number;
  ok?: boolean;
  error?: string;
  generator?: GeneratorResult;
  serverCpuPercent?: number;
  generatorCpuPercent?: number;
  serverRssMb?: number;
  eventLoopP99Ms?: number;
  fanoutMs?: Spread;
  /** Where the server's time went in the measured window, when profiled (`--profile`). */
  profile?: ProfileSummary & { file: string };
}

export interface Ratio {
  bots: number;
  baseline: TargetKind;
  /** Ours divided by the baseline's: above 1 means ours is higher (slower, busier, heavier). */
  latencyP95: number;
  serverCpu: number;
  downBytes: number;
}

export interface Report {
  when: string;
  machine: { cores: number; cpu: string; memoryGb: number; node: string; pinned: boolean; serverCores: string; generatorCores: string };
  settings: Record<string, unknown>;
  runs: RunResult[];
  ratios: Ratio[];
  /** Nanoseconds counting one intent took, when the metrics runs were made. */
  intentCountingNs?: number;
}

/** Past this share of its core the load generator's own queueing shows in the latencies. */
export const GENERATOR_BUSY_PERCENT = 80;

/** Whether a run's figures may be the generator's rather than the server's. */
export function generatorBusy(r: RunResult): boolean {
  return (r.generatorCpuPercent ?? 0) > GENERATOR_BUSY_PERCENT;
}

/**
 * Whether the near poses kept their promise in a run: the nearest every patch and the rest every
 * second patch, so no gap while someone stays near should pass two patches (plus 20 ms of
 * scheduling) at p99. Undefined where no near poses were sent (a small world, or a baseline).
 */
export function nearPromise(r: RunResult, tickHz: number): { kept: boolean; limitMs: number } | undefined {
  const gaps = r.generator?.nearGapMs;
  if (!gaps?.count || !(tickHz > 0)) return undefined;
  const limitMs = 2000 / tickHz + 20;
  return { kept: gaps.p99 <= limitMs, limitMs };
}

/** Milliseconds of server CPU a second per person in the world. */
export function cpuPerPerson(r: RunResult): number | undefined {
  return r.serverCpuPercent === undefined || !r.bots ? undefined : (r.serverCpuPercent * 10) / r.bots;
}

export const TARGET_NAMES: Record<TargetKind, string> = {
  ours: 'ours',
  colyseus: 'stock Colyseus',
  ws: 'ws batch (limit)',
  socketio: 'socket.io relay',
};

/** Our crowd runs (as a client sees them by default) against each baseline at the same size. */
export function ratios(runs: readonly RunResult[]): Ratio[] {
  const out: Ratio[] = [];
  const crowd = runs.filter((r) => r.kind === 'crowd' && !r.error);
  for (const ours of crowd.filter((r) => r.target === 'ours' && r.variant !== 'everyone')) {
    for (const b of crowd.filter((r) => r.target !== 'ours' && r.bots === ours.bots)) {
      out.push({
        bots: ours.bots,
        baseline: b.target,
        latencyP95: ratio(ours.generator!.latencyMs.p95, b.generator!.latencyMs.p95),
        serverCpu: ratio(ours.serverCpuPercent!, b.serverCpuPercent!),
        downBytes: ratio(ours.generator!.downBytesPerClientPerSec, b.generator!.downBytesPerClientPerSec),
      });
    }
  }
  return out;
}

/** The metrics runs' means, with the counting on and off; null unless both were run. */
export function metricsOverhead(runs: readonly RunResult[]): { bots: number; runs: number; p95On: number; p95Off: number; cpuOn: number; cpuOff: number } | null {
  const done = runs.filter((r) => r.kind === 'metrics' && r.generator && r.serverCpuPercent !== undefined);
  const on = done.filter((r) => r.variant === 'metrics on');
  const off = done.filter((r) => r.variant === 'metrics off');
  if (!on.length || !off.length) return null;
  const mean = (rs: RunResult[], f: (r: RunResult) => number) => rs.reduce((a, r) => a + f(r), 0) / rs.length;
  const p95 = (r: RunResult) => r.generator!.latencyMs.p95;
  const cpu = (r: RunResult) => r.serverCpuPercent!;
  return { bots: on[0]!.bots, runs: Math.min(on.length, off.length), p95On: mean(on, p95), p95Off: mean(off, p95), cpuOn: mean(on, cpu), cpuOff: mean(off, cpu) };
}

const num = (v: number | undefined, digits = 1) => (v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(digits));
const kb = (v: number | undefined) => num(v === undefined ? v : v / 1024, 1);

function pad(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')).join('\n');
}

export function runLabel(r: RunResult): string {
  return `${TARGET_NAMES[r.target]}${r.variant ? ` (${r.variant})` : ''}`;
}

export function renderTable(report: Report): string {
  const m = report.machine;
  const head = [
    'scenario', 'server', 'joined', 'lat p50', 'p95', 'p99', 'fan-out p50', 'p99', 'delivery', 'near gap p50', 'p99', 'peers', 'srv CPU%', 'loop p99', 'RSS MB', 'down KB/s', 'up KB/s', 'gen CPU%', 'CPU ms/s/person',
  ];
  const rows = [head];
  for (const r of report.runs) {
    const g = r.generator;
    if (r.error || !g) {
      rows.push([r.scenario, runLabel(r), 'failed', ...head.slice(3).map(() => '—')]);
      continue;
    }
    const lat = r.kind === 'joins' ? g.joinMs : g.latencyMs;
    rows.push([
      r.scenario,
      runLabel(r),
      `${g.joined}/${r.bots}`,
      num(lat.p50), num(lat.p95), num(lat.p99),
      num(r.fanoutMs?.p50, 2), num(r.fanoutMs?.p99, 2),
      r.kind === 'joins' ? '—' : num(g.delivery, 2),
      num(g.nearGapMs?.p50, 0), num(g.nearGapMs?.p99, 0),
      r.kind === 'joins' ? '—' : num(g.fullRatePeers, 0),
      num(r.serverCpuPercent, 0), num(r.eventLoopP99Ms), num(r.serverRssMb, 0),
      kb(g.downBytesPerClientPerSec), kb(g.upBytesPerClientPerSec), `${num(r.generatorCpuPercent, 0)}${generatorBusy(r) ? ' !' : ''}`,
      num(cpuPerPerson(r), 2),
    ]);
  }
  const lines = [
    `Realtime benchmark · ${m.cores} cores (${m.cpu}) · ${m.node} · ${m.pinned ? `server pinned to core ${m.serverCores}, generator to ${m.generatorCores}` : 'not pinned'}`,
    `Latency in ms (join rows: time to first full state); CPU% of one core; KB/s per client; peers: others a client gets at full rate; gen CPU% marked ! when over ${GENERATOR_BUSY_PERCENT}%.`,
    pad(rows),
  ];
  const busy = report.runs.filter(generatorBusy);
  if (busy.length) {
    lines.push(
      `! not trustworthy: the load generator was over ${GENERATOR_BUSY_PERCENT}% of its core in ${busy.map((r) => `${r.scenario} · ${runLabel(r)}`).join(', ')}; ` +
        'its own delays are in those latencies.',
    );
  }
  for (const r of report.runs) {
    if (r.kind === 'drag' && r.generator) lines.push(`document moves seen by watchers (${r.scenario}): p50 ${num(r.generator.docLatencyMs.p50)} · p95 ${num(r.generator.docLatencyMs.p95)} · p99 ${num(r.generator.docLatencyMs.p99)} ms`);
    if (r.kind === 'flood' && r.generator) {
      const calm = report.runs.find((c) => c.kind === 'crowd' && c.target === 'ours' && c.variant !== 'everyone' && c.bots === r.bots && c.generator);
      const p95 = r.generator.latencyMs.p95;
      lines.push(
        `others' pose latency with one client flooding (${r.scenario}): p50 ${num(r.generator.latencyMs.p50)} · p95 ${num(p95)} ms` +
          (calm ? ` · the same crowd without it: p95 ${num(calm.generator!.latencyMs.p95)} ms (${num(ratio(p95, calm.generator!.latencyMs.p95), 2)}×)` : '') +
          ` · connections the server cut: ${r.generator.cutOff}`,
      );
    }
    const promise = nearPromise(r, Number(report.settings.tickHz));
    if (promise && r.generator) {
      const gap = r.generator.nearGapMs;
      const err = r.generator.interpolationErrorMm;
      lines.push(
        `near poses (${r.scenario} · ${runLabel(r)}): gap p50 ${num(gap.p50, 0)} · p99 ${num(gap.p99, 0)} ms — promise (p99 ≤ ${num(promise.limitMs, 0)} ms) ${promise.kept ? 'kept' : 'NOT kept'}` +
          (err?.count ? ` · drawn vs real between received poses: p50 ${num(err.p50)} · p95 ${num(err.p95)} · max ${num(err.max)} mm` : ''),
      );
    }
    if (r.error) lines.push(`${r.scenario} · ${runLabel(r)} failed: ${r.error.split('\n')[0]}`);
    if (r.generator?.stateErrors.length) lines.push(`${r.scenario} · ${runLabel(r)} state errors: ${r.generator.stateErrors.slice(0, 3).join('; ')}`);
  }
  const overhead = metricsOverhead(report.runs);
  if (overhead) {
    lines.push(
      `metrics overhead (crowd ${overhead.bots}, mean of ${overhead.runs} runs each): pose p95 ${num(overhead.p95On)} ms with, ${num(overhead.p95Off)} ms without (${num(ratio(overhead.p95On, overhead.p95Off), 3)}×) · ` +
        `server CPU ${num(overhead.cpuOn)}% with, ${num(overhead.cpuOff)}% without (${num(ratio(overhead.cpuOn, overhead.cpuOff), 3)}×)`,
    );
  }
  if (report.ratios.length) {
    lines.push('', 'Ours (default settings) as a ratio to each baseline at the same crowd size:');
    lines.push(
      pad([
        ['crowd', 'baseline', 'latency p95', 'server CPU', 'down bytes'],
        ...report.ratios.map((x) => [String(x.bots), TARGET_NAMES[x.baseline], `${num(x.latencyP95, 2)}×`, `${num(x.serverCpu, 2)}×`, `${num(x.downBytes, 2)}×`]),
      ]),
    );
  }
  return lines.join('\n');
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const COLOURS = ['#4363d8', '#e6194b', '#3cb44b', '#f58231', '#911eb4', '#46f0f0'];

/** A line chart of one figure against crowd size, one line per server, as inline SVG. */
function chart(title: string, unit: string, runs: RunResult[], value: (r: RunResult) => number | undefined): string {
  const series = new Map<string, Array<[number, number]>>();
  for (const r of runs) {
    const v = value(r);
    if (v === undefined || !Number.isFinite(v)) continue;
    const points = series.get(runLabel(r)) ?? [];
    points.push([r.bots, v]);
    series.set(runLabel(r), points);
  }
  const all = [...series.values()].flat();
  if (!all.length) return '';
  const W = 560, H = 300, L = 60, B = 40, T = 30, R = 160;
  const xs = [...new Set(all.map(([x]) => x))].sort((a, b) => a - b);
  const lx = (x: number) => Math.log(x);
  const xmin = lx(xs[0]!), xmax = lx(xs[xs.length - 1]!);
  const ymax = Math.max(...all.map(([, y]) => y)) * 1.1 || 1;
  const px = (x: number) => L + (xmax === xmin ? (W - L - R) / 2 : ((lx(x) - xmin) / (xmax - xmin)) * (W - L - R));
  const py = (y: number) => H - B - (y / ymax) * (H - B - T);
  let svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" role="img" aria-label="${escapeHtml(title)}">`;
  svg += `<text x="${L}" y="18" font-weight="bold">${escapeHtml(title)}</text>`;
  svg += `<line x1="${L}" y1="${H - B}" x2="${W - R}" y2="${H - B}" stroke="#999"/><line x1="${L}" y1="${T}" x2="${L}" y2="${H - B}" stroke="#999"/>`;
  for (const x of xs) svg += `<text x="${px(x)}" y="${H - B + 16}" text-anchor="middle" font-size="11">${x}</text>`;
  for (let i = 0; i <= 4; i++) {
    const y = (ymax / 4) * i;
    svg += `<text x="${L - 6}" y="${py(y) + 4}" text-anchor="end" font-size="11">${y < 10 ? y.toFixed(1) : y.toFixed(0)}</text>`;
  }
  svg += `<text x="${(L + W - R) / 2}" y="${H - 6}" text-anchor="middle" font-size="11">participants (log scale) · ${escapeHtml(unit)}</text>`;
  [...series.entries()].forEach(([name, points], i) => {
    const c = COLOURS[i % COLOURS.length];
    const sorted = points.sort((a, b) => a[0] - b[0]);
    svg += `<polyline fill="none" stroke="${c}" stroke-width="2" points="${sorted.map(([x, y]) => `${px(x)},${py(y)}`).join(' ')}"/>`;
    for (const [x, y] of sorted) svg += `<circle cx="${px(x)}" cy="${py(y)}" r="3" fill="${c}"/>`;
    svg += `<text x="${W - R + 10}" y="${T + 14 + i * 16}" font-size="12" fill="${c}">${escapeHtml(name)}</text>`;
  });
  return `${svg}</svg>`;
}

export function renderHtml(report: Report): string {
  const crowd = report.runs.filter((r) => r.kind === 'crowd' && !r.error);
  const charts = [
    chart('Pose latency p95', 'ms', crowd, (r) => r.generator?.latencyMs.p95),
    chart('Server CPU', '% of one core', crowd, (r) => r.serverCpuPercent),
    chart('Downlink per client', 'KB/s', crowd, (r) => (r.generator ? r.generator.downBytesPerClientPerSec / 1024 : undefined)),
    chart('Fan-out time p99', 'ms per patch', crowd, (r) => r.fanoutMs?.p99),
  ].join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Realtime benchmark</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:1200px}pre{background:#f4f4f4;padding:1rem;overflow:auto;font-size:12px}svg{margin:0.5rem;border:1px solid #eee}</style>
</head><body>
<h1>Realtime benchmark</h1>
<p>${escapeHtml(report.when)} · ${report.machine.cores} cores · ${escapeHtml(report.machine.cpu)} · Node ${escapeHtml(report.machine.node)}</p>
<div>${charts}</div>
<pre>${escapeHtml(renderTable(report))}</pre>
</body></html>
`;
}
