/**
 * The pose intent read without the schema library: a crowded world takes tens of thousands a
 * second, and the general parser's work per pose was a tenth of the server's time. It accepts
 * exactly what `PoseIntent` accepts and gives the same value; anything else (or anything it is not
 * sure of) returns undefined, and the caller falls back to the schema, which says what is wrong.
 */
import { Device, UNIT_LIMIT, WORLD_EXTENT, type Pose } from './index';

export interface PoseIntentValue {
  type: 'pose';
  head: Pose;
  left: Pose | null;
  right: Pose | null;
  device?: Device;
}

const DEVICES: ReadonlySet<unknown> = new Set(Device.options);

/** A pose as the schema reads it: seven finite numbers, positions within the world, rotation parts within ±1.0001; a fresh array. */
function pose(v: unknown): Pose | undefined {
  if (!Array.isArray(v) || v.length !== 7) return undefined;
  for (let i = 0; i < 7; i++) {
    const n: unknown = v[i];
    if (typeof n !== 'number' || !Number.isFinite(n)) return undefined;
    const limit = i < 3 ? WORLD_EXTENT : UNIT_LIMIT;
    if (n < -limit || n > limit) return undefined;
  }
  return [v[0], v[1], v[2], v[3], v[4], v[5], v[6]] as Pose;
}

export function fastPoseIntent(message: unknown): PoseIntentValue | undefined {
  if (typeof message !== 'object' || message === null || Array.isArray(message)) return undefined;
  if (Object.getPrototypeOf(message) !== Object.prototype) return undefined;
  const m = message as Record<string, unknown>;
  let keys = 0;
  for (const key in m) {
    if (!Object.prototype.hasOwnProperty.call(m, key)) return undefined;
    if (key !== 'type' && key !== 'head' && key !== 'left' && key !== 'right' && key !== 'device') return undefined;
    keys++;
  }
  if (m.type !== 'pose') return undefined;
  const head = pose(m.head);
  if (!head) return undefined;
  const left = m.left === null ? null : pose(m.left);
  const right = m.right === null ? null : pose(m.right);
  if (left === undefined || right === undefined) return undefined;
  const hasDevice = 'device' in m;
  // the schema requires left and right (null or a pose); a device, when present, is one of the four
  if (keys !== (hasDevice ? 5 : 4)) return undefined;
  if (!hasDevice) return { type: 'pose', head, left, right };
  if (m.device === undefined) return { type: 'pose', head, left, right };
  if (!DEVICES.has(m.device)) return undefined;
  return { type: 'pose', head, left, right, device: m.device as Device };
}
