import { describe, expect, it } from 'vitest';
import { CROWD_RECORD, NEAR_RECORD_MAX, POSE_UPLINK_MAX, crowdPose, decodeCrowd, decodeNear, decodePoseUplink, encodeCrowd, encodeNear, encodePoseUplink, packQuat, unpackQuat, yawOf } from './poseWire';
import type { Pose } from './index';

const head: Pose = [1.234, 1.6, -250.5, 0, Math.sin(0.3), 0, Math.cos(0.3)];
const hand: Pose = [1.5, 1.1, -250.2, 0.5, 0.5, 0.5, 0.5];

/** The angle in degrees between two poses' rotations. */
function angleBetween(a: Pose, b: Pose): number {
  const dot = Math.abs(a[3] * b[3] + a[4] * b[4] + a[5] * b[5] + a[6] * b[6]);
  return (2 * Math.acos(Math.min(1, dot)) * 180) / Math.PI;
}

describe('binary pose messages', () => {
  it('carries full poses in 36 bytes at most, positions to the millimetre', () => {
    const bytes = new Uint8Array([...encodeNear({ n: 7, head, left: hand, right: null }), ...encodeNear({ n: 900, head: hand, left: hand, right: hand })]);
    expect(NEAR_RECORD_MAX).toBe(36);
    expect(bytes.byteLength).toBe(26 + NEAR_RECORD_MAX);
    const [a, b] = decodeNear(bytes);
    expect(a!.n).toBe(7);
    expect(a!.right).toBeNull();
    expect(angleBetween(a!.head, head)).toBeLessThan(0.25);
    a!.head.slice(0, 3).forEach((v, i) => expect(Math.abs(v - head[i]!)).toBeLessThanOrEqual(0.0005 + 1e-9));
    a!.left!.slice(0, 3).forEach((v, i) => expect(Math.abs(v - hand[i]!)).toBeLessThanOrEqual(0.0005 + 1e-9));
    expect(b!.n).toBe(900);
    expect(b!.right).not.toBeNull();
  });

  it('keeps every position within half a millimetre and every rotation within a quarter degree, over thousands of random poses', () => {
    let seed = 42;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const randomQuat = () => {
      const q = [rnd() - 0.5, rnd() - 0.5, rnd() - 0.5, rnd() - 0.5];
      const l = Math.hypot(...q);
      return q.map((v) => v / l);
    };
    let worstMm = 0;
    let worstDeg = 0;
    for (let i = 0; i < 5000; i++) {
      const h: Pose = [(rnd() - 0.5) * 1000, rnd() * 3, (rnd() - 0.5) * 1000, ...(randomQuat() as [number, number, number, number])];
      const l: Pose = [h[0] + (rnd() - 0.5) * 2, h[1] - rnd(), h[2] + (rnd() - 0.5) * 2, ...(randomQuat() as [number, number, number, number])];
      const [got] = decodeNear(encodeNear({ n: i, head: h, left: l, right: null }));
      for (const [sent, back] of [[h, got!.head], [l, got!.left!]] as const) {
        for (let k = 0; k < 3; k++) worstMm = Math.max(worstMm, Math.abs(sent[k]! - back[k]!) * 1000);
        worstDeg = Math.max(worstDeg, angleBetween(sent, back));
        expect(Math.hypot(back[3], back[4], back[5], back[6])).toBeCloseTo(1, 6);
      }
    }
    expect(worstMm).toBeLessThanOrEqual(0.5 + 1e-6);
    expect(worstDeg).toBeLessThan(0.25);
    expect(worstDeg).toBeGreaterThan(0);
  });

  it('packs the largest quaternion component out, whichever it is and whatever its sign', () => {
    for (const q of [[1, 0, 0, 0], [0, -1, 0, 0], [0, 0, 1, 0], [0, 0, 0, -1], [0.5, -0.5, 0.5, -0.5]] as const) {
      const back = unpackQuat(packQuat(q[0], q[1], q[2], q[3]));
      // q and -q are the same turn
      expect(Math.abs(q[0] * back[0] + q[1] * back[1] + q[2] * back[2] + q[3] * back[3])).toBeGreaterThan(0.99999);
    }
  });

  it('carries a client’s pose as bytes, with its device, and says what is wrong with bytes that are not one', () => {
    const bytes = encodePoseUplink({ head, left: hand, right: hand, device: 'mobile' });
    expect(bytes.byteLength).toBe(POSE_UPLINK_MAX);
    const back = decodePoseUplink(bytes, 500);
    if (typeof back === 'string') throw new Error(back);
    expect(back.device).toBe('mobile');
    back.right!.slice(0, 3).forEach((v, i) => expect(Math.abs(v - hand[i]!)).toBeLessThanOrEqual(0.0005 + 1e-9));
    expect(decodePoseUplink(encodePoseUplink({ head, left: null, right: null }), 500)).not.toHaveProperty('device');
    // the head is 250.5 m out: inside a 500 m world, outside a 200 m one
    expect(decodePoseUplink(bytes, 200)).toMatch(/more than 200 m/);
    expect(decodePoseUplink(bytes.subarray(0, 20), 500)).toMatch(/is 35 bytes, not 20/);
    expect(decodePoseUplink(new Uint8Array([0, 4, ...bytes.subarray(2)]), 500)).toMatch(/unknown hand flags 4/);
    expect(decodePoseUplink(new Uint8Array(0), 500)).toMatch(/not 0/);
  });

  it('ignores a truncated record instead of reading past the end', () => {
    const bytes = encodeNear({ n: 1, head, left: hand, right: hand });
    expect(decodeNear(bytes.subarray(0, bytes.byteLength - 5))).toEqual([]);
    expect(decodeNear(new Uint8Array(2))).toEqual([]);
  });

  it('sums up where people stand in 9 bytes each, to 10 cm and 1/256 of a turn', () => {
    const bytes = encodeCrowd([
      { n: 3, x: 12.34, y: 1.62, z: -40.07, yaw: yawOf(head) },
      { n: 65535, x: 9999, y: 0, z: -9999, yaw: -Math.PI / 2 },
    ]);
    expect(bytes.byteLength).toBe(2 * CROWD_RECORD);
    const [a, b] = decodeCrowd(bytes);
    expect(a).toMatchObject({ n: 3, x: 12.3, y: 1.62, z: -40.1 });
    expect(a!.yaw).toBeCloseTo(0.6, 1);
    // beyond the int16 range positions clamp rather than wrap
    expect(b).toMatchObject({ n: 65535, x: 3276.7, z: -3276.8 });
    expect(b!.yaw).toBeCloseTo(-Math.PI / 2, 1);
    const pose = crowdPose(a!);
    expect(Math.hypot(pose[3], pose[4], pose[5], pose[6])).toBeCloseTo(1, 6);
    expect(yawOf(pose)).toBeCloseTo(a!.yaw, 6);
  });
});
