import { describe, expect, it } from 'vitest';
import { useServer } from '../testing/useServer';

const KEY_RATE = 5;
const server = useServer({ env: { KEY_RATE: String(KEY_RATE), REST_RATE: '1000' } });

async function call(method: string, route: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${server().url}/api/v3${route}`, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, headers: res.headers, json: (await res.json().catch(() => null)) as any };
}

describe('REST rate limit per API key', () => {
  it('holds a key to its own allowance with RateLimit headers, then 429 naming the key, while the address goes on', async () => {
    const signUp = await call('POST', '/auth/signup', { username: 'kira', password: 'a long enough password' });
    const bearer = { authorization: `Bearer ${signUp.json.accessToken}` };
    const key = (await call('POST', '/keys', { name: 'scanner', scopes: ['worlds:read'] }, bearer)).json.key as string;
    const other = (await call('POST', '/keys', { name: 'second', scopes: ['worlds:read'] }, bearer)).json.key as string;

    const remaining: number[] = [];
    let last = await call('GET', '/worlds', undefined, { 'x-api-key': key });
    while (last.status === 200 && remaining.length <= KEY_RATE) {
      expect(last.headers.get('ratelimit-limit')).toBe(String(KEY_RATE));
      remaining.push(Number(last.headers.get('ratelimit-remaining')));
      last = await call('GET', '/worlds', undefined, { 'x-api-key': key });
    }
    expect(remaining).toEqual([4, 3, 2, 1, 0]);
    expect(last.status).toBe(429);
    expect(Number(last.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(last.json.error).toMatchObject({ code: 'RATE_LIMITED' });
    expect(last.json.error.message).toMatch(/this API key: at most 5 a minute/);
    // another key, the same person signed in, and guests from the same address are not held back
    expect((await call('GET', '/worlds', undefined, { 'x-api-key': other })).status).toBe(200);
    expect((await call('GET', '/worlds', undefined, bearer)).status).toBe(200);
    expect((await call('GET', '/worlds')).status).toBe(200);
    // a made-up key is refused as invalid, not counted as a key of its own
    expect((await call('GET', '/worlds', undefined, { 'x-api-key': 'dwc_not_a_real_key' })).status).toBe(401);
  });
});
