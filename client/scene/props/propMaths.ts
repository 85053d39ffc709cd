/**
 * Pure maths for placing and moving props: where a new prop stands (on the floor a little ahead of
 * the person, turned to face them), a rotation about the vertical from a yaw and back, and the
 * catalogue grouped for menus. No Babylon here, so it is tested without a scene.
 */
import { PROP_CATALOGUE, PROP_CATEGORIES, type CatalogueKind, type PropCategory } from '../../../shared/model/props';
import type { Quat, Vec3 } from '../../../shared/protocol';

/** Props are kept this far inside the walls (the server clamps too). */
export const PROP_WALL_GAP = 0.2;
/**
 * How far ahead a new prop stands on a desktop (far enough that a level gaze, with the desktop's
 * field of view, still sees it on the floor), and in a headset (closer: within reach of the ray).
 */
export const DESKTOP_AHEAD = 2.8;
export const XR_AHEAD = 1.5;

/** A rotation about the vertical by `yaw` radians (counter-clockwise seen from above). */
export function yawQuat(yaw: number): Quat {
  return [0, Math.sin(yaw / 2), 0, Math.cos(yaw / 2)];
}

/** The turn about the vertical of a rotation (its heading), in radians. */
export function yawOfQuat(q: Quat): number {
  const [x, y, z, w] = q;
  // heading of the rotated +Z axis, projected on the floor
  const fx = 2 * (x * z + w * y);
  const fz = 1 - 2 * (x * x + y * y);
  return Math.atan2(fx, fz);
}

/** Keeps a floor point inside the square room of half-size `halfSize`. */
export function insideRoom(x: number, z: number, halfSize: number): [number, number] {
  const limit = halfSize - PROP_WALL_GAP;
  const clamp = (v: number) => Math.min(limit, Math.max(-limit, v));
  return [clamp(x), clamp(z)];
}

/**
 * A new prop `distance` metres ahead of the eye along where it looks (flattened onto the floor),
 * standing on the floor and facing the person (a prop's front is its +Z).
 */
export function placeAhead(eye: Vec3, forward: Vec3, distance: number, halfSize: number): { position: Vec3; rotation: Quat } {
  const flat = Math.hypot(forward[0], forward[2]);
  const dx = flat > 1e-6 ? forward[0] / flat : 0;
  const dz = flat > 1e-6 ? forward[2] / flat : -1;
  const [x, z] = insideRoom(eye[0] + dx * distance, eye[2] + dz * distance, halfSize);
  return { position: [x, 0, z], rotation: yawQuat(Math.atan2(-dx, -dz)) };
}

/** Where a dragged prop goes: the pointer's ray meets the floor plane at the prop's own height. */
export function floorPoint(origin: Vec3, direction: Vec3, y: number, halfSize: number, maxDistance = 30): [number, number] | null {
  const dy = direction[1];
  // a ray level with or above the floor never meets it: the prop stays where it is
  if (dy > -1e-4 || origin[1] <= y) return null;
  const t = Math.min(maxDistance, (y - origin[1]) / dy);
  return insideRoom(origin[0] + direction[0] * t, origin[2] + direction[2] * t, halfSize);
}

export interface CatalogueGroup {
  category: PropCategory;
  title: string;
  items: { kind: string; name: string }[];
}

const CATEGORY_TITLES: Record<PropCategory, string> = { furniture: 'Furniture', display: 'Display', light: 'Lights', nature: 'Plants' };

/** The catalogue by category (in the catalogue's order), then the world's uploaded models, if any. */
export function catalogueGroups(uploaded: readonly { id: string; name: string }[] = []): { category: PropCategory | 'uploaded'; title: string; items: { kind: string; name: string }[] }[] {
  const groups: { category: PropCategory | 'uploaded'; title: string; items: { kind: string; name: string }[] }[] = PROP_CATEGORIES.map((category) => ({
    category,
    title: CATEGORY_TITLES[category],
    items: (Object.keys(PROP_CATALOGUE) as CatalogueKind[]).filter((k) => PROP_CATALOGUE[k].category === category).map((kind) => ({ kind, name: PROP_CATALOGUE[kind].name })),
  }));
  if (uploaded.length) groups.push({ category: 'uploaded', title: 'Uploaded', items: [...uploaded].sort((a, b) => a.name.localeCompare(b.name)).map((m) => ({ kind: m.id, name: m.name })) });
  return groups;
}
