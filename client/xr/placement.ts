/**
 * Placing the world's workspace on a real surface in AR. The content stays at its world
 * coordinates (so poses, grabs and moves mean the same to everyone); instead the viewer's rig is
 * moved so that the real point that was tapped coincides with the workspace's anchor, and the
 * workspace's front (+Z, where documents face) turns towards the viewer.
 */
import type { Quat, Vec3 } from '../../shared/protocol';
import { multiplyQuat, rotateAboutY, yawQuat } from './xrMaths';

export interface RigPose {
  position: Vec3;
  rotation: Quat;
}

/**
 * The turn (about the vertical, through `hit`) that puts a viewer at `head` on the workspace's
 * front (+Z) side; none when they stand right over the point.
 */
export function facingTurn(head: Vec3, hit: Vec3): number {
  const dx = head[0] - hit[0];
  const dz = head[2] - hit[2];
  // the viewer seen from the hit, as an angle from +Z; turning by minus that puts them on +Z
  return Math.hypot(dx, dz) < 1e-6 ? 0 : -Math.atan2(dx, dz);
}

/**
 * Where a real point lands in the world when every real thing is turned by `turn` about the
 * vertical through `from`, scaled by `scale` about it, and carried so `from` lands on `to`.
 */
export function movePoint(point: Vec3, from: Vec3, to: Vec3, scale: number, turn: number): Vec3 {
  const t = rotateAboutY(point, from, turn);
  return [to[0] + scale * (t[0] - from[0]), to[1] + scale * (t[1] - from[1]), to[2] + scale * (t[2] - from[2])];
}

/** The new head pose for the XR camera under that same motion (see `movePoint`). */
export function moveRig(head: RigPose, from: Vec3, to: Vec3, scale: number, turn: number): RigPose {
  return { position: movePoint(head.position, from, to, scale, turn), rotation: multiplyQuat(yawQuat(turn), head.rotation) };
}

/**
 * The new head pose for the XR camera after placing life size: every real thing moves by the same
 * rigid motion, which takes `hit` to `anchor` and turns (about the vertical) so that the viewer
 * ends up in front of the workspace, i.e. on its +Z side.
 */
export function placeRig(head: RigPose, hit: Vec3, anchor: Vec3): RigPose {
  return moveRig(head, hit, anchor, 1, facingTurn(head.position, hit));
}

/** Where a real point lands in the world after `placeRig` (the same rigid motion). */
export function placePoint(point: Vec3, head: RigPose, hit: Vec3, anchor: Vec3): Vec3 {
  return movePoint(point, hit, anchor, 1, facingTurn(head.position, hit));
}

/** Drift smaller than this (metres) is left alone: chasing it would only make the view shimmer. */
export const ANCHOR_DRIFT_TOLERANCE = 0.005;

/**
 * How far to move the viewer so the workspace stays on the real point it was placed on, when the
 * browser reports that point's anchor at `anchorAt` (world coordinates) while the workspace
 * anchor is at `placedAt`; null when the drift is within tolerance.
 */
export function anchorCorrection(anchorAt: Vec3, placedAt: Vec3, tolerance = ANCHOR_DRIFT_TOLERANCE): Vec3 | null {
  const d: Vec3 = [placedAt[0] - anchorAt[0], placedAt[1] - anchorAt[1], placedAt[2] - anchorAt[2]];
  return Math.hypot(...d) > tolerance ? d : null;
}
