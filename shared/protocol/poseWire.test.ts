import { describe, expect, it } from 'vitest';
import { CROWD_RECORD, NEAR_RECORD_MAX, crowdPose, decodeCrowd, decodeNear, encodeCrowd, encodeNear, yawOf } from './poseWire';
import type { Pose } from './index';

const head: Pose = [1.234, 1.6, -250.5, 0, Math.sin(0.3), 0, Math.cos(0.3)];
const hand: Pose = [1.5, 1.1, -250.2, 0.5, 0.5, 0.5, 0.5];

describe('binary pose messages', () => {
  it('carries full poses with positions to the millimetre and rotations to 1/32767', () => {
    const bytes = new Uint8Array([...encodeNear({ n: 7, head, left: hand, right: null }), ...encodeNear({ n: 900, head: hand, left: hand, right: hand })]);
    expect(bytes.byteLength).toBe(3 + 20 * 2 + NEAR_RECORD_MAX);
    const [a, b] = decodeNear(bytes);
    expect(a!.n).toBe(7);
    expect(a!.right).toBeNull();
    a!.head.forEach((v, i) => expect(v).toBeCloseTo(head[i]!, 3));
    a!.left!.forEach((v, i) => expect(v).toBeCloseTo(hand[i]!, 4));
    expect(b!.n).toBe(900);
    expect(b!.right).not.toBeNull();
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
