import { describe, expect, it } from 'vitest';
import { SnapTurn, snapTurnRig } from './snapTurn';
import { yawOf } from './xrMaths';

describe('snap turning', () => {
  it('turns once per push of the stick, and again only after it came back to the centre', () => {
    const turn = new SnapTurn();
    expect([0.2, 0.5, 0.8, 0.9, 1, 0.6, 0.4].map((x) => turn.update(x))).toEqual([0, 0, 1, 0, 0, 0, 0]);
    expect([0.1, -0.9, -0.95, 0, -0.8].map((x) => turn.update(x))).toEqual([0, -1, 0, 0, -1]);
  });

  it('turns right as clockwise seen from above, about the head, keeping the head where it is', () => {
    const head: [number, number, number] = [1, 1.6, 1];
    const rig = { position: [0, 0, 0] as [number, number, number], rotation: [0, 0, 0, 1] as [number, number, number, number] };
    const turned = snapTurnRig(rig, head, 1, 90);
    // looking down -Z, a right turn of 90 degrees looks down +X, which is a yaw of -90 degrees
    expect(yawOf(turned.rotation)).toBeCloseTo(-Math.PI / 2, 6);
    // the rig swings about the head: its offset from the head turns with it
    expect(turned.position[0]).toBeCloseTo(2, 6);
    expect(turned.position[2]).toBeCloseTo(0, 6);
    expect(turned.position[1]).toBe(0);
    const back = snapTurnRig(turned, head, -1, 90);
    for (const v of back.position) expect(v).toBeCloseTo(0, 6);
    expect(yawOf(back.rotation)).toBeCloseTo(0, 6);
  });
});
