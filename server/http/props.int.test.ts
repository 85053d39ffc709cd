/**
 * Uploading prop models over REST: a good model becomes a kind the open room offers at once and its
 * bytes are served to those who may see the world; a hostile one is refused with the reason and
 * stores nothing; a viewer may not upload.
 */
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../shared/protocol';
import { createWorld, joinWorld, until } from '../testing/clients';
import { glbModel, gltfWithExternalBuffer, pngHeader } from '../testing/models';
import { useServer } from '../testing/useServer';

const server = useServer();

async function upload(worldId: string, body: Uint8Array, o: { name?: string; token?: string; type?: string } = {}) {
  const res = await fetch(`${server().url}/api/v3/worlds/${worldId}/props/models?name=${encodeURIComponent(o.name ?? 'Crate')}`, {
    method: 'POST',
    body,
    headers: { 'content-type': o.type ?? 'model/gltf-binary', ...(o.token ? { authorization: `Bearer ${o.token}` } : {}) },
  });
  return { status: res.status, json: (await res.json()) as any };
}
const models = async (worldId: string) => ((await (await fetch(`${server().url}/api/v3/worlds/${worldId}/props`)).json()) as { models: unknown[] }).models;

describe('prop model uploads', () => {
  it('PROPUP-1: accepts a small model, puts it in the open room at once, and serves its bytes', { timeout: 60_000 }, async () => {
    const world = await createWorld(server().url);
    const ann = await joinWorld(server().url, world.id, 'Ann');
    const glb = await glbModel({ triangles: 20 });
    const res = await upload(world.id, glb, { name: 'Crate' });
    expect(res.status).toBe(201);
    const model = res.json.model;
    expect(model).toMatchObject({ worldId: world.id, name: 'Crate', triangles: 20, size: glb.byteLength });
    expect(model.id).toMatch(/^u-[0-9a-f]{12}$/);
    await until('the model in the room', () => (ann.room.state as any).propModels.get(model.id)?.contentHash === model.contentHash);

    ann.sendRaw('propAdd', { type: 'propAdd', kind: model.id, position: [1, 0, 6] });
    await until('a prop of the new kind', () => [...(ann.room.state as any).props.values()].some((p: any) => p.kind === model.id));

    const content = await fetch(`${server().url}/api/v3/worlds/${world.id}/props/models/${model.id}/content`);
    expect(content.status).toBe(200);
    expect(content.headers.get('content-type')).toBe('model/gltf-binary');
    expect(content.headers.get('cache-control')).toContain('immutable');
    expect(Buffer.from(await content.arrayBuffer()).equals(Buffer.from(glb))).toBe(true);
    const again = await fetch(`${server().url}/api/v3/worlds/${world.id}/props/models/${model.id}/content`, { headers: { 'if-none-match': `"${model.contentHash}"` } });
    expect(again.status).toBe(304);

    // the same model again is the kind the world has
    const twice = await upload(world.id, glb, { name: 'Crate again' });
    expect(twice.status).toBe(200);
    expect(twice.json.model).toEqual(model);
    expect(await models(world.id)).toHaveLength(1);
    expect((await fetch(`${server().url}/api/v3/worlds/${world.id}/props/models/u-000000000000/content`)).status).toBe(404);
    await ann.room.leave();
  });

  it('PROPUP-2: refuses hostile models with the reason and stores none of them', { timeout: 60_000 }, async () => {
    const world = await createWorld(server().url);
    const cases: Array<[string, Uint8Array, number, string, string]> = [
      ['not a glTF', Buffer.from('%PDF-1.7 not a model'), 400, ErrorCode.BAD_REQUEST, 'not a glTF'],
      ['an external buffer', gltfWithExternalBuffer('../../secrets.bin'), 400, ErrorCode.BAD_REQUEST, 'outside the model'],
      ['an oversized texture', await glbModel({ texture: pngHeader(8192, 8192) }), 400, ErrorCode.BAD_REQUEST, '8192×8192'],
      ['too many triangles', await glbModel({ triangles: 100_001 }), 400, ErrorCode.BAD_REQUEST, 'triangles'],
      ['too large', new Uint8Array(8 * 1024 * 1024 + 1), 413, ErrorCode.TOO_LARGE, 'larger than'],
    ];
    for (const [what, body, status, code, reason] of cases) {
      const res = await upload(world.id, body, { type: what === 'an external buffer' ? 'model/gltf+json' : 'model/gltf-binary' });
      expect(res.status, what).toBe(status);
      expect(res.json.error.code, what).toBe(code);
      expect(res.json.error.message, what).toContain(reason);
    }
    // sent in pieces with no length given: cut off once past the limit
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > 9 * 1024 * 1024) return controller.close();
        sent += 1024 * 1024;
        controller.enqueue(new Uint8Array(1024 * 1024));
      },
    });
    const chunked = await fetch(`${server().url}/api/v3/worlds/${world.id}/props/models?name=Big`, { method: 'POST', body: stream, headers: { 'content-type': 'model/gltf-binary' }, duplex: 'half' } as RequestInit);
    expect(chunked.status).toBe(413);
    const form = new FormData();
    form.set('name', 'Text');
    form.set('file', new Blob(['plain words']), 'words.glb');
    const multipart = await fetch(`${server().url}/api/v3/worlds/${world.id}/props/models`, { method: 'POST', body: form });
    expect(multipart.status).toBe(400);
    expect(await models(world.id)).toEqual([]);
  });

  it('PROPUP-3: takes a model as multipart too, named by its field', { timeout: 60_000 }, async () => {
    const world = await createWorld(server().url);
    const form = new FormData();
    form.set('name', 'Statue');
    form.set('file', new Blob([await glbModel({ triangles: 3 })]), 'statue.glb');
    const res = await fetch(`${server().url}/api/v3/worlds/${world.id}/props/models`, { method: 'POST', body: form });
    expect(res.status).toBe(201);
    expect(((await res.json()) as any).model).toMatchObject({ name: 'Statue', triangles: 3 });
  });

  it('PROPUP-4: refuses a viewer with 403 and stores nothing', { timeout: 60_000 }, async () => {
    const signup = await fetch(`${server().url}/api/v3/auth/signup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'owen', password: 'a long enough password' }) });
    const token = ((await signup.json()) as { accessToken: string }).accessToken;
    const made = await fetch(`${server().url}/api/v3/worlds`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ name: 'Viewers', template: 'studio', guestRole: 'viewer' }) });
    const worldId = ((await made.json()) as { world: { id: string } }).world.id;
    const refused = await upload(worldId, await glbModel());
    expect(refused.status).toBe(403);
    expect(refused.json.error.code).toBe(ErrorCode.FORBIDDEN);
    expect(await models(worldId)).toEqual([]);
    expect((await upload(worldId, await glbModel(), { token })).status).toBe(201);
  });
});
