import { describe, expect, it } from 'vitest';
import { ParticipantState, WorldState } from '../../shared/schema/WorldState';
import { decodeCrowd, decodeNear } from '../../shared/protocol/poseWire';
import type { Pose } from '../../shared/protocol';
import { Interest } from './interest';
import { applyPoseWrite, setPose } from './stateSync';

const at = (x: number, z: number): Pose => [x, 1.6, z, 0, 0, 0, 1];

/** A world of `count` people standing in a row a metre apart, and what is sent to each. */
function world(count: number, interest: Interest) {
  const state = new WorldState();
  const sent = new Map<string, Uint8Array[]>();
  const clients: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = `p${i}`;
    const p = new ParticipantState();
    p.id = id;
    p.n = interest.numberFor(id);
    setPose(p.head, at(i, 0));
    state.participants.set(id, p);
    sent.set(id, []);
    clients.push(id);
  }
  const broadcasts: Uint8Array[] = [];
  const send = {
    sendBytes: (id: string, _type: string, bytes: Uint8Array) => void sent.get(id)!.push(bytes),
    broadcast: (_t: string, b: Uint8Array) => void broadcasts.push(b),
  };
  return { state, sent, clients, broadcasts, send };
}

const pose = (id: string, head: Pose) => ({ op: 'pose' as const, participantId: id, head, left: null, right: null });

