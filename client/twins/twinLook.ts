/**
 * What a device's twin shows, worked out without Babylon or a canvas: its colour on the scale, the
 * value and status lines, the alarm banner, the command buttons it offers, the words for a
 * command's outcome, and the shapes of its history chart and panel. The gauge, the prop readout
 * and the panel draw these; the tests read them.
 */
import { scaleOf, type TwinCommand } from '../../shared/model/iot';

/** The fields of a twin (TwinState in shared/schema/WorldState.ts) its look depends on. */
export interface TwinFacts {
  name: string;
  metric: string;
  unit: string;
  min: number;
  max: number;
  lowOn: boolean;
  low: number;
  highOn: boolean;
  high: number;
  value: number;
  /** When the reading was taken, ms since 1970; 0 before the first. */
  at: number;
  alarm: boolean;
  online: boolean;
}

/** The colour scale from the bottom of a twin's range to the top: blue, green, amber, red. */
export const SCALE_STOPS: ReadonlyArray<readonly [number, readonly [number, number, number]]> = [
  [0, [47, 125, 225]],
  [0.35, [46, 179, 90]],
  [0.7, [240, 160, 32]],
  [1, [224, 52, 44]],
];
export const ALARM_RED = '#e0342c';
/** A twin with no reading or whose device is away: no colour claims anything. */
export const NO_READING_GREY = '#8a909a';

const hex = (rgb: readonly number[]) => `#${rgb.map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`;

/** The scale's colour at `t` (0..1, clamped), as #rrggbb. */
export function scaleColour(t: number): string {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0));
  for (let i = 1; i < SCALE_STOPS.length; i++) {
    const [t1, c1] = SCALE_STOPS[i]!;
    if (x > t1) continue;
    const [t0, c0] = SCALE_STOPS[i - 1]!;
    const k = (x - t0) / (t1 - t0);
    return hex(c0.map((c, j) => c + (c1[j]! - c) * k));
  }
  return hex(SCALE_STOPS[SCALE_STOPS.length - 1]![1]);
}

/** The colour a twin wears: red in alarm, grey before its first reading or while its device is away, else its place on the scale. */
export function twinColour(t: TwinFacts): string {
  if (t.alarm) return ALARM_RED;
  if (t.at === 0 || !t.online) return NO_READING_GREY;
  return scaleColour(scaleOf(t, t.value));
}

/** A number as people read it: two decimals below 10, one below 1000, none above; no trailing zeros. */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return '–';
  const a = Math.abs(v);
  const shown = Number(v.toFixed(a < 10 ? 2 : a < 1000 ? 1 : 0));
  return String(Object.is(shown, -0) ? 0 : shown);
}

export const withUnit = (v: number, unit: string) => (unit ? `${formatNumber(v)} ${unit}` : formatNumber(v));

/** The large text: the value with its unit, or a dash before the first reading. */
export function valueText(t: TwinFacts): string {
  return t.at === 0 ? '–' : withUnit(t.value, t.unit);
}

const clock = (ms: number) => new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/**
 * The line under the value: whether there is a reading and when it was taken, or that the device
 * is away. A clock time rather than "3 s ago", so the face changes only when a reading does.
 */
export function statusText(t: TwinFacts): string {
  if (!t.online) return t.at ? `offline · last reading ${clock(t.at)}` : 'offline · no reading yet';
  return t.at ? `updated ${clock(t.at)}` : 'no reading yet';
}

/** The banner of a twin in alarm, with the bound it broke; '' when not in alarm. */
export function alarmText(t: TwinFacts): string {
  if (!t.alarm) return '';
  if (t.highOn && t.value > t.high) return `ALARM · above ${withUnit(t.high, t.unit)}`;
  if (t.lowOn && t.value < t.low) return `ALARM · below ${withUnit(t.low, t.unit)}`;
  return 'ALARM';
}

/** Everything a face shows, as one string: the face is drawn again only when this changes. */
export function faceKey(t: TwinFacts): string {
  return [t.name, t.metric, t.unit, t.min, t.max, t.lowOn, t.low, t.highOn, t.high, valueText(t), statusText(t), t.alarm, t.online].join('|');
}

/** The needle's angle on a dial sweeping `sweep` radians clockwise from `start` (canvas angles). */
export function needleAngle(t: TwinFacts, start: number, sweep: number): number {
  return start + sweep * (t.at === 0 ? 0 : scaleOf(t, t.value));
}

/** The twin's command buttons from the state's JSON, leaving out anything malformed (at most six). */
export function commandsOf(json: string): TwinCommand[] {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return [];
  }
  if (!Array.isArray(raw)) return [];
  return raw
    .filter((c): c is TwinCommand => typeof c === 'object' && c !== null && typeof c.label === 'string' && typeof c.name === 'string' && typeof c.params === 'object' && c.params !== null)
    .slice(0, 6)
    .map((c) => ({ label: c.label, name: c.name, params: c.params }));
}

/** A command as the server answers it (CommandRecord, server/adapters/storage/IotStore.ts). */
export interface CommandAnswer {
  state: string;
  result?: unknown;
  error?: string;
}

