import { describe, expect, it } from 'vitest';
import type { Vec3 } from '../protocol';
import { chainFootprints, chainPlaces } from './chainPlaces';
import { PANEL_GAP, PANEL_SHADOW, PERSON_GAP, findFreeSpot, footprintDistance, spawnPosition, yawOf, yawRotation, type Footprint } from './placement';
import { ROOM_HALF_SIZE, WORLD_TEMPLATES } from './worlds';

const panel = (position: Vec3, yaw = 0): Footprint => ({ position, yaw, halfWidth: 0.6 });
const place = (occupied: Footprint[], position: Vec3, yaw = 0) => findFreeSpot(occupied, { ...panel(position, yaw), gap: PANEL_GAP, shadow: PANEL_SHADOW })!;

describe('placing new things in the room', () => {
  it('keeps the wanted spot when it is free', () => {
    expect(place([], [1.5, 1.2, -2])).toEqual([1.5, 1.2, -2]);
  });

  it('puts two drops at one point side by side, neither hiding the other', () => {
    const first = place([], [0, 1.6, -3]);
    const second = place([panel(first)], [0, 1.6, -3]);
    expect(second).not.toEqual(first);
    expect(footprintDistance(panel(first), panel(second))).toBeGreaterThanOrEqual(PANEL_GAP - 1e-9);
    // beside, as seen by the person it faces: same depth, same height
    expect(second[2]).toBeCloseTo(-3);
    expect(second[1]).toBe(1.6);
  });

  it('does not stand a panel straight in front of another, where it would hide it', () => {
    // the spots beside are taken, so the nearest free one must be clear of the middle one's view too
    const row = [panel([-1.35, 1.6, -3]), panel([0, 1.6, -3]), panel([1.35, 1.6, -3])];
    const next = place(row, [0, 1.6, -3]);
    for (const p of row) expect(Math.abs(next[0] - p.position[0]) >= 1.2 - 1e-9 || Math.abs(next[2] - p.position[2]) >= PANEL_SHADOW).toBe(true);
  });

  it('slides a panel hung on a side wall along the wall, inside the room', () => {
    const yaw = -Math.PI / 2; // on the +X wall, facing into the room
    const wall: Vec3 = [ROOM_HALF_SIZE - 0.3, 1.6, 0];
    const second = place([panel(wall, yaw)], wall, yaw);
    expect(second[0]).toBeCloseTo(wall[0]);
    expect(Math.abs(second[2])).toBeGreaterThan(1.2);
  });

  it('fills a crowded spot without overlap, and never leaves the room', () => {
    const placed: Footprint[] = [];
    for (let i = 0; i < 40; i++) placed.push(panel(place(placed, [ROOM_HALF_SIZE - 1, 1.6, -ROOM_HALF_SIZE + 1])));
    for (const [i, a] of placed.entries()) {
      expect(Math.max(Math.abs(a.position[0]), Math.abs(a.position[2]))).toBeLessThanOrEqual(ROOM_HALF_SIZE - 0.3);
      for (const b of placed.slice(i + 1)) expect(footprintDistance(a, b)).toBeGreaterThanOrEqual(PANEL_GAP - 1e-9);
    }
  });

  it('reads which way a rotation faces', () => {
    for (const yaw of [0, 0.5, -1.2, Math.PI / 2]) expect(yawOf(yawRotation(yaw))).toBeCloseTo(yaw);
  });
});

describe('chains', () => {
  const chains = Array.from({ length: 7 }, (_, i) => ({ id: `w${i}`, steps: 2 + (i % 4) }));

  it('stand apart from each other, in the same places whatever order they are listed in', () => {
    const feet = chainFootprints(chains);
    for (const [i, a] of feet.entries()) for (const b of feet.slice(i + 1)) expect(footprintDistance(a, b)).toBeGreaterThan(0.5);
    expect(chainPlaces([...chains].reverse())).toEqual(chainPlaces(chains));
  });

  it('put a second chain beside the first, not behind it, and none behind the documents of a template', () => {
    const [first, second] = [...chainPlaces(chains.slice(0, 2)).values()];
    expect(second![2]).toBe(first![2]);
    const frontmostDocument = Math.max(...Object.values(WORLD_TEMPLATES).flatMap((t) => t.samples.filter((s) => Math.abs(s.position[0]) < 4).map((s) => s.position[2])));
    for (const p of chainPlaces(chains.slice(0, 4)).values()) expect(p[2]).toBeGreaterThan(frontmostDocument);
  });

  it('are kept clear of by a panel placed beside them', () => {
    const feet = chainFootprints(chains.slice(0, 1));
    const spot = place(feet, feet[0]!.position);
    expect(footprintDistance(panel(spot), feet[0]!)).toBeGreaterThanOrEqual(PANEL_GAP - 1e-9);
  });
});

describe('people arriving', () => {
  it('arrive at least a metre from everyone already there', () => {
    const heads: Vec3[] = [];
    for (let i = 0; i < 20; i++) heads.push(spawnPosition(heads));
    for (const [i, a] of heads.entries()) for (const b of heads.slice(i + 1)) expect(Math.hypot(a[0] - b[0], a[2] - b[2])).toBeGreaterThanOrEqual(PERSON_GAP - 1e-9);
  });

  it('still arrive somewhere near the entrance when the room is packed', () => {
    const packed: Vec3[] = [];
    for (let x = -8; x <= 8; x += 0.5) for (let z = -8; z <= 8; z += 0.5) packed.push([x, 1.6, z]);
    const p = spawnPosition(packed, () => 0.5);
    expect(p).toEqual([0, 1.6, 2.5]);
  });
});
