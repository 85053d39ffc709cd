/**
 * Where a dropped or uploaded document goes. A drop on a wall hangs it just in front of the wall,
 * facing into the room; a drop on the floor stands it up there at reading height; anything else
 * puts it a couple of metres in front of the eye, facing it. Pure vector maths on the room box.
 */
import type { Quat, Vec3 } from '../../shared/protocol';

export const DropTarget = { WALL: 'wall', FLOOR: 'floor', NONE: 'none' } as const;
export type DropTarget = (typeof DropTarget)[keyof typeof DropTarget];

export interface Placement {
  position: Vec3;
  rotation: Quat;
  target: DropTarget;
}

export interface RoomBox {
  /** Half the width of the square room, in metres. */
  halfSize: number;
  height: number;
}

/** Distance kept from a wall (the server keeps documents this far inside too). */
export const WALL_GAP = 0.3;
/** Height a document dropped on the floor is stood up at. */
export const FLOOR_DROP_HEIGHT = 1.5;
/** How far in front of the eye a document goes when nothing else says where. */
export const IN_FRONT_DISTANCE = 2;

/** A rotation about the vertical axis that turns a panel's readable side (+Z) towards (dx, dz). */
export function facing(dx: number, dz: number): Quat {
  const yaw = Math.atan2(dx, dz);
  return [0, Math.sin(yaw / 2), 0, Math.cos(yaw / 2)];
}

function clampInside(p: Vec3, room: RoomBox, halfHeight: number): Vec3 {
  const limit = room.halfSize - WALL_GAP;
  const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
  const low = Math.min(halfHeight + 0.05, room.height / 2);
  return [clamp(p[0], -limit, limit), clamp(p[1], low, Math.max(low, room.height - halfHeight - 0.05)), clamp(p[2], -limit, limit)];
}

interface Hit {
  t: number;
  target: DropTarget;
  /** Inward normal of the surface hit (walls only). */
  normal: [number, number];
}

/** The first surface of the room the ray meets from inside, if any besides the ceiling. */
function firstHit(origin: Vec3, dir: Vec3, room: RoomBox): Hit | null {
  const h = room.halfSize;
  const candidates: Hit[] = [];
  const add = (t: number, target: DropTarget, normal: [number, number]) => {
    if (!(t > 1e-6) || !Number.isFinite(t)) return;
    const p = [origin[0] + dir[0] * t, origin[1] + dir[1] * t, origin[2] + dir[2] * t];
    const eps = 1e-6;
    if (Math.abs(p[0]!) > h + eps || Math.abs(p[2]!) > h + eps || p[1]! < -eps || p[1]! > room.height + eps) return;
    candidates.push({ t, target, normal });
  };
  if (dir[0]) {
    add((h - origin[0]) / dir[0], DropTarget.WALL, [-1, 0]);
    add((-h - origin[0]) / dir[0], DropTarget.WALL, [1, 0]);
  }
  if (dir[2]) {
    add((h - origin[2]) / dir[2], DropTarget.WALL, [0, -1]);
    add((-h - origin[2]) / dir[2], DropTarget.WALL, [0, 1]);
  }
  if (dir[1]) {
    add(-origin[1] / dir[1], DropTarget.FLOOR, [0, 0]);
    add((room.height - origin[1]) / dir[1], DropTarget.NONE, [0, 0]);
  }
  candidates.sort((a, b) => a.t - b.t);
  const first = candidates[0];
  return first && first.target !== DropTarget.NONE ? first : null;
}

/**
 * Placement for a drop along the pointer ray from the eye. `halfHeight` is half the height of the
 * document being placed, so it neither sinks into the floor nor pokes through the ceiling.
 */
export function placementForRay(origin: Vec3, direction: Vec3, room: RoomBox, halfHeight: number): Placement {
  const len = Math.hypot(...direction) || 1;
  const dir: Vec3 = [direction[0] / len, direction[1] / len, direction[2] / len];
  const hit = firstHit(origin, dir, room);
  if (hit?.target === DropTarget.WALL) {
    const p: Vec3 = [origin[0] + dir[0] * hit.t + hit.normal[0] * WALL_GAP, origin[1] + dir[1] * hit.t, origin[2] + dir[2] * hit.t + hit.normal[1] * WALL_GAP];
    return { position: clampInside(p, room, halfHeight), rotation: facing(hit.normal[0], hit.normal[1]), target: DropTarget.WALL };
  }
  if (hit?.target === DropTarget.FLOOR) {
    const p = clampInside([origin[0] + dir[0] * hit.t, FLOOR_DROP_HEIGHT, origin[2] + dir[2] * hit.t], room, halfHeight);
    return { position: p, rotation: facing(origin[0] - p[0], origin[2] - p[2]), target: DropTarget.FLOOR };
  }
  return inFront(origin, dir, room, halfHeight);
}

/** Placement straight ahead of the eye (the Upload button), level with it, facing it. */
export function placementInFront(origin: Vec3, forward: Vec3, room: RoomBox, halfHeight: number): Placement {
  const flat = Math.hypot(forward[0], forward[2]);
  const dir: Vec3 = flat > 1e-6 ? [forward[0] / flat, 0, forward[2] / flat] : [0, 0, -1];
  return inFront([origin[0], origin[1] - 0.1, origin[2]], dir, room, halfHeight);
}

function inFront(origin: Vec3, dir: Vec3, room: RoomBox, halfHeight: number): Placement {
  const d = IN_FRONT_DISTANCE;
  const p = clampInside([origin[0] + dir[0] * d, origin[1] + dir[1] * d, origin[2] + dir[2] * d], room, halfHeight);
  const toEyeX = origin[0] - p[0];
  const toEyeZ = origin[2] - p[2];
  // straight above or below the eye there is no "towards": face the way the eye looks from
  const rotation = Math.hypot(toEyeX, toEyeZ) > 1e-3 ? facing(toEyeX, toEyeZ) : facing(-dir[0], -dir[2]);
  return { position: p, rotation, target: DropTarget.NONE };
}
