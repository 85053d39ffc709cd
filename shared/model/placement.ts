/**
 * Where a new thing goes in the room so that it hides nothing and nothing hides it: the free spot
 * nearest to where it was wanted, preferring places beside it (as seen by the person it faces) to
 * places in front or behind, inside the room. Everything is seen from above as a flat strip: a
 * panel or a chain is as wide as it is and turned by its yaw, a person is a point. Pure.
 */
import type { Quat, Vec3 } from '../protocol';
import { ROOM_HALF_SIZE } from './worlds';

export interface Footprint {
  position: Vec3;
  /** Turn about the vertical axis, in radians; the thing's readable side faces +Z turned by this. */
  yaw: number;
  /** Half the width along the thing's own X axis; 0 for a person. */
  halfWidth: number;
}

export interface PlaceRequest extends Footprint {
  /** Clear space kept between this and everything else, in metres. */
  gap: number;
  /** Distance between rows when the row it was wanted in is full; 0.9 m unless given. */
  rowStep?: number;
  /** How much worse a metre towards or away from the viewer is than a metre sideways; 3 unless given. */
  depthCost?: number;
  /**
   * How far in front or behind another thing still counts as hiding it (or being hidden by it)
   * when the two overlap side to side; 0 unless given.
   */
  shadow?: number;
  /** Spots further than this from the wanted one are not considered. */
  maxDistance?: number;
  /** Half the room's width; the room shell's unless given. */
  roomHalfSize?: number;
}

/** Distance kept from the walls, as documents keep it. */
export const WALL_MARGIN = 0.3;
/** Space kept between panels placed side by side. */
export const PANEL_GAP = 0.15;
/** How far in front of or behind a panel another one would hide it or be hidden. */
export const PANEL_SHADOW = 1.5;
/** How far apart people stand when they arrive. */
export const PERSON_GAP = 1.1;
/** Where people arrive: the middle of the room towards the entrance, at standing eye height. */
export const SPAWN_POINT: Vec3 = [0, 1.6, 2.5];

/** The yaw of a rotation: which way its readable side (+Z) faces, seen from above. */
export function yawOf(q: Quat): number {
  const [x, y, z, w] = q;
  // +Z rotated by q, projected onto the floor
  const fx = 2 * (x * z + w * y);
  const fz = 1 - 2 * (x * x + y * y);
  return Math.hypot(fx, fz) < 1e-9 ? 0 : Math.atan2(fx, fz);
}

/** A rotation about the vertical axis by `yaw`. */
export function yawRotation(yaw: number): Quat {
  return [0, Math.sin(yaw / 2), 0, Math.cos(yaw / 2)];
}

type P2 = [number, number];
const ends = (f: Footprint): [P2, P2] => {
  const cx = f.position[0];
  const cz = f.position[2];
  // the thing's X axis, seen from above, for a readable side facing (sin yaw, cos yaw)
  const ax = Math.cos(f.yaw) * f.halfWidth;
  const az = -Math.sin(f.yaw) * f.halfWidth;
  return [
    [cx - ax, cz - az],
    [cx + ax, cz + az],
  ];
};

function pointToSegment(p: P2, a: P2, b: P2): number {
  const dx = b[0] - a[0];
  const dz = b[1] - a[1];
  const len2 = dx * dx + dz * dz;
  const t = len2 ? Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dz) / len2)) : 0;
  return Math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dz);
}

const cross = (o: P2, a: P2, b: P2) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);

/** Shortest distance between two footprints seen from above (0 where they cross). */
export function footprintDistance(f: Footprint, g: Footprint): number {
  const [a, b] = ends(f);
  const [c, d] = ends(g);
  const crosses = cross(a, b, c) * cross(a, b, d) < 0 && cross(c, d, a) * cross(c, d, b) < 0;
  if (crosses) return 0;
  return Math.min(pointToSegment(a, c, d), pointToSegment(b, c, d), pointToSegment(c, a, b), pointToSegment(d, a, b));
}

