/**
 * Devices and their telemetry: the one topic and payload convention every device speaks (MQTT, HTTP
 * or CoAP), read by the server and written by the device simulator. docs/iot.md describes it for
 * people who build devices.
 */

/** Every device topic starts here: `dwc/<deviceId>/<channel>`. */
export const TOPIC_ROOT = 'dwc';

/** What a device publishes. */
export const DEVICE_PUBLISHES = ['telemetry', 'telemetry/bin', 'status', 'commands/ack', 'firmware/progress'] as const;
/** What a device subscribes to (`errors`: why a message it sent was not used). */
export const DEVICE_SUBSCRIBES = ['commands', 'firmware', 'errors'] as const;
export type PublishChannel = (typeof DEVICE_PUBLISHES)[number];
export type SubscribeChannel = (typeof DEVICE_SUBSCRIBES)[number];

/** A metric's name: a letter, then letters, digits, `_`, `.` or `-`; at most 40 characters. */
export const METRIC_NAME = /^[A-Za-z][A-Za-z0-9_.-]{0,39}$/;
/** The most metrics one message may carry. */
export const MAX_METRICS = 32;
/** The largest telemetry message, in bytes, over any protocol. */
export const MAX_TELEMETRY_BYTES = 4096;
/** How far in the past and the future a reading's own time may lie (older or later is refused). */
export const PAST_LIMIT_MS = 7 * 24 * 3600_000;
export const FUTURE_LIMIT_MS = 5 * 60_000;

export const BINARY_VERSION = 1;
const HAS_TIME = 1;

export function deviceTopic(deviceId: string, channel: PublishChannel | SubscribeChannel): string {
  return `${TOPIC_ROOT}/${deviceId}/${channel}`;
}

/** Every topic a device uses, by channel: what the broker route tells a device's owner. */
export function deviceTopics(deviceId: string): { publishes: Record<PublishChannel, string>; subscribes: Record<SubscribeChannel, string> } {
  const of = <C extends PublishChannel | SubscribeChannel>(list: readonly C[]) => Object.fromEntries(list.map((c) => [c, deviceTopic(deviceId, c)])) as Record<C, string>;
  return { publishes: of(DEVICE_PUBLISHES), subscribes: of(DEVICE_SUBSCRIBES) };
}

/** The device and channel a topic names, or null for a topic outside the convention. */
export function parseDeviceTopic(topic: string): { deviceId: string; channel: string } | null {
  if (!topic.startsWith(`${TOPIC_ROOT}/`)) return null;
  const rest = topic.slice(TOPIC_ROOT.length + 1);
  const slash = rest.indexOf('/');
  if (slash <= 0) return null;
  return { deviceId: rest.slice(0, slash), channel: rest.slice(slash + 1) };
}

/** One message's readings at one time (ms since the epoch). */
export interface Reading {
  ts: number;
  values: Record<string, number>;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };
const refuse = (error: string): { ok: false; error: string } => ({ ok: false, error });

function checkTime(ts: number, now: number): string | null {
  if (!Number.isFinite(ts)) return 'its time is not a number of milliseconds or an ISO time';
  if (ts < now - PAST_LIMIT_MS) return 'its time is more than 7 days ago';
  if (ts > now + FUTURE_LIMIT_MS) return "its time is more than 5 minutes ahead of the server's clock";
  return null;
}

function checkValues(entries: Array<[string, unknown]>): Parsed<Record<string, number>> {
  if (entries.length === 0) return refuse('it carries no values');
  if (entries.length > MAX_METRICS) return refuse(`it carries ${entries.length} values; at most ${MAX_METRICS} fit in one message`);
  const values: Record<string, number> = Object.create(null) as Record<string, number>;
  for (const [name, raw] of entries) {
    if (!METRIC_NAME.test(name)) return refuse(`"${name.slice(0, 40)}" is not a metric name (a letter, then letters, digits, _ . -; at most 40)`);
    const value = typeof raw === 'boolean' ? Number(raw) : raw;
    if (typeof value !== 'number' || !Number.isFinite(value)) return refuse(`the value of "${name}" is not a finite number or a boolean`);
    values[name] = value;
  }
  return { ok: true, value: values };
}

/**
 * Reads a JSON telemetry message: either the values themselves (`{"temperature": 21.5}`) or
 * `{"ts": <ms or ISO time>, "values": {...}}`. Booleans count as 1 and 0.
 */
