import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../shared/protocol';
import { useServer } from '../testing/useServer';
import { createWorld, joinWorld, until } from '../testing/clients';
import { TINY_JPEG, makeGlb, makeGltfJson, makePdf, makePng } from '../testing/fixtures';

const server = useServer({ env: { MAX_UPLOAD_MB: '1' } });

async function upload(worldId: string, name: string, bytes: Uint8Array, fields: Record<string, string> = {}) {
  const form = new FormData();
  form.set('world', worldId);
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  form.set('file', new Blob([Buffer.from(bytes)]), name);
  const res = await fetch(`${server().url}/api/v3/documents`, { method: 'POST', body: form });
  return { status: res.status, body: (await res.json()) as { document?: Record<string, unknown>; error?: { code: string; message: string } } };
}

const listDocs = async (worldId: string) =>
  ((await (await fetch(`${server().url}/api/v3/documents?world=${worldId}`)).json()) as { documents: Array<{ id: string; title: string }> }).documents;

/** Every file in the data directory, to check a refused upload left nothing behind. */
function filesOnDisk(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (!p.includes(`${path.sep}store${path.sep}`)) out.push(p);
    }
  };
  walk(server().dataDir);
  return out.sort();
}

describe('document upload', () => {
  it('accepts each supported kind, typed by its content, and serves it back unchanged', async () => {
    const world = await createWorld(server().url);
    const files: Array<[string, Buffer, string]> = [
      ['brief.md', Buffer.from('# Brief\n\n- scope\n- budget\n'), 'markdown'],
      ['readme.txt', Buffer.from('Plain words.'), 'text'],
      ['report.pdf', makePdf(['Page one', 'Page two', 'Page three']), 'pdf'],
      ['chart.png', makePng(), 'image'],
      ['photo.jpg', TINY_JPEG, 'image'],
      ['part.glb', makeGlb(), 'model'],
      ['part.gltf', makeGltfJson(), 'model'],
    ];
    for (const [name, bytes, kind] of files) {
      const { status, body } = await upload(world.id, name, bytes);
      expect(status, `${name}: ${JSON.stringify(body)}`).toBe(201);
      expect(body.document).toMatchObject({ kind, size: bytes.length, worldId: world.id, title: name.replace(/\.[a-z]+$/, '') });
      const content = await fetch(`${server().url}/api/v3/documents/${body.document!.id}/content`);
      expect(content.status).toBe(200);
      expect(Buffer.from(await content.arrayBuffer()).equals(bytes)).toBe(true);
      expect(content.headers.get('x-content-type-options')).toBe('nosniff');
    }
    const titles = (await listDocs(world.id)).map((d) => d.title);
    for (const [name] of files) expect(titles).toContain(name.replace(/\.[a-z]+$/, ''));
  });

  it('never serves uploaded text as a page', async () => {
    const world = await createWorld(server().url);
    const { body } = await upload(world.id, 'x.txt', Buffer.from('<script>alert(1)</script>'));
    const res = await fetch(`${server().url}/api/v3/documents/${body.document!.id}/content`);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
  });

  it('refuses oversize, empty, wrong-type and lying files with a clear error and stores nothing', async () => {
    const world = await createWorld(server().url);
    const before = { docs: (await listDocs(world.id)).length, files: filesOnDisk() };
    const cases: Array<[string, Uint8Array, number, string]> = [
      ['big.txt', Buffer.alloc(1024 * 1024 + 10, 'a'), 413, ErrorCode.TOO_LARGE],
      ['empty.md', Buffer.alloc(0), 400, ErrorCode.BAD_REQUEST],
      ['anim.gif', Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00', 'latin1'), 415, ErrorCode.UNSUPPORTED_TYPE],
      ['photo.png', Buffer.from('I am text, not a picture'), 415, ErrorCode.UNSUPPORTED_TYPE],
      ['report.pdf', makePng(), 415, ErrorCode.UNSUPPORTED_TYPE],
      ['blob.bin', Buffer.from([0, 159, 146, 150, 0, 0, 1]), 415, ErrorCode.UNSUPPORTED_TYPE],
    ];
    for (const [name, bytes, status, code] of cases) {
      const res = await upload(world.id, name, bytes);
      expect(res.status, name).toBe(status);
      expect(res.body.error?.code, name).toBe(code);
      expect(res.body.error?.message.length, name).toBeGreaterThan(15);
    }
    expect((await listDocs(world.id)).length).toBe(before.docs);
    expect(filesOnDisk()).toEqual(before.files);
  });

  it('writes nothing outside the store for a hostile file name, and keeps the title as plain data', async () => {
    const world = await createWorld(server().url);
    const { status, body } = await upload(world.id, '../../x.md', Buffer.from('# hostile'));
    expect(status).toBe(201);
    expect(body.document?.title).toBe('x');
    const outside = readdirSync(path.dirname(server().dataDir)).filter((f) => f === 'x.md' || f === 'x');
    expect(outside).toEqual([]);
    const titled = await upload(world.id, 'a.md', Buffer.from('# a'), { title: '<img src=x onerror=alert(1)>' });
    expect(titled.body.document?.title).toBe('<img src=x onerror=alert(1)>');
  });

  it('refuses uploads that are not multipart, name no world or name an unknown one', async () => {
    const notMultipart = await fetch(`${server().url}/api/v3/documents`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(notMultipart.status).toBe(415);
    const form = new FormData();
    form.set('file', new Blob(['# x']), 'x.md');
    const noWorld = await fetch(`${server().url}/api/v3/documents`, { method: 'POST', body: form });
    expect(noWorld.status).toBe(400);
    expect(((await noWorld.json()) as { error: { message: string } }).error.message).toMatch(/world/);
    const unknown = await upload('nosuchworld', 'x.md', Buffer.from('# x'));
    expect(unknown.status).toBe(404);
  });

  it('puts an upload into the live world where it was dropped, and takes a deleted one out', async () => {
    const world = await createWorld(server().url);
    const ann = await joinWorld(server().url, world.id, 'Ann');
    const { body } = await upload(world.id, 'dropped.md', Buffer.from('# Dropped here\n\nbody'), { position: '[1.5, 1.2, -2]' });
    const id = body.document!.id as string;
    await until('the upload to appear in the room', () => ann.doc(id) !== undefined);
    expect(ann.doc(id)).toMatchObject({ x: 1.5, y: expect.closeTo(1.2, 5), z: -2, kind: 'markdown', page: 1 });
    expect((ann.room.state as any).documents.get(id).body).toContain('Dropped here');
    ann.sendRaw('noteAdd', { type: 'noteAdd', docId: id, page: 1, u: 0.2, v: 0.3, text: 'look' });
    await until('the note', () => (ann.room.state as any).annotations.size === 1);

    const del = await fetch(`${server().url}/api/v3/documents/${id}`, { method: 'DELETE' });
    expect(del.status).toBe(204);
    await until('the document to leave the room', () => ann.doc(id) === undefined);
    await until('its note to go too', () => (ann.room.state as any).annotations.size === 0);
    expect((await fetch(`${server().url}/api/v3/documents/${id}`)).status).toBe(404);
    await ann.room.leave();
  });
});
