/**
 * Where the in-world menu opens: in front of the person, a little below where they look (looking
 * down at a table it opens over the table; never above the line of sight), upright, turned and
 * tilted to face the eyes. Pure: positions in world metres, `unit` world metres per real metre (1
 * but in an AR miniature, where the menu keeps its real size).
 */
type V3 = [number, number, number];

/** How far from the eyes the menu opens (real metres). */
export const OPEN_DISTANCE_M = 0.6;
/** How far below the line of sight it opens (radians; 14°, 15 cm at its distance). */
export const OPEN_BELOW = Math.atan2(0.15, OPEN_DISTANCE_M);
/** The lowest it opens, looking down (radians, about 52°). */
export const MAX_DOWN = 0.9;

export interface MenuPose {
  position: V3;
  /** About the vertical: the panel's face (its +Z unturned) points back at the eyes. */
  yaw: number;
  /** About its own sideways axis: negative tilts its face up towards eyes above it. */
  pitch: number;
}

export function menuPose(eye: V3, gaze: V3, unit: number): MenuPose {
  let [fx, fz] = [gaze[0], gaze[2]];
  const flat = Math.hypot(fx, fz);
  if (flat < 1e-6) [fx, fz] = [0, -1];
  else [fx, fz] = [fx / flat, fz / flat];
  const looking = Math.asin(Math.max(-1, Math.min(1, gaze[1] / (Math.hypot(...gaze) || 1))));
  const pitch = Math.min(-OPEN_BELOW, Math.max(-MAX_DOWN, looking - OPEN_BELOW));
  const d = OPEN_DISTANCE_M * unit;
  return {
    position: [eye[0] + fx * Math.cos(pitch) * d, eye[1] + Math.sin(pitch) * d, eye[2] + fz * Math.cos(pitch) * d],
    yaw: Math.atan2(fx, fz) + Math.PI,
    pitch,
  };
}
