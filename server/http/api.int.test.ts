import { describe, expect, it } from 'vitest';
import { ErrorCode, PROTOCOL_VERSION } from '../../shared/protocol';
import { useServer } from '../testing/useServer';
import { createWorld, joinWorld } from '../testing/clients';

const server = useServer();

const post = (path: string, body: string, type = 'application/json') =>
  fetch(`${server().url}${path}`, { method: 'POST', headers: { 'content-type': type }, body });

describe('REST API', () => {
  it('reports health with version, uptime, rooms and clients', async () => {
    const world = await createWorld(server().url);
    const ann = await joinWorld(server().url, world.id, 'Ann');
    const res = await fetch(`${server().url}/api/v3/health`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 'ok', version: expect.stringMatching(/^\d+\.\d+\.\d+/), protocol: PROTOCOL_VERSION, rooms: 1, clients: 1 });
    expect(body.uptimeSeconds).toEqual(expect.any(Number));
    await ann.room.leave();
  });

  it('creates a world from a template and lists it with its participant count', async () => {
    const res = await post('/api/v3/worlds', JSON.stringify({ name: 'Design review', template: 'classroom' }));
    expect(res.status).toBe(201);
    const { world } = (await res.json()) as { world: { id: string; template: string; capacity: number } };
    expect(world).toMatchObject({ template: 'classroom', capacity: 32 });
    const ann = await joinWorld(server().url, world.id, 'Ann');
    const list = (await (await fetch(`${server().url}/api/v3/worlds`)).json()) as { worlds: Array<{ id: string; participants: number }> };
    expect(list.worlds.find((w) => w.id === world.id)?.participants).toBe(1);
    const one = (await (await fetch(`${server().url}/api/v3/worlds/${world.id}`)).json()) as { world: { name: string } };
    expect(one.world.name).toBe('Design review');
    await ann.room.leave();
  });

  it('lists the templates', async () => {
    const body = (await (await fetch(`${server().url}/api/v3/worlds/templates`)).json()) as { templates: Array<{ id: string }> };
    expect(body.templates.map((t) => t.id)).toEqual(['office', 'gallery', 'classroom', 'plaza', 'studio']);
  });

  it('refuses bad world requests with a clear error and stores nothing', async () => {
    const before = ((await (await fetch(`${server().url}/api/v3/worlds`)).json()) as { worlds: unknown[] }).worlds.length;
    const cases: Array<[string, string, number]> = [
      [JSON.stringify({ name: '', template: 'office' }), 'application/json', 400],
      [JSON.stringify({ name: 'x', template: 'castle' }), 'application/json', 400],
      [JSON.stringify({ name: 'x', capacity: 100000 }), 'application/json', 400],
      [JSON.stringify({ name: 'x', owner: 'root' }), 'application/json', 400],
      [JSON.stringify({ name: 42 }), 'application/json', 400],
      ['{"name": ', 'application/json', 400],
      [JSON.stringify({ name: 'x'.repeat(100_000) }), 'application/json', 413],
    ];
    for (const [body, type, status] of cases) {
      const res = await post('/api/v3/worlds', body, type);
      expect(res.status, body.slice(0, 60)).toBe(status);
      const json = (await res.json()) as { error: { code: string; message: string } };
      expect(json.error.code).toBe(ErrorCode.BAD_REQUEST);
      expect(json.error.message.length).toBeGreaterThan(10);
    }
    const after = ((await (await fetch(`${server().url}/api/v3/worlds`)).json()) as { worlds: unknown[] }).worlds.length;
    expect(after).toBe(before);
  });

  it('keeps hostile names as plain data', async () => {
    const name = '<img src=x onerror=alert(1)>';
    const world = await createWorld(server().url, { name, template: 'office' });
    const one = (await (await fetch(`${server().url}/api/v3/worlds/${world.id}`)).json()) as { world: { name: string } };
    expect(one.world.name).toBe(name);
  });

  it('answers unknown worlds and routes with 404 and JSON', async () => {
    for (const path of ['/api/v3/worlds/nosuchworld', '/api/v3/worlds/..%2F..%2Fetc', '/api/v3/nothing-here']) {
      const res = await fetch(`${server().url}${path}`);
      expect(res.status, path).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe(ErrorCode.NOT_FOUND);
    }
  });
});
