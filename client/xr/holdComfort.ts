/**
 * How a document held in a headset sits for reading: at a comfortable distance in front of the
 * head, in the direction of the hand, sized to span a comfortable angle, upright and turned to face
 * the person. The hand's yaw turns it further; the hand's roll and pitch do not, so a tired wrist
 * does not tilt the page. Two hands squeezing the same panel scale it by how far apart they move.
 * Pure (right-handed, Y up; a document's readable side is its +Z), so it is tested without an engine.
 */
import { MAX_SCALE, MIN_SCALE, type Quat, type Vec3 } from '../../shared/protocol';
import { multiplyQuat, yawQuat } from './xrMaths';

/** Distance from the head to the centre of a held panel, in metres. */
export const READING_DISTANCE = 0.65;
/** The angle a held panel's height spans when picked up (degrees): a large tablet held to read. */
export const READING_ANGLE = 40;
/** How far a held panel leans back (or forward) towards the eyes, at most (degrees). */
export const MAX_TILT = 20;
/**
 * How far above the hand (as seen from the head, in degrees) a held panel's centre goes: half the
 * reading angle, so the hand is at its lower edge, as if holding a board, and not in front of the text.
 */
const ABOVE_HAND = READING_ANGLE / 2;
/** How far below and above eye level a held panel's centre may go, as seen from the head (degrees). */
export const LOWEST = -25;
export const HIGHEST = 10;
const DEG = Math.PI / 180;

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** The scale at which a panel `halfHeight` metres tall (at scale 1) spans the reading angle. */
export function readingScale(halfHeight: number): number {
  const height = 2 * READING_DISTANCE * Math.tan((READING_ANGLE / 2) * DEG);
  return clamp(height / Math.max(1e-3, 2 * halfHeight), MIN_SCALE, MAX_SCALE);
}

/** Rotation about the panel's own X axis: positive leans its top away from the viewer. */
function tiltQuat(angle: number): Quat {
  return [Math.sin(-angle / 2), 0, 0, Math.cos(-angle / 2)];
}

/** An angle (radians) brought into [-π, π). */
export function wrapAngle(angle: number): number {
  const a = (angle + Math.PI) % (2 * Math.PI);
  return (a < 0 ? a + 2 * Math.PI : a) - Math.PI;
}

export interface HeldPose {
  position: Vec3;
  rotation: Quat;
  /** The panel's turn about the vertical alone: what it keeps when let go. */
  yaw: number;
}

/**
 * Where a held panel goes: READING_DISTANCE from the head towards the hand, a little above it so
 * the hand holds its lower edge (and kept between a little above and a comfortable way below eye
 * level), facing the head, turned further by `extraYaw` (how
 * far the hand has turned about the vertical since the grab), leaning towards the eyes at most
 * MAX_TILT, and never rolled.
 */
export function heldPose(head: Vec3, hand: Vec3, extraYaw: number): HeldPose {
  const dx = hand[0] - head[0];
  const dy = hand[1] - head[1];
  const dz = hand[2] - head[2];
  const flat = Math.hypot(dx, dz);
  // a hand at the head (or straight above or below it) still needs a direction: straight ahead
  const heading = flat > 1e-3 ? Math.atan2(dx, dz) : Math.PI;
  const elevation = clamp(Math.atan2(dy, Math.max(flat, 1e-3)) + ABOVE_HAND * DEG, LOWEST * DEG, HIGHEST * DEG);
  const out = READING_DISTANCE * Math.cos(elevation);
  const position: Vec3 = [head[0] + out * Math.sin(heading), head[1] + READING_DISTANCE * Math.sin(elevation), head[2] + out * Math.cos(heading)];
  // the readable side (+Z) faces back along the line to the head; the lean follows the elevation
  const yaw = wrapAngle(heading + Math.PI + extraYaw);
  const tilt = clamp(-elevation, -MAX_TILT * DEG, MAX_TILT * DEG);
  return { position, rotation: multiplyQuat(yawQuat(yaw), tiltQuat(tilt)), yaw };
}

/** The rotation a panel is let go with: its yaw only, upright and level. */
export function levelRotation(yaw: number): Quat {
  return yawQuat(yaw);
}

/**
 * The scale while two hands hold a panel: the scale when the second hand took hold times how much
 * further apart the hands are now, within what the server accepts.
 */
export function twoHandScale(startScale: number, startSpread: number, spread: number): number {
  if (!(startSpread > 1e-3) || !Number.isFinite(spread)) return clamp(startScale, MIN_SCALE, MAX_SCALE);
  return clamp((startScale * spread) / startSpread, MIN_SCALE, MAX_SCALE);
}