/** Whether `o` stands straight in front of or behind `spot`, close enough to hide or be hidden. */
function inShadow(spot: Footprint, o: Footprint, side: P2, front: P2, req: PlaceRequest): boolean {
  if (!req.shadow) return false;
  const along = (p: P2, axis: P2) => (p[0] - spot.position[0]) * axis[0] + (p[1] - spot.position[2]) * axis[1];
  const [a, b] = ends(o);
  const lo = Math.min(along(a, side), along(b, side));
  const hi = Math.max(along(a, side), along(b, side));
  const reach = spot.halfWidth + req.gap;
  const depth = Math.min(Math.abs(along(a, front)), Math.abs(along(b, front)));
  return hi > -reach + 1e-9 && lo < reach - 1e-9 && depth < req.shadow;
}

/** Spots around the wanted one, cheapest first: sideways before forwards before backwards. */
function candidates(req: PlaceRequest): Array<{ u: number; v: number; cost: number }> {
  const half = req.roomHalfSize ?? ROOM_HALF_SIZE;
  const sideStep = Math.max(0.25, req.halfWidth + req.gap / 2);
  const rowStep = req.rowStep ?? 0.9;
  const depthCost = req.depthCost ?? 3;
  const reach = Math.min(req.maxDistance ?? Infinity, half * 2 * Math.SQRT2);
  const out: Array<{ u: number; v: number; cost: number }> = [];
  for (let j = -Math.floor(reach / rowStep); j <= reach / rowStep; j++) {
    for (let i = -Math.floor(reach / sideStep); i <= reach / sideStep; i++) {
      const u = i * sideStep;
      const v = j * rowStep;
      if (Math.hypot(u, v) > reach + 1e-9) continue;
      // ties go right before left and towards the viewer before away, so the order is fixed
      out.push({ u, v, cost: Math.abs(u) + depthCost * Math.abs(v) + (i < 0 ? 1e-6 : 0) + (j < 0 ? 2e-6 : 0) });
    }
  }
  return out.sort((a, b) => a.cost - b.cost);
}

/**
 * The free spot nearest to the wanted one (the wanted one itself when it is free), at the same
 * height, inside the room; undefined when there is none within reach.
 */
export function findFreeSpot(occupied: readonly Footprint[], req: PlaceRequest): Vec3 | undefined {
  const limit = (req.roomHalfSize ?? ROOM_HALF_SIZE) - WALL_MARGIN;
  const clamp = (v: number) => Math.max(-limit, Math.min(limit, v));
  const [wx, wy, wz] = req.position;
  const want: Vec3 = [clamp(wx), wy, clamp(wz)];
  // sideways is along the thing's own X axis, forwards towards the side it is read from
  const side: P2 = [Math.cos(req.yaw), -Math.sin(req.yaw)];
  const front: P2 = [Math.sin(req.yaw), Math.cos(req.yaw)];
  for (const { u, v } of candidates(req)) {
    const x = want[0] + side[0] * u + front[0] * v;
    const z = want[2] + side[1] * u + front[1] * v;
    const spot: Footprint = { position: [x, wy, z], yaw: req.yaw, halfWidth: req.halfWidth };
    const [a, b] = ends(spot);
    if (Math.max(Math.abs(a[0]), Math.abs(b[0]), Math.abs(a[1]), Math.abs(b[1])) > limit + 1e-9) continue;
    if (occupied.every((o) => footprintDistance(spot, o) >= req.gap - 1e-9 && !inShadow(spot, o, side, front, req))) return spot.position;
  }
  return undefined;
}

/**
 * Where a person arrives: near the entrance end of the room, at least {@link PERSON_GAP} from
 * everyone there, facing the front wall. When the room is too crowded for that, a spot near the
 * arrival point picked by `random`, as before there was any choice.
 */
export function spawnPosition(heads: readonly Vec3[], random: () => number = Math.random): Vec3 {
  const people = heads.map((position) => ({ position, yaw: 0, halfWidth: 0 }));
  const free = findFreeSpot(people, { position: SPAWN_POINT, yaw: 0, halfWidth: 0, gap: PERSON_GAP, rowStep: 1.1, depthCost: 1.5, maxDistance: 4 });
  return free ?? [SPAWN_POINT[0] + (random() - 0.5) * 2, SPAWN_POINT[1], SPAWN_POINT[2] - 0.5 + random()];
}
