/**
 * Small rigid-transform maths on plain arrays (right-handed, Y up, like WebXR and the server), so
 * the XR rules can be unit-tested without an engine.
 */
import type { Quat, Vec3 } from '../../shared/protocol';

/** Rotation about the vertical axis by `angle` radians (counter-clockwise seen from above). */
export function yawQuat(angle: number): Quat {
  return [0, Math.sin(angle / 2), 0, Math.cos(angle / 2)];
}

/** a then b applied to a vector is `multiply(b, a)`; this is the Hamilton product a·b. */
export function multiplyQuat(a: Quat, b: Quat): Quat {
  const [ax, ay, az, aw] = a;
  const [bx, by, bz, bw] = b;
  return [aw * bx + ax * bw + ay * bz - az * by, aw * by - ax * bz + ay * bw + az * bx, aw * bz + ax * by - ay * bx + az * bw, aw * bw - ax * bx - ay * by - az * bz];
}

/** Turns a point about a vertical axis through `pivot`. */
export function rotateAboutY(point: Vec3, pivot: Vec3, angle: number): Vec3 {
  const dx = point[0] - pivot[0];
  const dz = point[2] - pivot[2];
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  return [pivot[0] + dx * c + dz * s, point[1], pivot[2] - dx * s + dz * c];
}

/** The yaw (radians about Y) of a quaternion's forward (-Z) direction, 0 when looking down -Z. */
export function yawOf(q: Quat): number {
  const [x, y, z, w] = q;
  // forward = q · (0, 0, -1)
  const fx = -(2 * (x * z + w * y));
  const fz = -(1 - 2 * (x * x + y * y));
  return Math.atan2(-fx, -fz);
}
