import { describe, expect, it } from 'vitest';
import { ErrorCode, PROTOCOL_VERSION, ServerEvent, WorldClose } from '../../../shared/protocol';
import { fakeCore } from '../../testing/worldCore';

const grab = (docId: string) => ({ type: 'grab', docId });
const pose = (x: number) => ({ type: 'pose', head: [x, 1.6, 0, 0, 0, 0, 1], left: null, right: null });

describe('world core: admission', () => {
  it('seats each participant clear of the others, with a colour of the palette, and records the join', async () => {
    const w = await fakeCore();
    w.join('a', 'Ann', 0);
    w.join('b', 'Bob', 0);
    const [ann, bob] = [w.core.state.participants.get('a')!, w.core.state.participants.get('b')!];
    expect([ann.name, bob.name]).toEqual(['Ann', 'Bob']);
    expect(ann.colour).not.toBe(bob.colour);
    expect([ann.head.px, ann.head.pz]).not.toEqual([bob.head.px, bob.head.pz]);
    expect(ann.n).not.toBe(bob.n);
    expect(w.audit.filter((e) => e.action === 'join').map((e) => e.outcome)).toEqual(['accepted', 'accepted']);
  });

  it('refuses a page of another protocol, and a join past the capacity, recording each with the name asked for', async () => {
    const w = await fakeCore();
    expect(() => w.core.join({ id: 'x' }, { protocol: PROTOCOL_VERSION + 1, worldId: 'w1', name: 'Old' }, 0)).toThrow(ErrorCode.PROTOCOL_MISMATCH);
    for (const id of ['a', 'b', 'c']) w.join(id, id, 0);
    expect(() => w.join('d', 'Dee', 0)).toThrow(ErrorCode.WORLD_FULL);
    expect(w.core.state.participants.size).toBe(3);
    expect(w.audit.filter((e) => e.outcome === 'refused').map((e) => e.actor.name)).toEqual(['Old', 'Dee']);
  });

  it('lets in no guest where the server is for signed-in people only, and records the refusal', async () => {
    const w = await fakeCore();
    w.deps.auth.guestAccess = false;
    await expect(w.core.authorize('x', {}, '10.0.0.9')).rejects.toThrow(ErrorCode.UNAUTHORIZED);
    await expect(w.core.authorize('y', { token: 't' }, '10.0.0.9')).resolves.toMatchObject({ kind: 'user', username: 'ann', role: 'editor' });
    expect(w.audit.map((e) => [e.actor.id, e.action, e.outcome])).toEqual([['x', 'join', 'refused']]);
  });
});

