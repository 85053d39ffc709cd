import { afterEach, describe, expect, it } from 'vitest';
import { bootServer, type BootedServer } from './testing/bootServer';
import { createWorld, joinWorld, until } from './testing/clients';

const started: BootedServer[] = [];
async function boot(dataDir?: string) {
  const s = await bootServer({ dataDir });
  started.push(s);
  return s;
}
afterEach(async () => {
  for (const s of started.splice(0)) await s.stop({ kill: true });
});

/** Where the store (not the room) says a document stands: what a restart would find. */
async function stored(server: BootedServer, docId: string): Promise<number[] | undefined> {
  const res = await fetch(`${server.url}/api/v3/documents/${docId}`);
  return res.ok ? ((await res.json()) as { document: { position: number[] } }).document.position : undefined;
}
const storedAt = async (server: BootedServer, docId: string, where: number[]) => JSON.stringify(await stored(server, docId)) === JSON.stringify(where);

describe('persistence', () => {
  it('keeps worlds and where documents were dropped across a graceful restart', async () => {
    const first = await boot();
    const world = await createWorld(first.url, { name: 'Keeps things', template: 'gallery' });
    const ann = await joinWorld(first.url, world.id, 'Ann');
    const [d1, d2, d3] = ann.docIds();
    ann.sendRaw('grab', { type: 'grab', docId: d2! });
    ann.sendRaw('move', { type: 'move', docId: d2!, position: [-1.25, 1.5, 2.5], rotation: [0, 1, 0, 0], scale: 1.5 });
    ann.sendRaw('release', { type: 'release', docId: d2! });
    await until('the release', () => ann.doc(d2!)?.heldBy === '');
    await ann.room.leave();
    await first.stop();

    const second = await boot(first.dataDir);
    const worlds = (await (await fetch(`${second.url}/api/v3/worlds`)).json()) as { worlds: Array<{ id: string; name: string }> };
    expect(worlds.worlds.map((w) => w.name)).toContain('Keeps things');
    const bob = await joinWorld(second.url, world.id, 'Bob');
    expect(bob.doc(d2!)).toMatchObject({ x: -1.25, y: 1.5, z: 2.5, qy: 1, scale: 1.5, heldBy: '' });
    await bob.room.leave();
    second.cleanup();
  });

  it('keeps a dropped document where it was when the server is killed right after', async () => {
    const first = await boot();
    const world = await createWorld(first.url);
    const ann = await joinWorld(first.url, world.id, 'Ann');
    const [d1, d2, d3] = ann.docIds();
    ann.sendRaw('grab', { type: 'grab', docId: d1! });
    ann.sendRaw('move', { type: 'move', docId: d1!, position: [3, 1, -1] });
    ann.sendRaw('release', { type: 'release', docId: d1! });
    await until('the release', () => ann.doc(d1!)?.heldBy === '');
    // the drop is written at once: crash as soon as the store has it
    await until('the drop in the store', () => storedAt(first, d1!, [3, 1, -1]));
    await first.stop({ kill: true });

    const second = await boot(first.dataDir);
    const bob = await joinWorld(second.url, world.id, 'Bob');
    expect(bob.doc(d1!)).toMatchObject({ x: 3, y: 1, z: -1 });
    await bob.room.leave();
    second.cleanup();
  });

  it('saves positions of a document still being dragged within a second', async () => {
    const first = await boot();
    const world = await createWorld(first.url);
    const ann = await joinWorld(first.url, world.id, 'Ann');
    const [d1, d2, d3] = ann.docIds();
    ann.sendRaw('grab', { type: 'grab', docId: d3! });
    ann.sendRaw('move', { type: 'move', docId: d3!, position: [0.5, 2, 0.5] });
    await until('the move', () => ann.doc(d3!)?.x === 0.5);
    // a position still being dragged is written on the next save tick, within a second
    await until('the dragged position in the store', () => storedAt(first, d3!, [0.5, 2, 0.5]), 1200);
    await first.stop({ kill: true });

    const second = await boot(first.dataDir);
    const bob = await joinWorld(second.url, world.id, 'Bob');
    expect(bob.doc(d3!)).toMatchObject({ x: 0.5, y: 2, z: 0.5, heldBy: '' });
    await bob.room.leave();
    second.cleanup();
  });
});
