/**
 * Placing the world's workspace on a real surface in AR. The content stays at its world
 * coordinates (so poses, grabs and moves mean the same to everyone); instead the viewer's rig is
 * moved so that the real point that was tapped coincides with the workspace's anchor, and the
 * workspace's front (+Z, where documents face) turns towards the viewer.
 */
import type { Quat, Vec3 } from '../../shared/protocol';
import { multiplyQuat, rotateAboutY, yawQuat } from './xrMaths';

/** Something in the workspace: its centre and how far it reaches below that centre. */
export interface WorkspaceItem {
  position: Vec3;
  halfHeight: number;
}

/**
 * The point of the workspace that goes on the surface: the middle of everything seen from above,
 * at the height of the lowest bottom edge, so the lowest document stands on the table.
 */
export function workspaceAnchor(items: readonly WorkspaceItem[]): Vec3 {
  if (items.length === 0) return [0, 0, 0];
  let minX = Infinity;
  let maxX = -Infinity;
  let minZ = Infinity;
  let maxZ = -Infinity;
  let bottom = Infinity;
  for (const { position: [x, y, z], halfHeight } of items) {
    minX = Math.min(minX, x);
    maxX = Math.max(maxX, x);
    minZ = Math.min(minZ, z);
    maxZ = Math.max(maxZ, z);
    bottom = Math.min(bottom, y - halfHeight);
  }
  return [(minX + maxX) / 2, Math.max(0, bottom), (minZ + maxZ) / 2];
}

export interface RigPose {
  position: Vec3;
  rotation: Quat;
}

/**
 * The new head pose for the XR camera after placing: every real thing moves by the same rigid
 * motion, which takes `hit` to `anchor` and turns (about the vertical) so that the viewer ends up
 * in front of the workspace, i.e. on its +Z side.
 */
export function placeRig(head: RigPose, hit: Vec3, anchor: Vec3): RigPose {
  const dx = head.position[0] - hit[0];
  const dz = head.position[2] - hit[2];
  // the viewer seen from the hit, as an angle from +Z; turning by minus that puts them on +Z
  const turn = Math.hypot(dx, dz) < 1e-6 ? 0 : -Math.atan2(dx, dz);
  const turned = rotateAboutY(head.position, hit, turn);
  return {
    position: [turned[0] + anchor[0] - hit[0], turned[1] + anchor[1] - hit[1], turned[2] + anchor[2] - hit[2]],
    rotation: multiplyQuat(yawQuat(turn), head.rotation),
  };
}

/** Where a real point lands in the world after `placeRig` (the same rigid motion). */
export function placePoint(point: Vec3, head: RigPose, hit: Vec3, anchor: Vec3): Vec3 {
  const dx = head.position[0] - hit[0];
  const dz = head.position[2] - hit[2];
  const turn = Math.hypot(dx, dz) < 1e-6 ? 0 : -Math.atan2(dx, dz);
  const turned = rotateAboutY(point, hit, turn);
  return [turned[0] + anchor[0] - hit[0], turned[1] + anchor[1] - hit[1], turned[2] + anchor[2] - hit[2]];
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
