import { describe, expect, it } from 'vitest';
import type { Quat, Vec3 } from '../../shared/protocol';
import { anchorCorrection, placePoint, placeRig } from './placement';
import { yawOf } from './xrMaths';

const close = (a: readonly number[], b: readonly number[]) => a.forEach((v, i) => expect(v).toBeCloseTo(b[i]!, 6));

describe('placing the workspace on a tapped surface', () => {
  const anchor: Vec3 = [0, 0.7, -3];

  it('moves the tapped point onto the anchor and keeps the viewer in front of the workspace', () => {
    // the viewer stands at the origin looking down -X at a table point 1.5 m away
    const head = { position: [0, 1.5, 0] as Vec3, rotation: [0, Math.sin(Math.PI / 4), 0, Math.cos(Math.PI / 4)] as Quat };
    const hit: Vec3 = [-1.5, 0.75, 0];
    const placed = placeRig(head, hit, anchor);
    // the tapped point is now the anchor
    close(placePoint(hit, head, hit, anchor), anchor);
    // the viewer is in front (+Z) of the anchor, at the same distance and height above the table
    close(placed.position, [anchor[0], anchor[1] + 0.75, anchor[2] + 1.5]);
    // and still looks at the tapped point, which now means looking down -Z at the workspace
    expect(yawOf(placed.rotation)).toBeCloseTo(0, 6);
  });

  it('only translates when the viewer is already on the +Z side', () => {
    const head = { position: [3, 1.6, 5] as Vec3, rotation: [0, 0, 0, 1] as Quat };
    const hit: Vec3 = [3, 0, 4];
    const placed = placeRig(head, hit, anchor);
    close(placed.position, [0, 2.3, -2]);
    close(placed.rotation, [0, 0, 0, 1]);
  });
});

describe('following the anchor', () => {
  it('moves the viewer by the drift so the workspace stays on the real point, and ignores jitter', () => {
    expect(anchorCorrection([1, 0.7, -2], [1, 0.7, -2])).toBeNull();
    expect(anchorCorrection([1.003, 0.7, -2], [1, 0.7, -2])).toBeNull();
    const move = anchorCorrection([1.05, 0.68, -2.1], [1, 0.7, -2])!;
    expect(move[0]).toBeCloseTo(-0.05, 9);
    expect(move[1]).toBeCloseTo(0.02, 9);
    expect(move[2]).toBeCloseTo(0.1, 9);
  });
});
