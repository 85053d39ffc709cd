/**
 * The binary pose messages of a crowded world. Below the interest threshold poses travel in the
 * state as before; above it, each client gets `poses` every patch with the full poses of the people
 * nearest it, and `crowd` a few times a minute with where everyone else stands. Participants are
 * named by their small per-world number (`ParticipantState.n`) instead of their id, which keeps a
 * record at 63 bytes (near) and 9 bytes (crowd).
 */
import { Device, type Pose } from './index';

/** Server → client binary message types. */
export const PoseMessage = {
  NEAR: 'poses',
  CROWD: 'crowd',
} as const;

/**
 * A near record: the participant's number (uint16), which hands follow (bit 0 left, bit 1 right),
 * the head's position in millimetres as three signed 24-bit integers (±8 km, far past WORLD_EXTENT)
 * and its rotation in 4 bytes; each hand's position as millimetres from the head's (16-bit: ±32 m)
 * and its rotation in 4 bytes. 36 bytes with both hands, 16 with none.
 */
const HEAD_BYTES = 3 * 3 + 4;
const HAND_BYTES = 3 * 2 + 4;
export const NEAR_RECORD_MAX = 2 + 1 + HEAD_BYTES + 2 * HAND_BYTES;
export const CROWD_RECORD = 2 + 2 * 3 + 1;

export interface NearRecord {
  n: number;
  head: Pose;
  left: Pose | null;
  right: Pose | null;
}

export interface CrowdRecord {
  n: number;
  /** Head position: x and z to 10 cm, height to 1 cm. */
  x: number;
  y: number;
  z: number;
  /** Heading about the vertical axis, radians. */
  yaw: number;
}

const clamp16 = (v: number) => Math.max(-32768, Math.min(32767, Math.round(v)));
const INT24 = 0x7fffff;
const mm24 = (v: number) => Math.max(-INT24, Math.min(INT24, Math.round(v * 1000)));

function writeInt24(view: DataView, o: number, v: number): void {
  view.setUint16(o, v & 0xffff, true);
  view.setInt8(o + 2, v >> 16);
}

function readInt24(view: DataView, o: number): number {
  return view.getUint16(o, true) + view.getInt8(o + 2) * 65536;
}

/**
 * "Smallest three": a unit quaternion's three smallest components, each in [-1/√2, 1/√2] to 10
 * bits, and which one was left out (2 bits). The left-out one is the largest and is made positive
 * (q and -q turn alike), so it follows from the others. Each component is within 0.0007 of the
 * sent one: well under a quarter of a degree.
 */
const SQRT1_2 = Math.SQRT1_2;
const STEPS = 1023;

export function packQuat(x: number, y: number, z: number, w: number): number {
  const q = [x, y, z, w];
  const len = Math.hypot(x, y, z, w) || 1;
  let largest = 0;
  for (let i = 1; i < 4; i++) if (Math.abs(q[i]!) > Math.abs(q[largest]!)) largest = i;
  const sign = q[largest]! < 0 ? -1 : 1;
  let packed = largest;
  for (let i = 0; i < 4; i++) {
    if (i === largest) continue;
    const v = (sign * q[i]!) / len;
    const step = Math.max(0, Math.min(STEPS, Math.round(((v + SQRT1_2) / (2 * SQRT1_2)) * STEPS)));
    packed = packed * 1024 + step;
  }
  return packed >>> 0;
}

export function unpackQuat(packed: number): [number, number, number, number] {
  const q: [number, number, number, number] = [0, 0, 0, 0];
  const largest = Math.floor(packed / 2 ** 30) & 3;
  let rest = packed;
  let sum = 0;
  for (let i = 3; i >= 0; i--) {
    if (i === largest) continue;
    const v = ((rest % 1024) / STEPS) * 2 * SQRT1_2 - SQRT1_2;
    rest = Math.floor(rest / 1024);
    q[i] = v;
    sum += v * v;
  }
  q[largest] = Math.sqrt(Math.max(0, 1 - sum));
  return q;
}

