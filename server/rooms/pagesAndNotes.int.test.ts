import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../shared/protocol';
import { bootServer, type BootedServer } from '../testing/bootServer';
import { createWorld, joinWorld, settle, until } from '../testing/clients';

const started: BootedServer[] = [];
async function boot(dataDir?: string, env: Record<string, string> = {}) {
  const s = await bootServer({ dataDir, env });
  started.push(s);
  return s;
}
afterEach(async () => {
  for (const s of started.splice(0)) {
    await s.stop({ kill: true });
  }
});

const notes = (p: { room: { state: unknown } }) => [...((p.room.state as any).annotations.values() as Iterable<any>)];

describe('pages and notes', () => {
  it('PAGE-1, PAGE-4, NOTE-5: shares page turns and notes live, and keeps them across a restart', async () => {
    const first = await boot();
    const world = await createWorld(first.url);
    const ann = await joinWorld(first.url, world.id, 'Ann');
    const bob = await joinWorld(first.url, world.id, 'Bob');
    const [doc] = ann.docIds();
    ann.sendRaw('page', { type: 'page', docId: doc, page: 3, spread: 2 });
    await until('Bob to see page 3', () => bob.doc(doc!)?.page === 3 && (bob.doc(doc!) as any).spread === 2);

    bob.sendRaw('noteAdd', { type: 'noteAdd', docId: doc, page: 3, u: 0.1, v: 0.9, text: 'Check clause 4', colour: '#ff0000' });
    await until('Ann to see the note', () => notes(ann).length === 1);
    const [note] = notes(ann);
    expect(note).toMatchObject({ documentId: doc, page: 3, text: 'Check clause 4', colour: '#ff0000', author: 'Bob' });
    ann.sendRaw('noteEdit', { type: 'noteEdit', noteId: note.id, text: 'Clause 4 is fine' });
    await until('Bob to see the edit', () => notes(bob)[0]?.text === 'Clause 4 is fine');
    ann.sendRaw('noteAdd', { type: 'noteAdd', docId: doc, page: 1, u: 0.5, v: 0.5, text: 'temporary' });
    await until('two notes', () => notes(bob).length === 2);
    const temp = notes(bob).find((n) => n.text === 'temporary');
    bob.sendRaw('noteDelete', { type: 'noteDelete', noteId: temp.id });
    await until('one note again', () => notes(ann).length === 1);
    ann.sendRaw('noteEdit', { type: 'noteEdit', noteId: temp.id, text: 'too late' });
    await until('a refusal', () => ann.errors.length === 1);
    expect(ann.errors[0]?.code).toBe(ErrorCode.NOTE_NOT_FOUND);
    await settle(300);
    await first.stop({ kill: true });

    const second = await boot(first.dataDir);
    const cat = await joinWorld(second.url, world.id, 'Cat');
    expect(cat.doc(doc!)).toMatchObject({ page: 3, spread: 2 });
    expect(notes(cat).map((n) => ({ text: n.text, author: n.author, page: n.page }))).toEqual([{ text: 'Clause 4 is fine', author: 'Bob', page: 3 }]);
    await cat.room.leave();
  });

  it('NOTE-2, PAGE-2, INTENT-2: refuses hostile note text and notes on documents that do not exist', async () => {
    const server = await boot();
    const world = await createWorld(server.url);
    const ann = await joinWorld(server.url, world.id, 'Ann');
    const [doc] = ann.docIds();
    ann.sendRaw('noteAdd', { type: 'noteAdd', docId: doc, page: 1, u: 0, v: 0, text: 'x'.repeat(5000) });
    ann.sendRaw('noteAdd', { type: 'noteAdd', docId: doc, page: 1, u: NaN, v: 0, text: 'x' });
    ann.sendRaw('noteAdd', { type: 'noteAdd', docId: 'nosuchdoc', page: 1, u: 0, v: 0, text: 'x' });
    ann.sendRaw('page', { type: 'page', docId: doc, page: 0 });
    await until('four refusals', () => ann.errors.length === 4);
    expect(ann.errors.map((e) => e.code)).toEqual([ErrorCode.INVALID_INTENT, ErrorCode.INVALID_INTENT, ErrorCode.DOCUMENT_NOT_FOUND, ErrorCode.INVALID_INTENT]);
    ann.sendRaw('noteAdd', { type: 'noteAdd', docId: doc, page: 1, u: 0, v: 0, text: '<b onmouseover=alert(1)>hi</b>' });
    await until('the note', () => notes(ann).length === 1);
    expect(notes(ann)[0].text).toBe('<b onmouseover=alert(1)>hi</b>');
    await ann.room.leave();
  });

  it('HOLD-5: frees a held document when its holder goes silent past the lease', async () => {
    const server = await boot(undefined, { HOLD_LEASE_SECONDS: '1' });
    const world = await createWorld(server.url);
    const ann = await joinWorld(server.url, world.id, 'Ann');
    const bob = await joinWorld(server.url, world.id, 'Bob');
    const [doc] = ann.docIds();
    ann.sendRaw('grab', { type: 'grab', docId: doc });
    await until('the hold', () => bob.doc(doc!)?.heldBy === ann.room.sessionId);
    // Bob keeps talking; Ann says nothing more
    const chatter = setInterval(() => bob.sendRaw('pose', { type: 'pose', head: [0, 1.6, 0, 0, 0, 0, 1], left: null, right: null }), 100);
    try {
      await until('the lease to lapse', () => bob.doc(doc!)?.heldBy === '', 5000);
    } finally {
      clearInterval(chatter);
    }
    await ann.room.leave();
    await bob.room.leave();
  });
});