export function parseJsonTelemetry(payload: string, now: number): Parsed<Reading> {
  if (payload.length > MAX_TELEMETRY_BYTES) return refuse(`the message is over ${MAX_TELEMETRY_BYTES} bytes`);
  let body: unknown;
  try {
    body = JSON.parse(payload);
  } catch {
    return refuse('the message is not JSON (send JSON on telemetry, or the binary form on telemetry/bin)');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return refuse('the message is not a JSON object');
  const obj = body as Record<string, unknown>;
  const wrapped = 'values' in obj;
  let ts = now;
  if (wrapped) {
    if (obj.ts !== undefined) ts = typeof obj.ts === 'string' ? Date.parse(obj.ts) : typeof obj.ts === 'number' ? obj.ts : NaN;
    const timeError = checkTime(ts, now);
    if (timeError) return refuse(`the message is refused: ${timeError}`);
    if (typeof obj.values !== 'object' || obj.values === null || Array.isArray(obj.values)) return refuse('"values" is not an object of metric names and numbers');
  }
  const values = checkValues(Object.entries(wrapped ? (obj.values as Record<string, unknown>) : obj));
  return values.ok ? { ok: true, value: { ts, values: values.value } } : values;
}

/**
 * Reads the compact binary form: byte 0 the version (1); byte 1 flags (bit 0: a time follows, as 6
 * bytes of milliseconds since the epoch, big-endian); then per value one byte of name length, the
 * name in ASCII and a big-endian float32.
 */
export function parseBinaryTelemetry(payload: Uint8Array, now: number): Parsed<Reading> {
  if (payload.byteLength > MAX_TELEMETRY_BYTES) return refuse(`the message is over ${MAX_TELEMETRY_BYTES} bytes`);
  if (payload.byteLength < 2) return refuse('the binary message is shorter than its 2-byte header');
  if (payload[0] !== BINARY_VERSION) return refuse(`the binary message's version is ${payload[0]}; this server reads version ${BINARY_VERSION}`);
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  let at = 2;
  let ts = now;
  if (payload[1]! & HAS_TIME) {
    if (payload.byteLength < 8) return refuse('the binary message says a time follows, and it does not');
    ts = view.getUint16(2) * 2 ** 32 + view.getUint32(4);
    at = 8;
    const timeError = checkTime(ts, now);
    if (timeError) return refuse(`the message is refused: ${timeError}`);
  }
  const entries: Array<[string, unknown]> = [];
  while (at < payload.byteLength) {
    const len = payload[at]!;
    if (len === 0 || at + 1 + len + 4 > payload.byteLength) return refuse(`the binary message is cut short in its value at byte ${at}`);
    let name = '';
    for (let i = 0; i < len; i++) name += String.fromCharCode(payload[at + 1 + i]!);
    entries.push([name, view.getFloat32(at + 1 + len)]);
    at += 1 + len + 4;
    if (entries.length > MAX_METRICS) break;
  }
  const values = checkValues(entries);
  return values.ok ? { ok: true, value: { ts, values: values.value } } : values;
}

/** Writes the compact binary form (for devices written in TypeScript, and the simulator). */
export function encodeBinaryTelemetry(values: Record<string, number>, ts?: number): Uint8Array {
  const names = Object.keys(values);
  const size = 2 + (ts === undefined ? 0 : 6) + names.reduce((n, name) => n + 1 + name.length + 4, 0);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  out[0] = BINARY_VERSION;
  out[1] = ts === undefined ? 0 : HAS_TIME;
  let at = 2;
  if (ts !== undefined) {
    view.setUint16(2, Math.floor(ts / 2 ** 32));
    view.setUint32(4, ts % 2 ** 32);
    at = 8;
  }
  for (const name of names) {
    out[at] = name.length;
    for (let i = 0; i < name.length; i++) out[at + 1 + i] = name.charCodeAt(i) & 0x7f;
    view.setFloat32(at + 1 + name.length, values[name]!);
    at += 1 + name.length + 4;
  }
  return out;
}

/** How a device's command is answered, as it moves on. */
export const COMMAND_STATES = ['queued', 'sent', 'done', 'failed', 'timed_out', 'expired'] as const;
export type CommandState = (typeof COMMAND_STATES)[number];
export const COMMAND_FINAL: ReadonlySet<CommandState> = new Set(['done', 'failed', 'timed_out', 'expired']);

/** What the server sends a device on `commands`. */
export interface CommandMessage {
  id: string;
  name: string;
  params: Record<string, unknown>;
  /** ISO time after which the device should not act on it. */
  expiresAt: string;
}

/** What a device answers on `commands/ack`. */
export interface CommandAck {
  id: string;
  ok: boolean;
  result?: unknown;
  error?: string;
}

export function parseCommandAck(payload: string): Parsed<CommandAck> {
  if (payload.length > MAX_TELEMETRY_BYTES) return refuse(`the acknowledgement is over ${MAX_TELEMETRY_BYTES} bytes`);
  let body: unknown;
  try {
    body = JSON.parse(payload);
  } catch {
    return refuse('the acknowledgement is not JSON');
  }
  const b = body as Partial<CommandAck> | null;
  if (typeof b !== 'object' || b === null || typeof b.id !== 'string' || b.id.length > 64 || typeof b.ok !== 'boolean') return refuse('an acknowledgement is {"id": "<command id>", "ok": true|false, "result"?: ..., "error"?: "..."}');
  if (b.error !== undefined && typeof b.error !== 'string') return refuse('"error" is a sentence saying what went wrong');
  return { ok: true, value: { id: b.id, ok: b.ok, ...(b.result !== undefined ? { result: b.result } : {}), ...(b.error ? { error: b.error.slice(0, 500) } : {}) } };
}

/**
 * How a device stands in a world as a twin: a gauge of its own, or a prop of the world it colours,
 * showing one metric on a scale from `min` to `max`, in alarm outside `[alarmLow, alarmHigh]`, with
 * buttons for the commands people may give it.
 */
export interface TwinConfig {
  metric: string;
  /** What the twin is called in the world; the device's name when empty. */
  label: string;
  unit: string;
  /** A prop of the world the twin is (it takes the colour and carries the readout); "" for a gauge of its own. */
  propId: string;
  position: [number, number, number];
  /** Turn about the vertical, radians. */
  yaw: number;
  min: number;
  max: number;
  alarmLow: number | null;
  alarmHigh: number | null;
  commands: TwinCommand[];
}

export interface TwinCommand {
  label: string;
  name: string;
  params: Record<string, unknown>;
}

/** Whether a reading is out of the twin's range (at or past a bound is not yet out). */
export function inAlarm(twin: Pick<TwinConfig, 'alarmLow' | 'alarmHigh'>, value: number): boolean {
  return (twin.alarmLow !== null && value < twin.alarmLow) || (twin.alarmHigh !== null && value > twin.alarmHigh);
}

/** Where a value lies on the twin's scale, 0 to 1 (clamped): the needle's place and the colour. */
export function scaleOf(twin: Pick<TwinConfig, 'min' | 'max'>, value: number): number {
  const span = twin.max - twin.min;
  if (!(span > 0) || !Number.isFinite(value)) return 0;
  return Math.min(1, Math.max(0, (value - twin.min) / span));
}

/** A twin as a world's room is told of it: the device, how it stands, and its latest reading if any. */
export interface TwinView {
  deviceId: string;
  name: string;
  type: string;
  twin: TwinConfig;
  online: boolean;
  /** The latest reading of its metric (null before the first since the server started). */
  value: number | null;
  at: number;
}

/** How a device's firmware update moves on; the last three are final. */
export const UPDATE_STATES = ['pending', 'notified', 'downloading', 'installing', 'done', 'failed', 'superseded'] as const;
export type UpdateState = (typeof UPDATE_STATES)[number];
export const UPDATE_FINAL: ReadonlySet<UpdateState> = new Set(['done', 'failed', 'superseded']);

/** What the server sends a device on `firmware`: the image to fetch (with its key) and check. */
export interface FirmwareNotice {
  updateId: string;
  firmwareId: string;
  version: string;
  sha256: string;
  size: number;
  /** Where to GET the image on the server's HTTP address, with the header X-Device-Key. */
  path: string;
  rollback: boolean;
}

/** What a device reports on `firmware/progress`. */
export interface FirmwareProgress {
  updateId: string;
  state: 'downloading' | 'installing' | 'done' | 'failed';
  progress?: number;
  error?: string;
}

const PROGRESS_STATES = new Set(['downloading', 'installing', 'done', 'failed']);

export function parseFirmwareProgress(payload: string): Parsed<FirmwareProgress> {
  if (payload.length > 1024) return refuse('a progress report is at most 1 KB');
  let body: unknown;
  try {
    body = JSON.parse(payload);
  } catch {
    return refuse('the progress report is not JSON');
  }
  const b = body as Partial<FirmwareProgress> | null;
  const usage = 'a progress report is {"updateId": "<from the notice>", "state": "downloading"|"installing"|"done"|"failed", "progress"?: 0-100, "error"?: "why"}';
  if (typeof b !== 'object' || b === null || typeof b.updateId !== 'string' || b.updateId.length > 80 || typeof b.state !== 'string' || !PROGRESS_STATES.has(b.state)) return refuse(usage);
  if (b.progress !== undefined && (typeof b.progress !== 'number' || !(b.progress >= 0 && b.progress <= 100))) return refuse(usage);
  if (b.error !== undefined && typeof b.error !== 'string') return refuse(usage);
  return { ok: true, value: { updateId: b.updateId, state: b.state, ...(b.progress !== undefined ? { progress: b.progress } : {}), ...(b.error ? { error: b.error.slice(0, 500) } : {}) } };
}
