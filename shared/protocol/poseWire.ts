/**
 * The binary pose messages of a crowded world. Below the interest threshold poses travel in the
 * state as before; above it, each client gets `poses` every patch with the full poses of the people
 * nearest it, and `crowd` a few times a minute with where everyone else stands. Participants are
 * named by their small per-world number (`ParticipantState.n`) instead of their id, which keeps a
 * record at 63 bytes (near) and 9 bytes (crowd).
 */
import type { Pose } from './index';

/** Server → client binary message types. */
export const PoseMessage = {
  NEAR: 'poses',
  CROWD: 'crowd',
} as const;

/** Positions stay float32 (millimetres survive); rotations are unit quaternions, 1/32767 steps. */
const POSE_BYTES = 3 * 4 + 4 * 2;
export const NEAR_RECORD_MAX = 2 + 1 + 3 * POSE_BYTES;
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

const q16 = (v: number) => Math.max(-32767, Math.min(32767, Math.round(v * 32767)));
const clamp16 = (v: number) => Math.max(-32768, Math.min(32767, Math.round(v)));

function writePose(view: DataView, o: number, p: Pose): number {
  view.setFloat32(o, p[0], true);
  view.setFloat32(o + 4, p[1], true);
  view.setFloat32(o + 8, p[2], true);
  for (let i = 0; i < 4; i++) view.setInt16(o + 12 + i * 2, q16(p[3 + i]!), true);
  return o + POSE_BYTES;
}

function readPose(view: DataView, o: number): Pose {
  return [
    view.getFloat32(o, true),
    view.getFloat32(o + 4, true),
    view.getFloat32(o + 8, true),
    view.getInt16(o + 12, true) / 32767,
    view.getInt16(o + 14, true) / 32767,
    view.getInt16(o + 16, true) / 32767,
    view.getInt16(o + 18, true) / 32767,
  ];
}

/** One participant's full pose as a `poses` record. */
export function encodeNear(r: NearRecord): Uint8Array {
  const bytes = new Uint8Array(3 + POSE_BYTES * (1 + (r.left ? 1 : 0) + (r.right ? 1 : 0)));
  const view = new DataView(bytes.buffer);
  view.setUint16(0, r.n, true);
  view.setUint8(2, (r.left ? 1 : 0) | (r.right ? 2 : 0));
  let o = writePose(view, 3, r.head);
  if (r.left) o = writePose(view, o, r.left);
  if (r.right) writePose(view, o, r.right);
  return bytes;
}

export function decodeNear(bytes: Uint8Array): NearRecord[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: NearRecord[] = [];
  let o = 0;
  while (o + 3 + POSE_BYTES <= bytes.byteLength) {
    const n = view.getUint16(o, true);
    const flags = view.getUint8(o + 2);
    o += 3;
    const head = readPose(view, o);
    o += POSE_BYTES;
    let left: Pose | null = null;
    let right: Pose | null = null;
    if (flags & 1) {
      if (o + POSE_BYTES > bytes.byteLength) break;
      left = readPose(view, o);
      o += POSE_BYTES;
    }
    if (flags & 2) {
      if (o + POSE_BYTES > bytes.byteLength) break;
      right = readPose(view, o);
      o += POSE_BYTES;
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