/** Writes the head; returns where its quantised position is, for the hands to be written from. */
function writeHead(view: DataView, o: number, p: Pose): [number, number, number] {
  const at: [number, number, number] = [mm24(p[0]), mm24(p[1]), mm24(p[2])];
  writeInt24(view, o, at[0]);
  writeInt24(view, o + 3, at[1]);
  writeInt24(view, o + 6, at[2]);
  view.setUint32(o + 9, packQuat(p[3], p[4], p[5], p[6]), true);
  return at;
}

function writeHand(view: DataView, o: number, p: Pose, head: [number, number, number]): void {
  for (let i = 0; i < 3; i++) view.setInt16(o + i * 2, clamp16(Math.round(p[i]! * 1000) - head[i]!), true);
  view.setUint32(o + 6, packQuat(p[3], p[4], p[5], p[6]), true);
}

/** Writes which hands follow, the head and the hands from `o`. */
function writeBody(view: DataView, o: number, r: { head: Pose; left: Pose | null; right: Pose | null }): void {
  view.setUint8(o, (r.left ? 1 : 0) | (r.right ? 2 : 0));
  const head = writeHead(view, o + 1, r.head);
  o += 1 + HEAD_BYTES;
  if (r.left) {
    writeHand(view, o, r.left, head);
    o += HAND_BYTES;
  }
  if (r.right) writeHand(view, o, r.right, head);
}

const bodyBytes = (r: { left: Pose | null; right: Pose | null }) => 1 + HEAD_BYTES + HAND_BYTES * ((r.left ? 1 : 0) + (r.right ? 1 : 0));

/** One participant's full pose as a `poses` record. */
export function encodeNear(r: NearRecord): Uint8Array {
  const bytes = new Uint8Array(2 + bodyBytes(r));
  const view = new DataView(bytes.buffer);
  view.setUint16(0, r.n, true);
  writeBody(view, 2, r);
  return bytes;
}

/**
 * The pose a client sends, as binary: the device it is on (0: not said, then desktop, vr, ar,
 * mobile), then the record's body as in `poses` (which hands, head, hands). 35 bytes at most against
 * some 200 as a message of numbers, and nothing to decode but fixed places.
 */
/** The protocol's devices in their wire order (a new one goes at the end: the codes are on the wire). */
const POSE_DEVICES: readonly Device[] = Device.options;
export const POSE_UPLINK_MAX = 1 + 1 + HEAD_BYTES + 2 * HAND_BYTES;
const POSE_UPLINK_MIN = 1 + 1 + HEAD_BYTES;

export interface PoseUplink {
  head: Pose;
  left: Pose | null;
  right: Pose | null;
  device?: Device;
}

export function encodePoseUplink(p: PoseUplink): Uint8Array {
  const bytes = new Uint8Array(1 + bodyBytes(p));
  const view = new DataView(bytes.buffer);
  view.setUint8(0, p.device ? POSE_DEVICES.indexOf(p.device) + 1 : 0);
  writeBody(view, 1, p);
  return bytes;
}

/** A client's binary pose, or what is wrong with it (a reason to send back). */
export function decodePoseUplink(bytes: Uint8Array, extent: number): PoseUplink | string {
  if (bytes.byteLength < 2) return `a binary pose is ${POSE_UPLINK_MAX} bytes at most and ${POSE_UPLINK_MIN} at least, not ${bytes.byteLength}`;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const device = view.getUint8(0);
  const flags = view.getUint8(1);
  if (device > POSE_DEVICES.length) return `unknown device ${device} (0 to ${POSE_DEVICES.length})`;
  if (flags > 3) return `unknown hand flags ${flags} (0 to 3)`;
  const size = 1 + 1 + HEAD_BYTES + HAND_BYTES * ((flags & 1) + ((flags >> 1) & 1));
  if (bytes.byteLength !== size) return `a binary pose with these hands is ${size} bytes, not ${bytes.byteLength}`;
  let o = 2;
  const head: Pose = [readInt24(view, o) / 1000, readInt24(view, o + 3) / 1000, readInt24(view, o + 6) / 1000, ...unpackQuat(view.getUint32(o + 9, true))];
  o += HEAD_BYTES;
  const left = flags & 1 ? readHand(view, o, head) : null;
  if (left) o += HAND_BYTES;
  const right = flags & 2 ? readHand(view, o, head) : null;
  for (const p of [head, left, right]) {
    if (p && (Math.abs(p[0]) > extent || Math.abs(p[1]) > extent || Math.abs(p[2]) > extent)) return `a position is more than ${extent} m from the world's origin`;
  }
  return device ? { head, left, right, device: POSE_DEVICES[device - 1]! } : { head, left, right };
}