describe('world core: intents', () => {
  it('INTENT-1: refuses an unknown intent and a malformed one, telling the sender and changing nothing', async () => {
    const w = await fakeCore({ documents: ['d1'] });
    const ann = w.join('a', 'Ann', 0);
    w.core.intent(ann, 'teleport', {}, 1);
    w.core.intent(ann, 'grab', { type: 'grab', docId: '../etc' }, 2);
    expect(w.errors('a')).toEqual([ErrorCode.UNKNOWN_INTENT, ErrorCode.INVALID_INTENT]);
    expect(w.core.state.documents.get('d1')!.heldBy).toBe('');
  });

  it('ROLE-2: refuses a grab from a viewer but takes their pose', async () => {
    const w = await fakeCore({ documents: ['d1'] });
    const viewer = w.join('v', 'Vic', 0, { userId: 'u2', role: 'viewer' });
    w.core.intent(viewer, 'grab', grab('d1'), 1);
    w.core.intent(viewer, 'pose', pose(2), 2);
    expect(w.errors('v')).toEqual([ErrorCode.FORBIDDEN]);
    expect(w.core.state.documents.get('d1')!.heldBy).toBe('');
    expect(w.core.state.participants.get('v')!.head.px).toBe(2);
  });

  it('HOLD-1: gives a free document to the first who grabs it and refuses the second', async () => {
    const w = await fakeCore({ documents: ['d1'] });
    const [ann, bob] = [w.join('a', 'Ann', 0), w.join('b', 'Bob', 0)];
    w.core.intent(ann, 'grab', grab('d1'), 1);
    w.core.intent(bob, 'grab', grab('d1'), 1);
    expect(w.core.state.documents.get('d1')!.heldBy).toBe('a');
    expect(w.errors('b')).toEqual([ErrorCode.HELD_BY_OTHER]);
    expect(w.audit.filter((e) => e.action === 'grab').map((e) => [e.actor.id, e.outcome])).toEqual([['a', 'accepted'], ['b', 'refused']]);
  });

  it('drops messages past the rate, warns the sender once a second, and cuts off one that keeps flooding for three seconds', async () => {
    const w = await fakeCore({ intentRate: 5 });
    const ann = w.join('a', 'Ann', 0);
    // a burst of twice the rate is let in at once; the rest of the flood is dropped
    for (let i = 0; i < 30; i++) w.core.intent(ann, 'pose', pose(i), 1000);
    expect(w.core.state.participants.get('a')!.head.px).toBe(9);
    expect(w.errors('a')).toEqual([ErrorCode.RATE_LIMITED]);
    for (let t = 1100; t < 4000; t += 10) w.core.intent(ann, 'pose', pose(1), t);
    expect(w.left).toEqual([]);
    expect(w.errors('a').length).toBe(3);
    for (let i = 0; i < 3; i++) w.core.intent(ann, 'pose', pose(1), 4100);
    expect(w.left).toEqual([{ id: 'a', code: WorldClose.FLOODING, reason: expect.stringContaining('slow down') }]);
    expect(w.audit.at(-1)).toMatchObject({ action: 'disconnect', outcome: 'refused', detail: expect.stringContaining(ErrorCode.RATE_LIMITED) });
    // cut off: no seat is held for a reconnection
    expect(w.core.drop('a')).toBe(false);
  });
});

describe('world core: holds over time', () => {
  it('HOLD-5: releases a hold once its holder has been silent past the lease; any message renews it', async () => {
    const w = await fakeCore({ documents: ['d1', 'd2'] });
    const [ann, bob] = [w.join('a', 'Ann', 0), w.join('b', 'Bob', 0)];
    w.core.intent(ann, 'grab', grab('d1'), 1000);
    w.core.intent(bob, 'grab', grab('d2'), 1000);
    w.core.tick(20_000);
    w.core.intent(bob, 'pose', pose(1), 20_000);
    w.core.tick(31_500);
    expect(w.core.state.documents.get('d1')!.heldBy).toBe('');
    expect(w.core.state.documents.get('d2')!.heldBy).toBe('b');
    expect(w.audit.filter((e) => e.actor.kind === 'system').map((e) => [e.action, e.target?.id])).toEqual([['release', 'd1']]);
    w.core.tick(50_500);
    expect(w.core.state.documents.get('d2')!.heldBy).toBe('');
  });

  it('HOLD-4: a dropped connection puts down what it held and keeps the seat; leaving gives up the seat', async () => {
    const w = await fakeCore({ documents: ['d1'] });
    const ann = w.join('a', 'Ann', 0);
    w.core.intent(ann, 'grab', grab('d1'), 1);
    expect(w.core.drop('a')).toBe(true);
    expect(w.core.state.documents.get('d1')!.heldBy).toBe('');
    expect(w.core.state.participants.get('a')!.connected).toBe(false);
    await w.core.reconnect(ann, 2);
    expect(w.core.state.participants.get('a')!.connected).toBe(true);
    w.core.leave('a');
    expect(w.core.state.participants.has('a')).toBe(false);
  });
});

