/**
 * The AR tabletop miniature: the world's content (documents, notes, chains) shrunk to
 * about a metre across and stood on the table in front of the person, so a phone or passthrough
 * headset sees all of it at once. Like life-size placement (placement.ts), the content keeps its
 * world coordinates; the viewer is moved and, for the miniature, the XR session's world scale
 * makes every real metre many world metres, which is the same as shrinking the content.
 *
 * Units: "world" is scene metres; "real" is metres in the room the person stands in. `unit` is
 * the number of world metres per real metre (Babylon's worldScalingFactor); a miniature at
 * `scale` (real size over life size) has unit = 1 / scale.
 */
import type { Vec3 } from '../../shared/protocol';

/** An axis-aligned box in world coordinates. */
export interface Box {
  min: Vec3;
  max: Vec3;
}

export const MINIATURE = {
  /** The miniature's footprint fits in a circle of this radius (real metres): about 1 m across. */
  radius: 0.45,
  /** and it stands no taller than this (real metres). */
  height: 0.6,
  /** Its nearest edge stays at least this far in front of the person (real metres, seen from above). */
  nearest: 0.15,
  /** Its farthest edge stays within this reach of the person (real metres, seen from above). */
  reach: 1.1,
  /** Pinching can shrink it to this (real size over life size), and grow it up to life size. */
  smallest: 0.01,
} as const;

/** The smallest box around all of `boxes`; null when there are none. */
export function unionBox(boxes: readonly Box[]): Box | null {
  if (boxes.length === 0) return null;
  const min: Vec3 = [Infinity, Infinity, Infinity];
  const max: Vec3 = [-Infinity, -Infinity, -Infinity];
  for (const box of boxes) {
    for (let i = 0; i < 3; i++) {
      min[i] = Math.min(min[i]!, box.min[i]!);
      max[i] = Math.max(max[i]!, box.max[i]!);
    }
  }
  return { min, max };
}

/** The point of the content that goes on the surface: its middle seen from above, at its lowest point. */
export function boxAnchor(box: Box): Vec3 {
  return [(box.min[0] + box.max[0]) / 2, box.min[1], (box.min[2] + box.max[2]) / 2];
}

/** How far the content reaches from its anchor, seen from above (world metres). */
export function footprintRadius(box: Box): number {
  return Math.hypot(box.max[0] - box.min[0], box.max[2] - box.min[2]) / 2;
}

/** The miniature's scale (real size over life size) that fits the content; never above life size. */
export function miniatureScale(box: Box): number {
  const radius = footprintRadius(box);
  const height = box.max[1] - box.min[1];
  return Math.min(1, radius > 0 ? MINIATURE.radius / radius : 1, height > 0 ? MINIATURE.height / height : 1);
}

/** Pinch limits: a scale between the smallest miniature and life size. */
export function clampScale(scale: number): number {
  return Math.min(1, Math.max(MINIATURE.smallest, scale));
}

/**
 * Where on the surface the miniature's anchor goes: on the line from the person towards the point
 * they tapped, moved nearer or farther so that a footprint of `radius` real metres lies wholly in
 * front of them and within reach. `head` and `hit` are world points in a frame of `unit` world
 * metres per real metre; `yaw` (radians, 0 looking down -Z) is where they look, used when they
 * tapped straight below themselves. The answer keeps the tapped point's height (the table top).
 */
export function miniatureSpot(head: Vec3, hit: Vec3, yaw: number, radius: number, unit: number): Vec3 {
  let dx = hit[0] - head[0];
  let dz = hit[2] - head[2];
  const flat = Math.hypot(dx, dz);
  if (flat < 1e-9) {
    dx = -Math.sin(yaw);
    dz = -Math.cos(yaw);
  } else {
    dx /= flat;
    dz /= flat;
  }
  const near = radius + MINIATURE.nearest;
  const far = Math.max(near, MINIATURE.reach - radius);
  const distance = Math.min(far, Math.max(near, flat / unit)) * unit;
  return [head[0] + dx * distance, hit[1], head[2] + dz * distance];
}

/** The line between two hands (or two fingers on a phone) seen from above. */
export interface Span {
  /** Length in real metres. */
  spread: number;
  /** Heading in radians, counter-clockwise seen from above (as `rotateAboutY` turns). */
  heading: number;
}

/** The span between two world points in a frame of `unit` world metres per real metre. */
export function spanOf(a: Vec3, b: Vec3, unit: number): Span {
  const dx = b[0] - a[0];
  const dz = b[2] - a[2];
  return { spread: Math.hypot(dx, b[1] - a[1], dz) / unit, heading: Math.atan2(-dz, dx) };
}

/**
 * One step of a two-handed pinch: the miniature grows as the hands spread and turns as their line
 * turns. Returns the new scale and how far the content turns (radians, counter-clockwise from above).
 */
export function pinchStep(scale: number, before: Span, now: Span): { scale: number; turn: number } {
  const grow = before.spread > 1e-3 && now.spread > 1e-3 ? now.spread / before.spread : 1;
  let turn = now.heading - before.heading;
  turn = Math.atan2(Math.sin(turn), Math.cos(turn));
  return { scale: clampScale(scale * grow), turn };
}

/** The hint shown while in AR: how to place, and once placed, how to resize, turn or move it. */
export function arHint(placed: boolean, lifeSize: boolean): string {
  if (!placed) return lifeSize ? 'Point at the floor and tap to place the room life size.' : 'Point at a table and tap to place the workspace there.';
  return 'Pinch with two fingers (or both hands) to resize or turn; tap Place again to move it.';
}