/** A device's result in a few words: `target: 18` for a small object, else short JSON. */
function resultWords(result: unknown): string {
  if (result === undefined || result === null) return '';
  if (typeof result === 'object' && !Array.isArray(result)) {
    const entries = Object.entries(result as Record<string, unknown>);
    if (entries.length <= 3 && entries.every(([, v]) => ['string', 'number', 'boolean'].includes(typeof v))) return entries.map(([k, v]) => `${k}: ${String(v)}`).join(', ');
  }
  const text = JSON.stringify(result);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

/** What became of a command, in words the person can act on. */
export function commandOutcome(c: CommandAnswer): { text: string; ok: boolean | null } {
  switch (c.state) {
    case 'done': {
      const words = resultWords(c.result);
      return { text: words ? `done · ${words}` : 'done', ok: true };
    }
    case 'failed':
      return { text: `failed: ${c.error || 'the device gave no reason'}`, ok: false };
    case 'timed_out':
      return { text: 'timed out: the device did not answer in time', ok: false };
    case 'expired':
      return { text: 'expired: the device did not come back in time', ok: false };
    case 'queued':
      return { text: 'waiting: the device is offline and gets it when it comes back', ok: null };
    case 'sent':
      return { text: 'sent: no answer yet', ok: null };
    default:
      return { text: c.state, ok: null };
  }
}

/** One point of a twin's history: a reading, or a bucket's mean with its extremes. */
export interface ChartSample {
  t: number;
  v: number;
  min?: number;
  max?: number;
}

/**
 * The history and the live readings as one series, oldest first: live readings newer than the last
 * stored sample follow it (the stored ones win where both exist).
 */
export function mergeSeries(history: readonly ChartSample[], live: readonly ChartSample[]): ChartSample[] {
  const last = history.length ? history[history.length - 1]!.t : -Infinity;
  return [...history, ...live.filter((p) => p.t > last)].sort((a, b) => a.t - b.t);
}

/** The chart's vertical range: the twin's scale, widened to take in readings outside it. */
export function chartRange(t: Pick<TwinFacts, 'min' | 'max'>, series: readonly ChartSample[]): { lo: number; hi: number } {
  let lo = t.min;
  let hi = t.max;
  for (const p of series) {
    lo = Math.min(lo, p.min ?? p.v);
    hi = Math.max(hi, p.max ?? p.v);
  }
  return hi > lo ? { lo, hi } : { lo: lo - 1, hi: hi + 1 };
}

/**
 * The time the chart spans, ending now: back to the oldest reading within `longest` (the last
 * hour), but never less than `shortest`, so a device that began a minute ago is not a dot at the
 * right-hand edge of an empty hour.
 */
export function chartSpan(series: readonly ChartSample[], now: number, longest: number, shortest: number): { from: number; to: number } {
  const oldest = series.find((p) => p.t >= now - longest)?.t ?? now;
  const length = Math.min(longest, Math.max(shortest, (now - oldest) * 1.1));
  return { from: now - length, to: now };
}

/** How long ago a time on the chart's axis is, in words: "now", "45 s ago", "12 min ago". */
export function agoText(ms: number): string {
  if (ms < 1000) return 'now';
  return ms < 120_000 ? `${Math.round(ms / 1000)} s ago` : `${Math.round(ms / 60_000)} min ago`;
}

/** Where a sample lands in a chart box (pixels, y down) spanning `from`..`to` and `lo`..`hi`. */
export function plot(p: { t: number; v: number }, span: { from: number; to: number; lo: number; hi: number }, box: { x: number; y: number; w: number; h: number }): { x: number; y: number } {
  const fx = (p.t - span.from) / (span.to - span.from || 1);
  const fy = (p.v - span.lo) / (span.hi - span.lo || 1);
  return { x: box.x + Math.min(1, Math.max(0, fx)) * box.w, y: box.y + (1 - Math.min(1, Math.max(0, fy))) * box.h };
}

/** A rectangle in canvas pixels. */
export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Where the panel's command buttons go: one row across `width`, as many as there are, at most `maxW` each, centred. */
export function buttonRow(count: number, width: number, top: number, height: number, gap: number, maxW: number): Rect[] {
  if (count <= 0) return [];
  const w = Math.min(maxW, (width - gap * (count - 1)) / count);
  const left = (width - (w * count + gap * (count - 1))) / 2;
  return Array.from({ length: count }, (_, i) => ({ x: left + i * (w + gap), y: top, w, h: height }));
}

type V3 = [number, number, number];

/**
 * Where a panel opens for someone: `distance` ahead along their gaze kept level, `drop` times the
 * distance below the eyes, upright and turned to face them (its unturned face looks down +Z).
 */
export function panelPose(eye: V3, gaze: V3, distance: number, drop = 0.12): { position: V3; yaw: number } {
  let [fx, fz] = [gaze[0], gaze[2]];
  const flat = Math.hypot(fx, fz);
  [fx, fz] = flat < 1e-6 ? [0, -1] : [fx / flat, fz / flat];
  return { position: [eye[0] + fx * distance, eye[1] - drop * distance, eye[2] + fz * distance], yaw: Math.atan2(fx, fz) + Math.PI };
}