describe('world core: props', () => {
  const at = (x: number) => ({ position: [x, 0, 0], rotation: [0, 0, 0, 1], scale: 1 });
  const layout = [{ id: 'p1', kind: 'chair', ...at(0) }] as never;

  it('PROP-5: opens with the template layout, written at once, when the world has none stored', async () => {
    const w = await fakeCore();
    expect(w.calls.layouts).toHaveLength(1);
    expect(w.core.state.props.size).toBe(w.calls.layouts[0]!.length);
  });

  it('PROP-5: writes the layout on the flush while dragging, and at once when put down', async () => {
    const w = await fakeCore({ layout });
    const ann = w.join('a', 'Ann', 0);
    w.core.intent(ann, 'propGrab', { type: 'propGrab', propId: 'p1' }, 1);
    w.core.intent(ann, 'propMove', { type: 'propMove', propId: 'p1', position: [2, 0, 0] }, 2);
    await new Promise((r) => setTimeout(r, 10));
    expect(w.calls.layouts).toHaveLength(0);
    await w.core.flush();
    expect(w.calls.layouts.at(-1)![0]!.position).toEqual([2, 0, 0]);
    w.core.intent(ann, 'propMove', { type: 'propMove', propId: 'p1', position: [3, 0, 0] }, 3);
    w.core.intent(ann, 'propRelease', { type: 'propRelease', propId: 'p1' }, 4);
    await new Promise((r) => setTimeout(r, 10));
    expect(w.calls.layouts.at(-1)![0]!.position).toEqual([3, 0, 0]);
  });

  it('PROP-3: puts down what a dropped or silent holder held; a leaver\'s undo history goes with them', async () => {
    const w = await fakeCore({ layout });
    const ann = w.join('a', 'Ann', 0);
    w.core.intent(ann, 'propGrab', { type: 'propGrab', propId: 'p1' }, 1);
    w.core.drop('a');
    expect(w.core.state.props.get('p1')!.heldBy).toBe('');
    w.core.intent(ann, 'propGrab', { type: 'propGrab', propId: 'p1' }, 2);
    w.core.tick(2 + 30_001);
    expect(w.core.state.props.get('p1')!.heldBy).toBe('');
    w.core.intent(ann, 'propAdd', { type: 'propAdd', kind: 'lamp', position: [1, 0, 1] }, 40_000);
    w.core.leave('a');
    const back = w.join('a', 'Ann', 40_001);
    w.core.intent(back, 'propUndo', { type: 'propUndo' }, 40_002);
    expect(w.errors('a')).toEqual([ErrorCode.NOTHING_TO_UNDO]);
  });

  it('records prop changes in the audit log, a move as one entry at its release', async () => {
    const w = await fakeCore({ layout });
    const ann = w.join('a', 'Ann', 0);
    w.core.intent(ann, 'propGrab', { type: 'propGrab', propId: 'p1' }, 1);
    w.core.intent(ann, 'propMove', { type: 'propMove', propId: 'p1', position: [2, 0, 0] }, 2);
    w.core.intent(ann, 'propRelease', { type: 'propRelease', propId: 'p1' }, 3);
    w.core.intent(ann, 'propDelete', { type: 'propDelete', propId: 'p1' }, 4);
    const entries = w.audit.filter((e) => e.target?.type === 'prop');
    expect(entries.map((e) => e.action)).toEqual(['propGrab', 'propRelease', 'propDelete']);
    expect(entries[1]).toMatchObject({ before: { position: [0, 0, 0] }, after: { position: [2, 0, 0] } });
  });

  it('takes a look from the join, and none for a join without one', async () => {
    const w = await fakeCore();
    const look = { body: '#112233', skin: '#aa8866', hair: 'long', hairColour: '#000000', headwear: 'none', glasses: 'round' };
    w.core.join({ id: 'a' }, { protocol: PROTOCOL_VERSION, worldId: 'w1', name: 'Ann', look }, 0);
    w.join('b', 'Bob', 0);
    expect(w.core.state.participants.get('a')!.look).toBe(JSON.stringify(look));
    expect(w.core.state.participants.get('b')!.look).toBe('');
  });
});
