import { describe, expect, it } from 'vitest';
import { PROP_CATALOGUE } from '../../../shared/model/props';
import { catalogueGroups, floorPoint, insideRoom, placeAhead, yawOfQuat, yawQuat } from './propMaths';

describe('placeAhead', () => {
  it('stands a prop on the floor ahead of the eye, facing back at it', () => {
    const { position, rotation } = placeAhead([0, 1.6, 2], [0, -0.3, -1], 2, 8);
    expect(position[0]).toBeCloseTo(0);
    expect(position[1]).toBe(0);
    expect(position[2]).toBeCloseTo(0);
    // facing +z (towards the eye at z = 2): no turn
    expect(yawOfQuat(rotation)).toBeCloseTo(0);
  });

  it('turns to face an eye that looks along +x', () => {
    const { position, rotation } = placeAhead([0, 1.6, 0], [1, 0, 0], 1.5, 8);
    expect(position[0]).toBeCloseTo(1.5);
    expect(Math.abs(yawOfQuat(rotation))).toBeCloseTo(Math.PI / 2);
    expect(yawOfQuat(rotation)).toBeCloseTo(-Math.PI / 2);
  });

  it('keeps inside the walls and copes with looking straight down', () => {
    expect(placeAhead([7.5, 1.6, 0], [1, 0, 0], 2, 8).position[0]).toBeCloseTo(7.8);
    const down = placeAhead([0, 1.6, 0], [0, -1, 0], 2, 8);
    expect(down.position[2]).toBeCloseTo(-2);
  });
});

describe('yaw', () => {
  it('round-trips through a quaternion', () => {
    for (const yaw of [-3, -1.2, 0, 0.4, 2.9]) expect(yawOfQuat(yawQuat(yaw))).toBeCloseTo(yaw);
  });
});

describe('floorPoint', () => {
  it('meets the floor along a downward ray', () => {
    expect(floorPoint([0, 2, 0], [0, -1, -1], 0, 8)).toEqual([0, -2]);
  });
  it('gives nothing for a ray that never comes down to the plane', () => {
    expect(floorPoint([0, 2, 0], [0, 0.1, -1], 0, 8)).toBeNull();
    expect(floorPoint([0, 2, 0], [0, 0, -1], 0, 8)).toBeNull();
  });
  it('clamps far hits inside the room', () => {
    expect(insideRoom(20, -20, 8)).toEqual([7.8, -7.8]);
    expect(floorPoint([0, 1.6, 0], [0, -0.01, -1], 0, 8)).toEqual([0, -7.8]);
  });
});

describe('catalogueGroups', () => {
  it('lists every catalogue kind once, under its category', () => {
    const groups = catalogueGroups();
    const kinds = groups.flatMap((g) => g.items.map((i) => i.kind));
    expect(kinds.sort()).toEqual(Object.keys(PROP_CATALOGUE).sort());
    expect(groups.find((g) => g.category === 'light')?.items.map((i) => i.name)).toEqual(['Floor lamp', 'Spotlight']);
  });
  it('adds the uploaded models last, by name', () => {
    const groups = catalogueGroups([{ id: 'u-2', name: 'Zebra' }, { id: 'u-1', name: 'Anvil' }]);
    expect(groups.at(-1)).toEqual({ category: 'uploaded', title: 'Uploaded', items: [{ kind: 'u-1', name: 'Anvil' }, { kind: 'u-2', name: 'Zebra' }] });
  });
});