function readHand(view: DataView, o: number, head: Pose): Pose {
  return [
    head[0] + view.getInt16(o, true) / 1000,
    head[1] + view.getInt16(o + 2, true) / 1000,
    head[2] + view.getInt16(o + 4, true) / 1000,
    ...unpackQuat(view.getUint32(o + 6, true)),
  ];
}

export function decodeNear(bytes: Uint8Array): NearRecord[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: NearRecord[] = [];
  let o = 0;
  while (o + 3 + HEAD_BYTES <= bytes.byteLength) {
    const n = view.getUint16(o, true);
    const flags = view.getUint8(o + 2);
    const size = 3 + HEAD_BYTES + HAND_BYTES * ((flags & 1) + ((flags >> 1) & 1));
    if (o + size > bytes.byteLength) break;
    o += 3;
    const head: Pose = [readInt24(view, o) / 1000, readInt24(view, o + 3) / 1000, readInt24(view, o + 6) / 1000, ...unpackQuat(view.getUint32(o + 9, true))];
    o += HEAD_BYTES;
    let left: Pose | null = null;
    let right: Pose | null = null;
    if (flags & 1) {
      left = readHand(view, o, head);
      o += HAND_BYTES;
    }
    if (flags & 2) {
      right = readHand(view, o, head);
      o += HAND_BYTES;
    }
    out.push({ n, head, left, right });
  }
  return out;
}

/** Heading of a head's rotation quaternion about the vertical axis. */
export function yawOf(q: readonly number[]): number {
  const [x, y, z, w] = [q[3]!, q[4]!, q[5]!, q[6]!];
  return Math.atan2(2 * (w * y + x * z), 1 - 2 * (y * y + x * x));
}

export function encodeCrowd(records: readonly CrowdRecord[]): Uint8Array {
  const bytes = new Uint8Array(records.length * CROWD_RECORD);
  const view = new DataView(bytes.buffer);
  records.forEach((r, i) => {
    const o = i * CROWD_RECORD;
    view.setUint16(o, r.n, true);
    view.setInt16(o + 2, clamp16(r.x * 10), true);
    view.setInt16(o + 4, clamp16(r.y * 100), true);
    view.setInt16(o + 6, clamp16(r.z * 10), true);
    view.setUint8(o + 8, Math.round(((r.yaw / (2 * Math.PI)) % 1 + 1) * 256) % 256);
  });
  return bytes;
}

export function decodeCrowd(bytes: Uint8Array): CrowdRecord[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: CrowdRecord[] = [];
  for (let o = 0; o + CROWD_RECORD <= bytes.byteLength; o += CROWD_RECORD) {
    const turn = view.getUint8(o + 8) / 256;
    out.push({
      n: view.getUint16(o, true),
      x: view.getInt16(o + 2, true) / 10,
      y: view.getInt16(o + 4, true) / 100,
      z: view.getInt16(o + 6, true) / 10,
      yaw: (turn > 0.5 ? turn - 1 : turn) * 2 * Math.PI,
    });
  }
  return out;
}

/** A standing head at a crowd record's place, facing its heading, as a pose. */
export function crowdPose(r: CrowdRecord): Pose {
  return [r.x, r.y, r.z, 0, Math.sin(r.yaw / 2), 0, Math.cos(r.yaw / 2)];
}
