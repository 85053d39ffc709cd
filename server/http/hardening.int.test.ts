import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { useServer } from '../testing/useServer';

const RATE = 40;
const server = useServer({ env: { REST_RATE: String(RATE), CORS_ORIGINS: 'https://partner.example, http://localhost:5173' } });

/** A raw GET, so that a path fetch() would normalise reaches the server as written. */
function rawGet(path: string): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const url = new URL(server().url);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('HTTP hardening', () => {
  it('sends security headers the app runs under, and no HSTS that would lock out a LAN certificate', async () => {
    const page = await fetch(`${server().url}/`);
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('strict-transport-security')).toBeNull();
    expect(page.headers.get('x-powered-by')).toBeNull();
  });

  it('answers CORS only for the configured origins', async () => {
    const allowed = await fetch(`${server().url}/api/v3/health`, { headers: { origin: 'https://partner.example' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://partner.example');
    const refused = await fetch(`${server().url}/api/v3/health`, { headers: { origin: 'https://evil.example' } });
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await fetch(`${server().url}/api/v3/worlds`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.status).toBeLessThan(300);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    // the realtime matchmaking route follows the same list, and never allows credentials
    for (const path of ['/api/v3/worlds', '/matchmake/joinOrCreate/world']) {
      const evil = await fetch(`${server().url}${path}`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
      expect(evil.headers.get('access-control-allow-origin'), path).toBeNull();
      expect(evil.headers.get('access-control-allow-credentials'), path).toBeNull();
    }
  });

  it('never shows a stack trace, whatever the request', async () => {
    for (const path of ['/api/v3/documents/%E0%A4%A', '/%', '/api/v3/workflows/%ff']) {
      const res = await rawGet(path);
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.status, path).toBeLessThan(500);
      expect(res.body, path).not.toMatch(/\bat .+:\d+:\d+|node_modules|Error:/);
    }
    const bad = await fetch(`${server().url}/api/v3/worlds`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name": ' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).not.toMatch(/\bat .+:\d+:\d+|node_modules/);
  });

  it('limits REST requests per address with RateLimit headers, then 429 with Retry-After; the page itself is not limited', async () => {
    // earlier tests in this file spent part of this minute's allowance; use up the rest
    let last: Response | undefined;
    const remaining: number[] = [];
    for (let i = 0; i < RATE + 5; i++) {
      last = await fetch(`${server().url}/api/v3/health`);
      if (last.status === 429) break;
      expect(last.headers.get('ratelimit-limit')).toBe(String(RATE));
      remaining.push(Number(last.headers.get('ratelimit-remaining')));
    }
    expect(remaining.length).toBeGreaterThan(0);
    expect(remaining.length).toBeLessThanOrEqual(RATE);
    expect(remaining.at(-1)).toBe(0);
    expect(remaining).toEqual([...remaining].sort((a, b) => b - a));
    expect(last!.status).toBe(429);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(last!.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    const body = (await last!.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('RATE_LIMITED');
    expect(body.error.message).toMatch(/at most 40 a minute/);
    // without TRUST_PROXY, a forwarded address is the client's own say-so and changes nothing
    expect((await fetch(`${server().url}/api/v3/health`, { headers: { 'x-forwarded-for': '203.0.113.77' } })).status).toBe(429);
    // the client itself and the realtime join are not REST and stay reachable
    expect((await fetch(`${server().url}/`)).status).toBe(200);
  });
});

describe('behind a trusted reverse proxy (TRUST_PROXY)', () => {
  const PROXIED_RATE = 10;
  const proxied = useServer({ env: { REST_RATE: String(PROXIED_RATE), TRUST_PROXY: 'loopback', SIGNIN_FAILURES: '2', ADMIN_USERS: 'warden' } });
  const from = (address: string, init: RequestInit = {}) => ({ ...init, headers: { ...(init.headers as Record<string, string>), 'x-forwarded-for': address } });
  const signIn = (address: string, password: string) =>
    fetch(`${proxied().url}/api/v3/auth/signin`, from(address, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'warden', password }) }));

  it('tells clients apart by the forwarded address: rate limits, the sign-in throttle and the audit log', async () => {
    const signUp = await fetch(`${proxied().url}/api/v3/auth/signup`, from('198.51.100.9', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'warden', password: 'a long enough password' }) }));
    expect(signUp.status).toBe(201);
    const token = ((await signUp.json()) as { accessToken: string }).accessToken;

    for (let i = 0; i < PROXIED_RATE; i++) expect((await fetch(`${proxied().url}/api/v3/health`, from('203.0.113.1'))).status).toBe(200);
    expect((await fetch(`${proxied().url}/api/v3/health`, from('203.0.113.1'))).status).toBe(429);
    const other = await fetch(`${proxied().url}/api/v3/health`, from('203.0.113.2'));
    expect(other.status).toBe(200);
    expect(other.headers.get('ratelimit-remaining')).toBe(String(PROXIED_RATE - 1));

    for (let i = 0; i < 2; i++) expect((await signIn('203.0.113.3', 'a wrong guess, again')).status).toBe(401);
    expect((await signIn('203.0.113.3', 'a long enough password')).status).toBe(429);
    expect((await signIn('203.0.113.4', 'a long enough password')).status).toBe(200);

    const audit = await fetch(`${proxied().url}/api/v3/audit?outcome=refused&limit=1000`, from('203.0.113.5', { headers: { authorization: `Bearer ${token}` } }));
    const ips = ((await audit.json()) as { entries: Array<{ actor: { ip?: string } }> }).entries.map((e) => e.actor.ip);
    expect(ips).toContain('203.0.113.1');
    expect(ips).toContain('203.0.113.3');
  });
});
