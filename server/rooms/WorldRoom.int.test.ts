import { describe, expect, it } from 'vitest';
import { ErrorCode, PROTOCOL_VERSION, type Pose } from '../../shared/protocol';
import { encodePoseUplink } from '../../shared/protocol/poseWire';
import { useServer } from '../testing/useServer';
import { createWorld, joinWorld, settle, until } from '../testing/clients';
import { Client } from '@colyseus/sdk';

const server = useServer();

describe('world room', () => {
  it('takes a pose as 35 bytes, and refuses bytes that are not one without changing anything', async () => {
    const world = await createWorld(server().url);
    const ann = await joinWorld(server().url, world.id, 'Ann');
    const bob = await joinWorld(server().url, world.id, 'Bob');
    const head: Pose = [1.25, 1.6, -2.5, 0, Math.SQRT1_2, 0, Math.SQRT1_2];
    const hand: Pose = [1.5, 1.1, -2.25, 0, 0, 0, 1];
    const bytes = encodePoseUplink({ head, left: hand, right: null, device: 'vr' });
    expect(bytes.byteLength).toBe(25);
    ann.room.sendBytes('pose', bytes);
    const annAsBobSees = () => (bob.room.state as any).participants.get(ann.room.sessionId);
    await until('the pose to reach Bob', () => annAsBobSees()?.head.px === 1.25);
    expect(annAsBobSees()).toMatchObject({ device: 'vr', head: { px: 1.25, py: expect.closeTo(1.6, 5), pz: -2.5, qy: expect.closeTo(Math.SQRT1_2, 3) } });
    expect(annAsBobSees().left).toMatchObject({ tracked: true, px: 1.5, pz: -2.25 });
    expect(annAsBobSees().right.tracked).toBe(false);
    const before = bob.snapshot();
    // too short, a hand announced but missing, an unknown device, and a place outside the world
    const far = encodePoseUplink({ head: [0, 1.6, 0, 0, 0, 0, 1], left: null, right: null });
    new DataView(far.buffer).setUint16(2, 0xffff, true);
    new DataView(far.buffer).setInt8(4, 0x0f);
    const wrong = [new Uint8Array([2]), encodePoseUplink({ head, left: null, right: null }).map((b, i) => (i === 1 ? 1 : b)), new Uint8Array([9, ...encodePoseUplink({ head, left: null, right: null }).slice(1)]), far];
    for (const w of wrong) ann.room.sendBytes('pose', w);
    await until('four refusals', () => ann.errors.length === 4);
    expect(ann.errors.map((e) => e.code)).toEqual(Array(4).fill(ErrorCode.INVALID_INTENT));
    expect(ann.errors.map((e) => e.message)).toEqual([
      expect.stringContaining('35 bytes at most and 15 at least, not 1'),
      expect.stringContaining('with these hands is 25 bytes, not 15'),
      expect.stringContaining('unknown device 9'),
      expect.stringContaining('more than 500 m'),
    ]);
    await settle();
    expect(bob.snapshot()).toEqual(before);
    await ann.room.leave();
    await bob.room.leave();
  });

  it('puts two clients of one world in the same room and shows each the other', async () => {
    const world = await createWorld(server().url);
    const ann = await joinWorld(server().url, world.id, 'Ann');
    const [d1, d2, d3] = ann.docIds();
    const bob = await joinWorld(server().url, world.id, 'Bob');
    expect(bob.room.roomId).toBe(ann.room.roomId);
    await until('Ann to see Bob', () => (ann.room.state as any).participants.has(bob.room.sessionId));
    const seen = (ann.room.state as any).participants.get(bob.room.sessionId);
    expect(seen.name).toBe('Bob');
    expect(seen.colour).toMatch(/^#[0-9a-f]{6}$/i);
    await ann.room.leave();
    await bob.room.leave();
  });

  it('sends a grabbed and moved document to the other client', async () => {
    const world = await createWorld(server().url);
    const ann = await joinWorld(server().url, world.id, 'Ann');
    const [d1, d2, d3] = ann.docIds();
    const bob = await joinWorld(server().url, world.id, 'Bob');
    ann.sendRaw('grab', { type: 'grab', docId: d1! });
    await until('the hold to reach Bob', () => bob.doc(d1!)?.heldBy === ann.room.sessionId);
    ann.sendRaw('move', { type: 'move', docId: d1!, position: [1.5, 1.2, -3.25] });
    await until('the move to reach Bob', () => bob.doc(d1!)?.x === 1.5);
    expect(bob.doc(d1!)).toMatchObject({ x: 1.5, y: expect.closeTo(1.2, 5), z: -3.25 });
    ann.sendRaw('release', { type: 'release', docId: d1! });
    await until('the release to reach Bob', () => bob.doc(d1!)?.heldBy === '');
    expect(ann.errors).toEqual([]);
    await ann.room.leave();
    await bob.room.leave();
  });

  it('HOLD-1: refuses a third client a document that is already held', async () => {
    const world = await createWorld(server().url);
    const ann = await joinWorld(server().url, world.id, 'Ann');
    const [d1, d2, d3] = ann.docIds();
    const bob = await joinWorld(server().url, world.id, 'Bob');
    const cat = await joinWorld(server().url, world.id, 'Cat');
    ann.sendRaw('grab', { type: 'grab', docId: d1! });
    await until('the hold', () => cat.doc(d1!)?.heldBy === ann.room.sessionId);
    cat.sendRaw('grab', { type: 'grab', docId: d1! });
    cat.sendRaw('move', { type: 'move', docId: d1!, position: [4, 4, 4] });
    await until('two refusals', () => cat.errors.length === 2);
    expect(cat.errors.map((e) => e.code)).toEqual([ErrorCode.HELD_BY_OTHER, ErrorCode.NOT_HOLDER]);
    await settle();
    expect(bob.doc(d1!)?.heldBy).toBe(ann.room.sessionId);
    expect(bob.doc(d1!)?.x).not.toBe(4);
    for (const p of [ann, bob, cat]) await p.room.leave();
  });

  it('HOLD-4: releases the hold when the holder leaves', async () => {
    const world = await createWorld(server().url);
    const ann = await joinWorld(server().url, world.id, 'Ann');
    const [d1, d2, d3] = ann.docIds();
    const bob = await joinWorld(server().url, world.id, 'Bob');
    ann.sendRaw('grab', { type: 'grab', docId: d2! });
    await until('the hold', () => bob.doc(d2!)?.heldBy === ann.room.sessionId);
    await ann.room.leave();
    await until('the hold to be released', () => bob.doc(d2!)?.heldBy === '');
    await until('Ann to be gone', () => (bob.room.state as any).participants.size === 1);
    await bob.room.leave();
  });

  it('HOLD-4: releases the hold at once when the holder drops, and keeps their place for a reconnect', async () => {
    const world = await createWorld(server().url);
    const ann = await joinWorld(server().url, world.id, 'Ann');
    const [d1, d2, d3] = ann.docIds();
    const bob = await joinWorld(server().url, world.id, 'Bob');
    ann.sendRaw('grab', { type: 'grab', docId: d2! });
    await until('the hold', () => bob.doc(d2!)?.heldBy === ann.room.sessionId);
    ann.room.reconnection.enabled = false;
    ann.room.connection.close(4999, 'network gone'); // not a consented leave: a dropped connection
    await until('the hold to be released', () => bob.doc(d2!)?.heldBy === '');
    const annSeenByBob = (bob.room.state as any).participants.get(ann.room.sessionId);
    expect(annSeenByBob?.connected).toBe(false);
    // a fresh client can take it now
    bob.sendRaw('grab', { type: 'grab', docId: d2! });
    await until('Bob to hold it', () => bob.doc(d2!)?.heldBy === bob.room.sessionId);
    await bob.room.leave();
  });

  it('SYNC-2: lets a dropped participant reconnect into the same seat', async () => {
    const world = await createWorld(server().url);
    const ann = await joinWorld(server().url, world.id, 'Ann');
    const [d1, d2, d3] = ann.docIds();
    const bob = await joinWorld(server().url, world.id, 'Bob');
    const token = ann.room.reconnectionToken;
    ann.room.reconnection.enabled = false;
    ann.room.connection.close(4999, 'network gone');
    await until('Ann to show as disconnected', () => (bob.room.state as any).participants.get(ann.room.sessionId)?.connected === false);
    const again = await new Client(server().url).reconnect(token);
    expect(again.sessionId).toBe(ann.room.sessionId);
    await until('Ann to show as connected', () => (bob.room.state as any).participants.get(ann.room.sessionId)?.connected === true);
    await again.leave();
    await bob.room.leave();
  });

  it('INTENT-1: answers a malformed intent of each type with an error and changes nothing', async () => {
    const world = await createWorld(server().url);
    const ann = await joinWorld(server().url, world.id, 'Ann');
    const [d1, d2, d3] = ann.docIds();
    const bob = await joinWorld(server().url, world.id, 'Bob');
    ann.sendRaw('grab', { type: 'grab', docId: d1! });
    await until('the hold', () => bob.doc(d1!)?.heldBy === ann.room.sessionId);
    await settle();
    const before = bob.snapshot();

    const malformed: Array<[string, unknown]> = [
      ['pose', { type: 'pose', head: [0, 1, 0], left: null, right: null }],
      ['pose', { type: 'pose', head: [0, 1.6, 0, 0, 0, 0, 1], left: 'hand', right: null }],
      ['pose', 42],
      ['grab', { type: 'grab', docId: '<script>alert(1)</script>' }],
      ['grab', { type: 'grab' }],
      ['move', { type: 'move', docId: d1!, position: [1, 2, '3'] }],
      ['move', { type: 'move', docId: d1!, position: [1e12, 0, 0] }],
      ['move', { type: 'move', docId: d1!, position: [0, 0, 0], scale: -1 }],
      ['release', { type: 'release', docId: 42 }],
      ['release', { type: 'grab', docId: d1! }],
      ['teleport', { type: 'teleport', to: [0, 0, 0] }],
    ];
    for (const [type, payload] of malformed) ann.sendRaw(type, payload);
    await until('an answer to each', () => ann.errors.length === malformed.length);
    expect(new Set(ann.errors.map((e) => e.code))).toEqual(new Set([ErrorCode.INVALID_INTENT, ErrorCode.UNKNOWN_INTENT]));
    for (const e of ann.errors) expect(e.message.length).toBeGreaterThan(10);
    await settle();
    expect(bob.snapshot()).toEqual(before);
    // and the room still works
    ann.sendRaw('move', { type: 'move', docId: d1!, position: [2, 2, 2] });
    await until('a good move after the bad ones', () => bob.doc(d1!)?.x === 2);
    await ann.room.leave();
    await bob.room.leave();
  });

  it('refuses a client that speaks another protocol version, with a message that says what to do', async () => {
    const world = await createWorld(server().url);
    const err = await new Client(server().url)
      .joinOrCreate('world', { protocol: PROTOCOL_VERSION + 1, worldId: world.id, name: 'Future' })
      .then(() => null, (e: Error) => e);
    expect(err?.message).toContain(ErrorCode.PROTOCOL_MISMATCH);
    expect(err?.message).toMatch(/reload/i);
  });

  it('refuses to join a world that does not exist, or without a name', async () => {
    const missing = await new Client(server().url)
      .joinOrCreate('world', { protocol: PROTOCOL_VERSION, worldId: 'nosuchworld', name: 'Ann' })
      .then(() => null, (e: Error) => e);
    expect(missing?.message).toContain(ErrorCode.WORLD_NOT_FOUND);
    const world = await createWorld(server().url);
    const nameless = await new Client(server().url)
      .joinOrCreate('world', { protocol: PROTOCOL_VERSION, worldId: world.id, name: '   ' })
      .then(() => null, (e: Error) => e);
    expect(nameless?.message).toContain(ErrorCode.INVALID_JOIN);
  });

  it('refuses a join past the world capacity without opening a second room', async () => {
    const world = await createWorld(server().url, { name: 'Small', template: 'office', capacity: 1 });
    const ann = await joinWorld(server().url, world.id, 'Ann');
    const [d1, d2, d3] = ann.docIds();
    const err = await joinWorld(server().url, world.id, 'Bob').then(() => null, (e: Error) => e);
    expect(err?.message).toContain(ErrorCode.WORLD_FULL);
    const health = (await (await fetch(`${server().url}/api/v3/health`)).json()) as { rooms: number };
    const worlds = (await (await fetch(`${server().url}/api/v3/worlds/${world.id}`)).json()) as { world: { participants: number } };
    expect(worlds.world.participants).toBe(1);
    expect(health.rooms).toBeGreaterThanOrEqual(1);
    await ann.room.leave();
  });
});
