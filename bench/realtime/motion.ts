/**
 * Plausible avatar motion for bots: a person wandering about a floor at walking pace, head bobbing
 * and turning, hands swinging and drifting. Smooth value noise, so consecutive poses differ the way
 * a tracked headset's do (a few centimetres per frame), not the way random numbers do.
 */

/** A pose as the protocol carries it: [x, y, z, qx, qy, qz, qw]. */
export type PoseArray = [number, number, number, number, number, number, number];

/** Deterministic hash of (seed, i) to [0, 1). */
function hash(seed: number, i: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(i, 0xc2b2ae35);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return (h >>> 0) / 4294967296;
}

/** 1-D value noise in [-1, 1], smooth (cosine-eased) between integer knots. */
export function noise(seed: number, t: number): number {
  const i = Math.floor(t);
  const f = t - i;
  const e = (1 - Math.cos(f * Math.PI)) / 2;
  const a = hash(seed, i) * 2 - 1;
  const b = hash(seed, i + 1) * 2 - 1;
  return a + (b - a) * e;
}

function yawQuat(yaw: number, pitch = 0): [number, number, number, number] {
  const cy = Math.cos(yaw / 2), sy = Math.sin(yaw / 2);
  const cp = Math.cos(pitch / 2), sp = Math.sin(pitch / 2);
  // yaw about Y, then pitch about X
  return [cy * sp, sy * cp, -sy * sp, cy * cp];
}

export interface Walker {
  /** Head, left hand, right hand at time t (seconds). */
  poses(t: number): { head: PoseArray; left: PoseArray; right: PoseArray };
}

/**
 * A person who wanders within `areaHalf` metres of `centre` at up to about 1.2 m/s. Position is the
 * integral of a noisy velocity, reflected at the area's edge.
 */
export function walker(seed: number, areaHalf: number, centre: [number, number] = [0, 0]): Walker {
  let x = centre[0] + (hash(seed, 1) * 2 - 1) * areaHalf;
  let z = centre[1] + (hash(seed, 2) * 2 - 1) * areaHalf;
  let lastT: number | undefined;
  const r3 = (n: number) => Math.round(n * 1000) / 1000;
  return {
    poses(t) {
      const dt = lastT === undefined ? 0 : Math.min(0.5, Math.max(0, t - lastT));
      lastT = t;
      // heading drifts slowly; speed pauses and goes like a person looking around
      const heading = noise(seed * 7 + 1, t / 6) * Math.PI * 2;
      const speed = Math.max(0, noise(seed * 7 + 2, t / 4)) * 1.2 + 0.15;
      x += Math.sin(heading) * speed * dt;
      z += Math.cos(heading) * speed * dt;
      const lo0 = centre[0] - areaHalf, hi0 = centre[0] + areaHalf;
      const lo1 = centre[1] - areaHalf, hi1 = centre[1] + areaHalf;
      if (x < lo0) x = 2 * lo0 - x;
      if (x > hi0) x = 2 * hi0 - x;
      if (z < lo1) z = 2 * lo1 - z;
      if (z > hi1) z = 2 * hi1 - z;
      const bob = Math.sin(t * 2 * Math.PI * 1.8 * (0.5 + speed)) * 0.02;
      const yaw = heading + noise(seed * 7 + 3, t * 0.8) * 0.6;
      const pitch = noise(seed * 7 + 4, t * 0.7) * 0.3;
      const hand = (side: number, k: number): PoseArray => {
        const swing = Math.sin(t * 2 * Math.PI * 0.9 + side) * 0.15 * speed;
        const lx = side * 0.25 + noise(seed * 7 + k, t * 0.9) * 0.08;
        const lz = 0.3 + swing + noise(seed * 7 + k + 1, t * 0.9) * 0.08;
        const ly = 1.1 + noise(seed * 7 + k + 2, t * 0.9) * 0.15;
        const q = yawQuat(yaw + noise(seed * 7 + k + 3, t) * 0.5, noise(seed * 7 + k + 4, t) * 0.5);
        const s = Math.sin(heading), c = Math.cos(heading);
        return [r3(x + lx * c + lz * s), r3(ly), r3(z - lx * s + lz * c), ...q];
      };
      return {
        head: [r3(x), r3(1.6 + bob), r3(z), ...yawQuat(yaw, pitch)],
        left: hand(-1, 10),
        right: hand(1, 20),
      };
    },
  };
}
