import { describe, expect, it } from 'vitest';
import { useServer } from '../testing/useServer';

const server = useServer();

async function call(method: string, route: string, body?: unknown, token?: string): Promise<{ status: number; json: any; cache: string | null }> {
  const res = await fetch(`${server().url}/api/v3${route}`, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined, cache: res.headers.get('cache-control') };
}

async function signUp(username: string): Promise<string> {
  const res = await call('POST', '/auth/signup', { username, password: 'a long enough password' });
  expect(res.status).toBe(201);
  return res.json.accessToken as string;
}

const LOOK = { body: '#4363d8', skin: '#9c6644', hair: 'curly', hairColour: '#1c1410', headwear: 'headphones', glasses: 'square' };

describe('/api/v3/account/look', () => {
  it('refuses guests with 401, whatever they send', async () => {
    expect((await call('GET', '/account/look')).status).toBe(401);
    expect((await call('PUT', '/account/look', { look: LOOK })).status).toBe(401);
    expect((await call('PUT', '/account/look', { look: { hair: 'x' } })).status).toBe(401);
  });

  it('refuses a look that is not one with 400 and keeps the old one', async () => {
    const token = await signUp('lookbad');
    expect((await call('PUT', '/account/look', { look: LOOK }, token)).status).toBe(200);
    for (const bad of [{ ...LOOK, hair: 'mohawk' }, { ...LOOK, skin: 'url(javascript:x)' }, { ...LOOK, extra: 1 }, 'short', null]) {
      const res = await call('PUT', '/account/look', { look: bad }, token);
      expect(res.status).toBe(400);
      expect(res.json.error.message).toMatch(/look/i);
    }
    expect((await call('PUT', '/account/look', '{not json', token)).status).toBe(400);
    expect((await call('GET', '/account/look', undefined, token)).json.look).toEqual(LOOK);
  });

  it('keeps a look with the account: null before, the same look after, not another account', async () => {
    const ann = await signUp('lookann');
    const bob = await signUp('lookbob');
    const before = await call('GET', '/account/look', undefined, ann);
    expect(before).toMatchObject({ status: 200, json: { look: null } });
    expect(before.cache).toMatch(/no-store/);
    expect((await call('PUT', '/account/look', { look: LOOK }, ann)).json.look).toEqual(LOOK);
    // another sign-in of the same account (another browser) finds it
    const again = await call('POST', '/auth/signin', { username: 'lookann', password: 'a long enough password' });
    expect((await call('GET', '/account/look', undefined, again.json.accessToken)).json.look).toEqual(LOOK);
    expect((await call('GET', '/account/look', undefined, bob)).json.look).toBeNull();
  });
});
