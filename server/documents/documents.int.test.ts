import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../shared/protocol';
import { useServer } from '../testing/useServer';
import { bootServer } from '../testing/bootServer';
import { createWorld, joinWorld, until } from '../testing/clients';
import { TINY_JPEG, makeGlb, makeGltfJson, makePdf, makePng } from '../testing/fixtures';

const server = useServer({ env: { MAX_UPLOAD_MB: '1' } });

async function upload(worldId: string, name: string, bytes: Uint8Array, fields: Record<string, string> = {}) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  form.set('file', new Blob([Buffer.from(bytes)]), name);
  const res = await fetch(`${server().url}/api/v3/documents?world=${encodeURIComponent(worldId)}`, { method: 'POST', body: form });
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

  it('answers a copy the caller already has with 304 and no body, and another copy in full', async () => {
    const world = await createWorld(server().url);
    const { body } = await upload(world.id, 'kept.md', Buffer.from('# Kept\n'));
    const url = `${server().url}/api/v3/documents/${body.document!.id}/content`;
    const first = await fetch(url);
    const etag = first.headers.get('etag')!;
    expect(etag).toBe(`"${body.document!.contentHash}"`);
    await first.arrayBuffer();
    const again = await fetch(url, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect((await again.arrayBuffer()).byteLength).toBe(0);
    const other = await fetch(url, { headers: { 'if-none-match': '"something-else"' } });
    expect(other.status).toBe(200);
    expect(await other.text()).toBe('# Kept\n');
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

const BOUNDARY = 'upload-test-boundary';
const part = (name: string, value: string) => `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
const fileHead = (fileName: string) => `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: text/plain\r\n\r\n`;
const spoolFiles = () => (existsSync(path.join(server().dataDir, 'uploads')) ? readdirSync(path.join(server().dataDir, 'uploads')) : []);

/**
 * Starts a multipart upload and sends `bytes` of its file without ever finishing it. Resolves with
 * the answer if one comes while the body is still incomplete, and with the spool files seen then.
 */
function unfinishedUpload(query: string, preamble: string, bytes: number, headers: Record<string, string> = {}) {
  return new Promise<{ status: number | undefined; body: string; spooled: string[] }>((resolve, reject) => {
    const url = new URL(`/api/v3/documents${query}`, server().url);
    const req = request(url, { method: 'POST', headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, ...headers } });
    const timer = setTimeout(() => {
      const spooled = spoolFiles();
      req.destroy();
      resolve({ status: undefined, body: '', spooled });
    }, 5_000);
    req.on('response', (res) => {
      const spooled = spoolFiles();
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => {
        clearTimeout(timer);
        req.destroy();
        resolve({ status: res.statusCode, body, spooled });
      });
    });
    req.on('error', (err) => (timer.hasRef() ? undefined : reject(err)));
    req.write(preamble);
    const chunk = Buffer.alloc(64 * 1024, 'a');
    for (let sent = 0; sent < bytes; sent += chunk.length) req.write(chunk);
  });
}

async function signUp(username: string): Promise<string> {
  const res = await fetch(`${server().url}/api/v3/auth/signup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'a long enough password' }) });
  expect(res.status).toBe(201);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

describe('upload checks before the file is read', () => {
  let privateWorld: string | undefined;
  const makePrivateWorld = async () => {
    if (privateWorld) return privateWorld;
    const token = await signUp(`owner${Date.now()}`);
    const res = await fetch(`${server().url}/api/v3/worlds`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ name: 'Private', template: 'office', guestRole: 'none' }) });
    expect(res.status).toBe(201);
    privateWorld = ((await res.json()) as { world: { id: string } }).world.id;
    return privateWorld;
  };

  it('refuses a guest at a private world named in the address before any of a too-large file is spooled', async () => {
    const world = await makePrivateWorld();
    const answer = await unfinishedUpload(`?world=${world}`, fileHead('big.txt'), 1.5 * 1024 * 1024);
    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.body).error.code).toBe(ErrorCode.UNAUTHORIZED);
    expect(answer.spooled).toEqual([]);
  });

  it('refuses a guest at a private world named in a field ahead of the file the same way', async () => {
    const world = await makePrivateWorld();
    const answer = await unfinishedUpload('', part('world', world) + fileHead('big.txt'), 1.5 * 1024 * 1024);
    expect(answer.status).toBe(401);
    expect(answer.spooled).toEqual([]);
  });

  it('refuses a world named only after the file, and a field that contradicts the address', async () => {
    const world = await createWorld(server().url);
    const form = new FormData();
    form.set('file', new Blob(['# late']), 'late.md');
    form.set('world', world.id);
    const late = await fetch(`${server().url}/api/v3/documents`, { method: 'POST', body: form });
    expect(late.status).toBe(400);
    expect(((await late.json()) as { error: { message: string } }).error.message).toMatch(/world.*before the file|ahead of the "file"/);
    const other = await upload(world.id, 'x.md', Buffer.from('# x'), { world: 'another' });
    expect(other.status).toBe(400);
    expect(other.body.error?.message).toMatch(/another world/);
    const legacy = new FormData();
    legacy.set('world', world.id);
    legacy.set('file', new Blob(['# early']), 'early.md');
    expect((await fetch(`${server().url}/api/v3/documents`, { method: 'POST', body: legacy })).status).toBe(201);
  });

  it('answers a malformed field with 400 and the reason, and stores nothing', async () => {
    const world = await createWorld(server().url);
    const before = { docs: (await listDocs(world.id)).length, files: filesOnDisk() };
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ rotation: 'not json' }, /rotation: must be JSON/],
      [{ rotation: '[1, 2]' }, /rotation/],
      [{ rotation: '{"__proto__": 1}' }, /rotation/],
      [{ position: '[1, "x", 3]' }, /position/],
      [{ position: 'x'.repeat(300) }, /position/],
      [{ title: 't'.repeat(400) }, /title/],
      [{ colour: 'red' }, /colour/],
    ];
    for (const [fields, reason] of cases) {
      const res = await upload(world.id, 'x.md', Buffer.from('# x'), fields);
      expect(res.status, JSON.stringify(fields)).toBe(400);
      expect(res.body.error?.code).toBe(ErrorCode.BAD_REQUEST);
      expect(res.body.error?.message).toMatch(reason);
    }
    expect((await listDocs(world.id)).length).toBe(before.docs);
    expect(filesOnDisk()).toEqual(before.files);
  });

  it('removes the spool file of an upload cut off half way', async () => {
    const world = await createWorld(server().url);
    const answer = await unfinishedUpload(`?world=${world.id}`, fileHead('cut.txt'), 256 * 1024);
    expect(answer.status).toBeUndefined();
    expect(answer.spooled.length).toBe(1);
    await until('the spool file to go', () => spoolFiles().length === 0);
  });
});

describe('uploads left by a crash', () => {
  it('are removed when the server starts again', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'dwc-spool-'));
    const spool = path.join(dataDir, 'uploads');
    mkdirSync(spool, { recursive: true });
    writeFileSync(path.join(spool, 'left-by-a-crash'), 'half an upload');
    const anHourAgo = new Date(Date.now() - 60 * 60_000);
    utimesSync(path.join(spool, 'left-by-a-crash'), anHourAgo, anHourAgo);
    writeFileSync(path.join(spool, 'still-arriving'), 'an upload in progress elsewhere');
    const restarted = await bootServer({ dataDir });
    try {
      expect(readdirSync(spool)).toEqual(['still-arriving']);
    } finally {
      await restarted.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
