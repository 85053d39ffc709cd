import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Quat, Vec3 } from '../../shared/protocol';
import { facingTurn, moveRig } from './placement';
import { type Box, MINIATURE, arHint, boxAnchor, footprintRadius, miniatureScale, miniatureSpot, pinchStep, spanOf, unionBox } from './miniature';
import { yawOf, yawQuat } from './xrMaths';

const coord = (lo: number, hi: number) => fc.double({ min: lo, max: hi, noNaN: true });
const point = fc.tuple(coord(-20, 20), coord(0, 4), coord(-20, 20)) as fc.Arbitrary<Vec3>;
const box = fc.tuple(point, fc.tuple(coord(0, 3), coord(0, 2), coord(0, 3))).map(([p, size]): Box => ({ min: p, max: [p[0] + size[0], p[1] + size[1], p[2] + size[2]] }));

/** Places as ArPlacement does: from a frame of `unit` world metres per real metre. */
function place(content: Box, head: Vec3, rotation: Quat, hit: Vec3, unit: number, lifeSize = false) {
  const scale = lifeSize ? 1 : miniatureScale(content);
  const anchor = boxAnchor(content);
  const spot = lifeSize ? hit : miniatureSpot(head, hit, yawOf(rotation), footprintRadius(content) * scale, unit);
  const rig = moveRig({ position: head, rotation }, spot, anchor, 1 / scale / unit, facingTurn(head, spot));
  return { rig, scale, anchor };
}

const corners = (b: Box): Vec3[] => [0, 1, 2, 3, 4, 5, 6, 7].map((i) => [(i & 1 ? b.max : b.min)[0], (i & 2 ? b.max : b.min)[1], (i & 4 ? b.max : b.min)[2]]);

describe('the tabletop miniature', () => {
  it('fits any content into about a metre, within reach, in front of the person and on the table', () => {
    fc.assert(
      fc.property(fc.array(box, { minLength: 1, maxLength: 8 }), point, coord(-Math.PI, Math.PI), coord(0, 3), coord(0.5, 1.2), coord(0.2, 5), (boxes, head, yaw, ahead, table, unit) => {
        const content = unionBox(boxes)!;
        const rotation = yawQuat(yaw);
        // the person looks at a table point `ahead` real metres in front of them
        const hit: Vec3 = [head[0] - Math.sin(yaw) * ahead * unit, head[1] - table * unit, head[2] - Math.cos(yaw) * ahead * unit];
        const { rig, scale, anchor } = place(content, head, rotation, hit, unit);
        expect(scale).toBeLessThanOrEqual(1);
        const facing = yawOf(rig.rotation);
        const forward = [-Math.sin(facing), -Math.cos(facing)];
        for (const c of corners(content)) {
          // seen from the person, in real metres
          const dx = (c[0] - rig.position[0]) * scale;
          const dz = (c[2] - rig.position[2]) * scale;
          expect(Math.hypot(dx, dz)).toBeLessThanOrEqual(1.2);
          expect(dx * forward[0]! + dz * forward[1]!).toBeGreaterThan(0.1);
          // above the table top (the anchor is where the tapped point now lies)
          expect(c[1]).toBeGreaterThanOrEqual(anchor[1] - 1e-9);
        }
        // the table stays where it was below the person's eyes
        expect((rig.position[1] - anchor[1]) * scale).toBeCloseTo(table, 6);
      }),
    );
  });

  it('shrinks a room of documents to under a metre across and never grows small content past life size', () => {
    const room: Box = { min: [-4, 0.4, -5], max: [4, 2.4, -1] };
    const scale = miniatureScale(room);
    expect(footprintRadius(room) * scale).toBeCloseTo(MINIATURE.radius, 9);
    expect((room.max[1] - room.min[1]) * scale).toBeLessThanOrEqual(MINIATURE.height);
    expect(miniatureScale({ min: [0, 0, 0], max: [0.2, 0.2, 0.2] })).toBe(1);
  });

  it('keeps the tapped spot when it already fits, and pulls a far one within reach', () => {
    const head: Vec3 = [0, 1.5, 0];
    close(miniatureSpot(head, [0, 0.7, -0.8], 0, 0.3, 1), [0, 0.7, -0.8]);
    close(miniatureSpot(head, [0, 0.7, -3], 0, 0.3, 1), [0, 0.7, -0.8]);
    // tapped right below: in front, where they look (here down +X)
    close(miniatureSpot(head, [0, 0.7, 0], -Math.PI / 2, 0.3, 1), [0.45, 0.7, 0]);
  });

  it('places life size with the tapped point as the anchor, at true scale', () => {
    const content: Box = { min: [-4, 0.4, -5], max: [4, 2.4, -1] };
    const { rig, scale } = place(content, [0, 1.6, 5], [0, 0, 0, 1], [0, 0, 4], 1, true);
    expect(scale).toBe(1);
    close(rig.position, [0, 2.0, -2]);
  });
});

describe('pinching the miniature', () => {
  it('grows as the hands spread and turns as their line turns', () => {
    const before = spanOf([0, 1, 0], [0.2, 1, 0], 1);
    const now = spanOf([0, 1, 0], [0, 1, -0.4], 1);
    const step = pinchStep(0.1, before, now);
    expect(step.scale).toBeCloseTo(0.2, 9);
    expect(step.turn).toBeCloseTo(Math.PI / 2, 9);
  });

  it('measures spread in real metres and stays between the smallest miniature and life size', () => {
    expect(spanOf([0, 0, 0], [10, 0, 0], 20).spread).toBeCloseTo(0.5, 9);
    expect(pinchStep(0.5, { spread: 0.1, heading: 0 }, { spread: 1, heading: 0 }).scale).toBe(1);
    expect(pinchStep(0.02, { spread: 1, heading: 0 }, { spread: 0.1, heading: 0 }).scale).toBe(MINIATURE.smallest);
    expect(pinchStep(0.5, { spread: 0, heading: 0 }, { spread: 1, heading: 0 }).scale).toBe(0.5);
    expect(pinchStep(0.5, { spread: 1, heading: 3 }, { spread: 1, heading: -3 }).turn).toBeCloseTo(2 * Math.PI - 6, 9);
  });
});

describe('the AR hint', () => {
  it('says how to place before, and how to resize, turn or move after', () => {
    expect(arHint(false, false)).toMatch(/tap to place/);
    expect(arHint(true, false)).toMatch(/Pinch with two fingers.*Place again/);
  });
});

function close(a: readonly number[], b: readonly number[]): void {
  a.forEach((v, i) => expect(v).toBeCloseTo(b[i]!, 6));
}
