/**
 * Where to stand to talk to someone: a little in front of them (where they look), facing them,
 * inside the room; if their front is against a wall, on the side one comes from. The same for the
 * desktop camera and the VR rig.
 */
import { ROOM_HALF_SIZE } from '../../shared/model/worlds';

/** How far from the person one stops, in metres: near enough to talk, not in their face. */
export const GO_TO_DISTANCE = 1.4;
/** How far inside the walls the eye stays. */
const WALL_MARGIN = 0.4;

export interface Spot {
  x: number;
  z: number;
  /** The turn about the vertical that faces them (right-handed, 0 looks down -Z). */
  yaw: number;
}

export function spotNear(me: readonly [number, number], them: readonly [number, number], theirYaw?: number, distance = GO_TO_DISTANCE): Spot {
  const limit = ROOM_HALF_SIZE - WALL_MARGIN;
  const inside = (x: number, z: number) => Math.abs(x) <= limit && Math.abs(z) <= limit;
  let dx: number;
  let dz: number;
  if (theirYaw !== undefined && Number.isFinite(theirYaw) && inside(them[0] - Math.sin(theirYaw) * distance, them[1] - Math.cos(theirYaw) * distance)) {
    // in front of them: where they look
    [dx, dz] = [-Math.sin(theirYaw), -Math.cos(theirYaw)];
  } else {
    dx = me[0] - them[0];
    dz = me[1] - them[1];
    const len = Math.hypot(dx, dz);
    // standing on them already: come round to their +Z side
    if (!(len > 1e-3)) [dx, dz] = [0, 1];
    else [dx, dz] = [dx / len, dz / len];
  }
  const clamp = (v: number) => Math.max(-limit, Math.min(limit, v));
  const x = clamp(them[0] + dx * distance);
  const z = clamp(them[1] + dz * distance);
  // facing them: forward (-sin yaw, -cos yaw) points from the spot to them
  const yaw = Math.atan2(-(them[0] - x), -(them[1] - z));
  return { x, z, yaw };
}