describe('interest management', () => {
  it('leaves a world at or below the threshold alone: poses go into the state as before', () => {
    const interest = new Interest({ nearest: 2, above: 4, radius: 10, summaryMs: 1000 });
    const w = world(4, interest);
    interest.afterPatch(w.state, w.clients, w.send, 0);
    expect(interest.take(pose('p0', at(0, 5)), w.state)).toMatchObject({ participantId: 'p0', head: at(0, 5), left: null, right: null });
    interest.afterPatch(w.state, w.clients, w.send, 100);
    expect([...w.sent.values()].flat()).toEqual([]);
    expect(w.broadcasts).toEqual([]);
  });

  it('in a crowded world sends each client only its nearest K within the radius, and everyone a summary', () => {
    const interest = new Interest({ nearest: 2, above: 4, radius: 2.5, summaryMs: 1000, fullRate: 2 });
    const w = world(8, interest);
    interest.afterPatch(w.state, w.clients, w.send, 0);
    for (let i = 0; i < 8; i++) expect(interest.take(pose(`p${i}`, at(i, 0.01)), w.state)).toBeNull();
    // the state keeps the old poses: nothing of this goes to everyone
    expect(w.state.participants.get('p3')!.head.pz).toBe(0);
    interest.afterPatch(w.state, w.clients, w.send, 300);
    const nearOf = (id: string) => w.sent.get(id)!.flatMap((b) => decodeNear(b).map((r) => r.n)).sort();
    expect(nearOf('p3')).toEqual([2, 4]);
    expect(nearOf('p0')).toEqual([1, 2]);
    // p7's nearest within 2.5 m are p6 and p5
    expect(nearOf('p7')).toEqual([5, 6]);
    const summary = decodeCrowd(w.broadcasts[0]!);
    expect(summary.map((r) => r.n).sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    // nothing moved: nothing is sent again
    interest.afterPatch(w.state, w.clients, w.send, 350);
    expect(nearOf('p3')).toEqual([2, 4]);
  });

  it('puts the latest poses back into the state when the crowd thins out again', () => {
    const interest = new Interest({ nearest: 2, above: 4, radius: 10, summaryMs: 1000 });
    const w = world(6, interest);
    interest.afterPatch(w.state, w.clients, w.send, 0);
    expect(interest.take(pose('p1', at(3, 3)), w.state)).toBeNull();
    w.state.participants.delete('p5');
    w.state.participants.delete('p4');
    const writes = interest.afterPatch(w.state, w.clients, w.send, 100);
    // interest only says what to write; the state is the room's to change
    expect(w.state.participants.get('p1')!.head.pz).toBe(0);
    expect(writes).toEqual([{ participantId: 'p1', head: at(3, 3), left: null, right: null }]);
    for (const write of writes) applyPoseWrite(w.state, write);
    expect(w.state.participants.get('p1')!.head.pz).toBe(3);
    expect(interest.take(pose('p1', at(4, 4)), w.state)).toMatchObject({ head: at(4, 4) });
  });

  it('in a crowded world writes only a changed device to the state', () => {
    const interest = new Interest({ nearest: 2, above: 4, radius: 10, summaryMs: 1000 });
    const w = world(6, interest);
    interest.afterPatch(w.state, w.clients, w.send, 0);
    expect(interest.take({ ...pose('p1', at(3, 3)), device: 'vr' }, w.state)).toEqual({ participantId: 'p1', device: 'vr' });
    expect(interest.take(pose('gone', at(3, 3)), w.state)).toBeNull();
  });

  it('levels the near by distance: the nearest every patch, the next every second patch, nothing promised lost', () => {
    const interest = new Interest({ nearest: 4, above: 4, radius: 10, summaryMs: 1000, fullRate: 2 });
    const w = world(9, interest);
    interest.afterPatch(w.state, w.clients, w.send, 0);
    const perPatch: number[][] = [];
    for (let patch = 1; patch <= 8; patch++) {
      // everyone moves a little every patch
      for (let i = 0; i < 9; i++) interest.take(pose(`p${i}`, at(i, patch * 0.01)), w.state);
      w.sent.get('p4')!.length = 0;
      interest.afterPatch(w.state, w.clients, w.send, patch * 50);
      perPatch.push(w.sent.get('p4')!.flatMap((b) => decodeNear(b).map((r) => r.n)).sort());
    }
    // p4's nearest are p3 and p5 (1 m), then p2 and p6 (2 m)
    for (const got of perPatch) expect(got).toEqual(expect.arrayContaining([3, 5]));
    const further = perPatch.filter((got) => got.includes(2));
    expect(further.length).toBe(4);
    for (const got of further) expect(got).toEqual([2, 3, 5, 6]);
    // the further ones arrive on alternate patches, never two missed in a row
    perPatch.forEach((got, i) => expect(got.includes(2) || perPatch[i + 1]?.includes(2) || i === perPatch.length - 1).toBe(true));
  });

  it('places everyone in turn in summaries of a fixed size, however large the crowd, losing nobody', () => {
    // 40 bytes a second of 9-byte records, once a second: the floor of 32 people a summary
    const interest = new Interest({ nearest: 2, above: 4, radius: 5, summaryMs: 1000, summaryBytesPerSecond: 40 });
    expect(interest.summarySize).toBe(32);
    const w = world(100, interest);
    const seen = new Set<number>();
    for (let s = 0; s < 4; s++) {
      interest.afterPatch(w.state, w.clients, w.send, s * 1000);
      const summary = decodeCrowd(w.broadcasts[s]!);
      expect(summary.length).toBe(32);
      for (const r of summary) seen.add(r.n);
    }
    // four summaries of 32 place all 100 (and start again from the first)
    expect(seen.size).toBe(100);
    const budgeted = new Interest({ nearest: 2, above: 4, radius: 5, summaryMs: 500, summaryBytesPerSecond: 2560 });
    expect(budgeted.summarySize * 9 * 2).toBeLessThanOrEqual(2560);
  });

  it('gives every participant a different small number, reusing those of people who left', () => {
    const interest = new Interest({ nearest: 0, above: 1, radius: 1, summaryMs: 1000 });
    expect([interest.numberFor('a'), interest.numberFor('b'), interest.numberFor('c')]).toEqual([0, 1, 2]);
    interest.forget('b');
    expect(interest.numberFor('d')).toBe(1);
    expect(interest.numberFor('a')).toBe(0);
  });
});
