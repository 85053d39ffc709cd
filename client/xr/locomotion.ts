/**
 * The comfort rules of moving about in a headset, pure so they are tested without an engine: a
 * teleport keeps the way the person faces, walking stops at the walls, and a dark ring narrows the
 * view while the stick moves or turns them (seeing the world slide past at the edge of the eye is
 * what makes people sick).
 */
import { ROOM_HALF_SIZE } from '../../shared/model/worlds';
import type { Quat } from '../../shared/protocol';
import { multiplyQuat, yawQuat } from './xrMaths';

/** How close to a wall the head may come, in metres (as on the desktop). */
export const WALL_MARGIN = 0.35;

/** A head position on the floor plan (x, z) kept inside the room's walls. */
export function clampToRoom(x: number, z: number, halfSize = ROOM_HALF_SIZE, margin = WALL_MARGIN): [number, number] {
  const limit = Math.max(0, halfSize - margin);
  const keep = (v: number) => (Number.isFinite(v) ? Math.min(limit, Math.max(-limit, v)) : 0);
  return [keep(x), keep(z)];
}

/**
 * The head's rotation after a teleport: what it was before, turned about the vertical by the turn
 * the person chose while aiming (0 when teleport turning is off). Babylon's own teleport adds a
 * half turn in a right-handed scene unless its aim-turning is on, so the rig puts this back.
 */
export function headingAfterTeleport(before: Quat, chosenYaw = 0): Quat {
  return chosenYaw === 0 ? [...before] : multiplyQuat(yawQuat(chosenYaw), before);
}

/** Stick travel below which the stick counts as at rest. */
const DEAD_ZONE = 0.15;
/** How dark the ring gets at full stick, 0..1. */
export const VIGNETTE_STRENGTH = 0.85;
/** How fast the ring closes and opens (full strength per second). */
const FADE_IN = 6;
const FADE_OUT = 3;

/**
 * How strong the ring should be for the sticks as they are: the walking stick's push (x, y), and
 * the turning stick's sideways push when it turns smoothly (snap turns jump, so they need none).
 */
export function vignetteTarget(walk: readonly [number, number], turnX: number, smoothTurn: boolean): number {
  const push = (v: number) => Math.max(0, (Math.min(1, Math.abs(v)) - DEAD_ZONE) / (1 - DEAD_ZONE));
  const moving = push(Math.hypot(walk[0], walk[1]));
  const turning = smoothTurn ? push(turnX) : 0;
  return VIGNETTE_STRENGTH * Math.max(moving, turning);
}

/** One frame of easing from the current strength towards the target: quick in, gentler out. */
export function easeVignette(current: number, target: number, dtSeconds: number): number {
  const dt = Math.max(0, Math.min(0.1, dtSeconds));
  if (target > current) return Math.min(target, current + FADE_IN * dt);
  return Math.max(target, current - FADE_OUT * dt);
}
