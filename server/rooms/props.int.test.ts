/**
 * Props through the real room: what an editor changes everyone sees, a viewer changes nothing, one
 * person holds a prop at a time, each person's undo takes back their own last change, and the
 * layout is still there after a restart.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../shared/protocol';
import { templateLayout } from '../../shared/model/props';
import { bootServer, type BootedServer } from '../testing/bootServer';
import { createWorld, joinWorld, settle, until, type TestParticipant } from '../testing/clients';
import { useServer } from '../testing/useServer';

const shared = useServer();
const started: BootedServer[] = [];
async function boot(dataDir?: string) {
  const s = await bootServer({ dataDir });
  started.push(s);
  return s;
}
afterEach(async () => {
  for (const s of started.splice(0)) await s.stop({ kill: true });
});

type Prop = { id: string; kind: string; x: number; y: number; z: number; qy: number; scale: number; heldBy: string };
const props = (p: TestParticipant) => (p.room.state as any).props as Map<string, Prop>;
const prop = (p: TestParticipant, id: string) => props(p).get(id);
const near = (a: number, b: number) => Math.abs(a - b) < 1e-3;
const LOOK = { body: '#2255aa', skin: '#8d5524', hair: 'curly', hairColour: '#111111', headwear: 'beanie', glasses: 'shades' };

describe('props in a world', () => {
  it('PROP-1: shows the template layout, and what an editor adds, moves and removes reaches everyone', { timeout: 60_000 }, async () => {
    const server = shared();
    const world = await createWorld(server.url);
    const ann = await joinWorld(server.url, world.id, 'Ann');
    const bob = await joinWorld(server.url, world.id, 'Bob', { look: LOOK });
    expect([...props(bob).keys()].sort()).toEqual(templateLayout('office').map((p) => p.id).sort());
    // Bob's join reaches Ann in the next state patch, not with his seat.
    await until('Bob at Ann', () => (ann.room.state as any).participants.get(bob.room.sessionId) !== undefined);
    expect((ann.room.state as any).participants.get(bob.room.sessionId).look).toBe(JSON.stringify(LOOK));

    ann.sendRaw('propAdd', { type: 'propAdd', kind: 'plant', position: [2, 0, 6], scale: 1.5 });
    await until('the new plant at Bob', () => [...props(bob).values()].some((p) => p.kind === 'plant' && near(p.z, 6)));
    const added = [...props(bob).values()].find((p) => p.kind === 'plant' && near(p.z, 6))!;
    expect(added.scale).toBeCloseTo(1.5);

    ann.sendRaw('propGrab', { type: 'propGrab', propId: added.id });
    ann.sendRaw('propMove', { type: 'propMove', propId: added.id, position: [3, 0, 5], rotation: [0, 1, 0, 0] });
    ann.sendRaw('propRelease', { type: 'propRelease', propId: added.id });
    await until('the move at Bob', () => near(prop(bob, added.id)?.x ?? 0, 3) && prop(bob, added.id)?.heldBy === '');
    expect(prop(bob, added.id)).toMatchObject({ qy: 1 });

    ann.sendRaw('propDelete', { type: 'propDelete', propId: 'p1' });
    await until('the removal at Bob', () => prop(bob, 'p1') === undefined);

    ann.sendRaw('propAdd', { type: 'propAdd', kind: 'no-such-thing', position: [0, 0, 0] });
    await until('the refusal', () => ann.errors.some((e) => e.code === ErrorCode.PROP_KIND_UNKNOWN));
    expect(ann.errors.map((e) => e.code)).toEqual([ErrorCode.PROP_KIND_UNKNOWN]);
    await ann.room.leave();
    await bob.room.leave();
  });

  it('PROP-2: refuses a viewer every change to the layout, and nothing changes', { timeout: 60_000 }, async () => {
    const server = shared();
    const signup = await fetch(`${server.url}/api/v3/auth/signup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'olive', password: 'a long enough password' }) });
    const token = ((await signup.json()) as { accessToken: string }).accessToken;
    const made = await fetch(`${server.url}/api/v3/worlds`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ name: 'Look only', template: 'plaza', guestRole: 'viewer' }) });
    const worldId = ((await made.json()) as { world: { id: string } }).world.id;
    const owner = await joinWorld(server.url, worldId, 'Olive', { token });
    const guest = await joinWorld(server.url, worldId, 'Gus');
    const before = JSON.stringify((owner.snapshot() as any).props);
    const tries: Array<[string, unknown]> = [
      ['propAdd', { type: 'propAdd', kind: 'chair', position: [0, 0, 0] }],
      ['propGrab', { type: 'propGrab', propId: 'p1' }],
      ['propMove', { type: 'propMove', propId: 'p1', position: [1, 0, 1] }],
      ['propRelease', { type: 'propRelease', propId: 'p1' }],
      ['propDelete', { type: 'propDelete', propId: 'p1' }],
      ['propUndo', { type: 'propUndo' }],
    ];
    for (const [type, payload] of tries) guest.sendRaw(type, payload);
    await until('every refusal', () => guest.errors.length === tries.length);
    expect(guest.errors.map((e) => [e.intent, e.code])).toEqual(tries.map(([type]) => [type, ErrorCode.FORBIDDEN]));
    // a look is one's own: a viewer may change theirs
    guest.sendRaw('avatar', { type: 'avatar', look: LOOK });
    await until('the look', () => (owner.room.state as any).participants.get(guest.room.sessionId).look === JSON.stringify(LOOK));
    await settle();
    expect(JSON.stringify((owner.snapshot() as any).props)).toBe(before);
    await owner.room.leave();
    await guest.room.leave();
  });

  it('PROP-3: lets one person hold a prop at a time, and puts it down when they leave', { timeout: 60_000 }, async () => {
    const server = shared();
    const world = await createWorld(server.url);
    const ann = await joinWorld(server.url, world.id, 'Ann');
    const bob = await joinWorld(server.url, world.id, 'Bob');
    ann.sendRaw('propGrab', { type: 'propGrab', propId: 'p2' });
    await until('Ann holds it', () => prop(bob, 'p2')?.heldBy === ann.room.sessionId);
    bob.sendRaw('propGrab', { type: 'propGrab', propId: 'p2' });
    bob.sendRaw('propMove', { type: 'propMove', propId: 'p2', position: [4, 0, 4] });
    bob.sendRaw('propDelete', { type: 'propDelete', propId: 'p2' });
    await until('the refusals', () => bob.errors.length === 3);
    expect(bob.errors.map((e) => e.code)).toEqual([ErrorCode.HELD_BY_OTHER, ErrorCode.NOT_HOLDER, ErrorCode.HELD_BY_OTHER]);
    await ann.room.leave();
    await until('the prop put down', () => prop(bob, 'p2')?.heldBy === '');
    bob.sendRaw('propGrab', { type: 'propGrab', propId: 'p2' });
    await until('Bob holds it', () => prop(bob, 'p2')?.heldBy === bob.room.sessionId);
    await bob.room.leave();
  });

  it('PROP-4: undoes one\'s own add, move and removal, newest first, and not someone else\'s', { timeout: 60_000 }, async () => {
    const server = shared();
    const world = await createWorld(server.url);
    const ann = await joinWorld(server.url, world.id, 'Ann');
    const bob = await joinWorld(server.url, world.id, 'Bob');
    const start = { ...prop(ann, 'p3')! };
    const count = props(ann).size;

    ann.sendRaw('propAdd', { type: 'propAdd', kind: 'lamp', position: [1, 0, 7] });
    await until('the lamp', () => props(ann).size === count + 1);
    ann.sendRaw('propGrab', { type: 'propGrab', propId: 'p3' });
    ann.sendRaw('propMove', { type: 'propMove', propId: 'p3', position: [5, 0, 5] });
    ann.sendRaw('propRelease', { type: 'propRelease', propId: 'p3' });
    // a grab put down where it was is no change to undo
    ann.sendRaw('propGrab', { type: 'propGrab', propId: 'p4' });
    ann.sendRaw('propRelease', { type: 'propRelease', propId: 'p4' });
    ann.sendRaw('propDelete', { type: 'propDelete', propId: 'p5' });
    await until('the removal', () => prop(bob, 'p5') === undefined && near(prop(bob, 'p3')!.x, 5));

    bob.sendRaw('propUndo', { type: 'propUndo' });
    await until('Bob has nothing to undo', () => bob.errors.some((e) => e.code === ErrorCode.NOTHING_TO_UNDO));

    ann.sendRaw('propUndo', { type: 'propUndo' });
    await until('the removal undone', () => prop(bob, 'p5') !== undefined);
    ann.sendRaw('propUndo', { type: 'propUndo' });
    await until('the move undone', () => near(prop(bob, 'p3')!.x, start.x) && near(prop(bob, 'p3')!.z, start.z));
    ann.sendRaw('propUndo', { type: 'propUndo' });
    await until('the add undone', () => props(bob).size === count);
    ann.sendRaw('propUndo', { type: 'propUndo' });
    await until('nothing left', () => ann.errors.some((e) => e.code === ErrorCode.NOTHING_TO_UNDO));
    expect(ann.errors.map((e) => e.code)).toEqual([ErrorCode.NOTHING_TO_UNDO]);
    await ann.room.leave();
    await bob.room.leave();
  });

  it('PROP-5: keeps the layout across a restart, including a prop dropped just before a crash', { timeout: 90_000 }, async () => {
    const first = await boot();
    const world = await createWorld(first.url, { name: 'Furnished', template: 'classroom' });
    const ann = await joinWorld(first.url, world.id, 'Ann');
    ann.sendRaw('propAdd', { type: 'propAdd', kind: 'sofa', position: [-3, 0, 6.5] });
    ann.sendRaw('propDelete', { type: 'propDelete', propId: 'p2' });
    ann.sendRaw('propGrab', { type: 'propGrab', propId: 'p1' });
    ann.sendRaw('propMove', { type: 'propMove', propId: 'p1', position: [2.5, 0, -6] });
    ann.sendRaw('propRelease', { type: 'propRelease', propId: 'p1' });
    await until('the release', () => prop(ann, 'p1')?.heldBy === '' && near(prop(ann, 'p1')!.x, 2.5));
    const expected = JSON.stringify((ann.snapshot() as any).props);
    // the release is written at once: crash as soon as the store has it
    const storedX = async () => ((await (await fetch(`${first.url}/api/v3/worlds/${world.id}/props`)).json()) as { props: Array<{ id: string; position: number[] }> }).props.find((p) => p.id === 'p1')?.position[0];
    await until('the layout in the store', async () => near((await storedX()) ?? 0, 2.5), 5000, 100);
    await first.stop({ kill: true });

    const second = await boot(first.dataDir);
    const bob = await joinWorld(second.url, world.id, 'Bob');
    expect(JSON.stringify((bob.snapshot() as any).props)).toBe(expected);
    expect(prop(bob, 'p2')).toBeUndefined();
    await bob.room.leave();
    second.cleanup();
  });
});
