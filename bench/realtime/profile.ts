/**
 * What a CPU profile of the server says, in a few lines: where the busy time went by function
 * (its own time, and time including what it called) and by area (our code by folder, each package,
 * Node's own, the garbage collector). The profile is V8's `.cpuprofile` format.
 */

export interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }>;
  samples?: number[];
  timeDeltas?: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileRow {
  name: string;
  /** Milliseconds of busy time. */
  ms: number;
  /** Share of the busy time, 0–1. */
  share: number;
}

export interface ProfileSummary {
  /** The profile's length and how much of it the thread was busy (not idle). */
  windowMs: number;
  busyMs: number;
  /** Functions by their own time. */
  self: ProfileRow[];
  /** Our functions by the time spent in them and what they called. */
  inclusive: ProfileRow[];
  areas: ProfileRow[];
}

const IDLE = '(idle)';

/** Where a function lives, as a reader would name it: our folder, the package, Node, or V8. */
export function areaOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node internals';
  const path = url.replace(/^file:\/\//, '');
  const pkg = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path);
  if (pkg) return pkg[1]!;
  // our code by its first folder: server/rooms, shared/protocol, …
  const ours = /\/(server|shared|bench)\/(?:([^/]+)\/)?/.exec(path);
  if (ours) return ours[2] ? `${ours[1]}/${ours[2]}` : ours[1]!;
  return path.split('/').slice(-2).join('/');
}

const label = (f: { functionName: string; url: string; lineNumber: number }) =>
  `${f.functionName || '(anonymous)'} ${f.url ? `${f.url.replace(/^.*\/(node_modules\/)?/, '')}:${f.lineNumber + 1}` : ''}`.trim();

const isOurs = (url: string) => !url.includes('/node_modules/') && /\/(server|shared)\//.test(url);

function top(map: Map<string, number>, busyMs: number, n: number): ProfileRow[] {
  return [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([name, ms]) => ({ name, ms, share: busyMs > 0 ? ms / busyMs : 0 }));
}

export function summarizeProfile(profile: CpuProfile, n = 12): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const areas = new Map<string, number>();
  let busyMs = 0;
  for (let i = 0; i < samples.length; i++) {
    // a sample stands for the time until the next one (the last, for the mean)
    const ms = (deltas[i + 1] ?? (profile.endTime - profile.startTime) / Math.max(1, samples.length)) / 1000;
    const node = byId.get(samples[i]!);
    if (!node || node.callFrame.functionName === IDLE) continue;
    busyMs += ms;
    const f = node.callFrame;
    self.set(label(f), (self.get(label(f)) ?? 0) + ms);
    const area = areaOf(f.url, f.functionName);
    areas.set(area, (areas.get(area) ?? 0) + ms);
    // each of our functions on the stack counts once, however deep it recurses
    const seen = new Set<string>();
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const frame = byId.get(id)!.callFrame;
      if (!isOurs(frame.url)) continue;
      const key = label(frame);
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + ms);
    }
  }
  return {
    windowMs: (profile.endTime - profile.startTime) / 1000,
    busyMs,
    self: top(self, busyMs, n),
    inclusive: top(inclusive, busyMs, n),
    areas: top(areas, busyMs, n),
  };
}

/** The summary as lines for the terminal (and the README). */
export function renderProfile(title: string, s: ProfileSummary): string {
  const pct = (share: number) => `${(share * 100).toFixed(1).padStart(5)} %`;
  const rows = (rs: ProfileRow[]) => rs.map((r) => `    ${pct(r.share)}  ${r.ms.toFixed(0).padStart(6)} ms  ${r.name}`);
  return [
    `${title}: busy ${s.busyMs.toFixed(0)} ms of ${s.windowMs.toFixed(0)} ms (${((s.busyMs / Math.max(1, s.windowMs)) * 100).toFixed(0)} % of the core)`,
    '  by area (own time):',
    ...rows(s.areas),
    '  functions by own time:',
    ...rows(s.self),
    '  our functions with what they call:',
    ...rows(s.inclusive),
  ].join('\n');
}
