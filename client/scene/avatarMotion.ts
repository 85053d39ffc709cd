/**
 * The maths that makes a remote body read as alive, kept apart from Babylon so it can be tested:
 * a torso that turns after the head only once the head has turned far enough (as in Hubs and
 * Spatial), walking told from how fast the head moves across the floor, and the small bob, sway
 * and breathing drawn from that.
 */

/** Head yaw this far from the torso's and the torso starts to turn after it. */
export const TORSO_DEADBAND = (35 * Math.PI) / 180;
/** How fast the torso catches up once turning (per second, as a fraction of the gap). */
const TORSO_CATCH_UP = 5;
/** Horizontal head speed (m/s) above which someone is walking, and below which they stop again. */
export const WALK_START = 0.35;
export const WALK_STOP = 0.2;
/** Seconds for the measured speed to follow the real one (smooths the 20 Hz pose steps). */
const SPEED_SMOOTHING = 0.2;
/** Metres per stride: one full bob cycle each two steps. */
const STRIDE = 0.7;
/** Seconds of one breath. */
const BREATH_S = 4;

/** The angle in (-π, π]. */
export function wrapAngle(a: number): number {
  const t = (a + Math.PI) % (2 * Math.PI);
  return (t <= 0 ? t + 2 * Math.PI : t) - Math.PI;
}

/**
 * The torso's yaw after `dt` seconds: still while the head looks around within the dead band, then
 * turning towards the head until it is back inside half of it — so glances do not swivel the body,
 * but facing somewhere new does. A walking body always faces where the head goes.
 */
export function followYaw(torsoYaw: number, headYaw: number, dt: number, turning: boolean, walking: boolean): { yaw: number; turning: boolean } {
  const gap = wrapAngle(headYaw - torsoYaw);
  const keepTurning = walking || Math.abs(gap) > TORSO_DEADBAND || (turning && Math.abs(gap) > TORSO_DEADBAND / 6);
  if (!keepTurning) return { yaw: wrapAngle(torsoYaw), turning: false };
  const step = gap * Math.min(1, TORSO_CATCH_UP * Math.max(0, dt));
  return { yaw: wrapAngle(torsoYaw + step), turning: true };
}

/** What the walk detector knows between frames. */
export interface Gait {
  /** Smoothed horizontal speed, m/s. */
  speed: number;
  walking: boolean;
  /** Stride phase in radians; advances with distance walked. */
  phase: number;
  /** Last head position on the floor plane. */
  x: number;
  z: number;
  /** Seconds since start, for breathing. */
  time: number;
}

export function newGait(x = 0, z = 0): Gait {
  return { speed: 0, walking: false, phase: 0, x, z, time: 0 };
}

/**
 * Moves the gait on by one frame with the head's new floor position. A jump of more than a couple
 * of metres in one frame (a teleport, a rejoin) is not walking.
 */
export function stepGait(g: Gait, x: number, z: number, dt: number): Gait {
  if (dt <= 0) return { ...g, x, z };
  const moved = Math.hypot(x - g.x, z - g.z);
  const raw = moved > 2 ? 0 : moved / dt;
  const speed = g.speed + (raw - g.speed) * Math.min(1, dt / SPEED_SMOOTHING);
  const walking = g.walking ? speed > WALK_STOP : speed > WALK_START;
  const phase = walking ? (g.phase + (moved > 2 ? 0 : (moved / STRIDE) * Math.PI)) % (2 * Math.PI) : g.phase;
  return { speed, walking, phase, x, z, time: g.time + dt };
}

/** How the body moves this frame: vertical bob (m), side-to-side roll (rad), chest scale, hand swing (m, forward +). */
export interface BodyMotion {
  bob: number;
  sway: number;
  breath: number;
  swing: number;
}

/** Walking bobs twice and sways once per stride, hands swing opposite; standing still, only breathing shows. */
export function bodyMotion(g: Gait): BodyMotion {
  const breath = 1 + 0.012 * Math.sin((g.time * 2 * Math.PI) / BREATH_S);
  if (!g.walking) return { bob: 0, sway: 0, breath, swing: 0 };
  const amount = Math.min(1, g.speed / 1.2);
  return {
    bob: 0.02 * amount * Math.abs(Math.sin(g.phase)),
    sway: 0.04 * amount * Math.sin(g.phase),
    breath,
    swing: 0.09 * amount * Math.sin(g.phase),
  };
}

/** A nod and an open mouth while talking: `level` 0..1 (a voice meter), `time` in seconds. */
export function talkMotion(level: number, time: number): { nod: number; mouth: number } {
  const l = Math.max(0, Math.min(1, level));
  if (l === 0) return { nod: 0, mouth: 0 };
  return { nod: 0.05 * l * Math.sin(time * 7), mouth: l * (0.6 + 0.4 * Math.abs(Math.sin(time * 11))) };
}
