/**
 * API key scopes on every REST route of the real app, found by walking its router stack (not a list
 * kept by hand), so a new route is covered as soon as it exists. A key lacking the scope a route
 * declares is refused with 403 naming it, and the same route spelled in another case is no route at
 * all: the guard is attached to the routes, and paths match as written.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../app';
import { SCOPES, type Scope } from '../auth/inputs';
import { loadConfig } from '../config';
import { createLogger } from '../log';
import { walkRoutes, type RouteInfo } from './routes';

let app: RunningApp;
let dataDir: string;
let url: string;
/** For each scope, a key holding every scope but that one. */
const without = new Map<Scope, string>();

async function call(method: string, route: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${url}${route}`, { method, headers: { 'content-type': 'application/json', ...headers }, ...(method === 'GET' || method === 'HEAD' ? {} : { body: '{}' }) });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text };
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'dwc-scopes-'));
  const config = loadConfig({ PORT: '0', MQTT_PORT: '0', MQTT_WS_PORT: '0', COAP_PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, REST_RATE: '1000000', KEY_RATE: '1000000' });
  app = await startApp(config, createLogger('silent'));
  url = `http://127.0.0.1:${app.port}`;
  const session = (await (await fetch(`${url}/api/v3/auth/signup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'keymaker', password: 'a long enough password' }) })).json()) as { accessToken: string };
  for (const missing of SCOPES) {
    const made = await fetch(`${url}/api/v3/keys`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${session.accessToken}` },
      body: JSON.stringify({ name: `all but ${missing}`, scopes: SCOPES.filter((s) => s !== missing) }),
    });
    without.set(missing, ((await made.json()) as { key: string }).key);
  }
}, 120_000);

afterAll(async () => {
  await app?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const apiRoutes = () => walkRoutes(app.http.router as never).routes.filter((r) => r.path.startsWith('/api/v3/'));
/** The scope a key needs for this route, or null where it needs none. */
function needed(r: RouteInfo): Scope | null {
  const d = r.decision!;
  if ('none' in d) return null;
  return r.method === 'GET' ? d.read : d.write;
}
const concrete = (p: string) => p.replace(/:\w+/g, 'a0000000000000000000').replace(/\*\w*/g, 'x');
/** The first path segment after /api/v3 in another case, e.g. /api/v3/WORKFLOWS/… or /api/v3/Worlds/… */
const recased = (p: string, how: 'upper' | 'title') =>
  p.replace(/^\/api\/v3\/([a-z]+)/, (_m, seg: string) => `/api/v3/${how === 'upper' ? seg.toUpperCase() : seg[0]!.toUpperCase() + seg.slice(1)}`);

describe('API key scopes on every route', () => {
  it('finds the REST routes, every one with a scope decision, on routers that match case as written', () => {
    const walk = walkRoutes(app.http.router as never);
    const routes = apiRoutes();
    expect(routes.length).toBeGreaterThan(40);
    expect(routes.filter((r) => !r.decision).map((r) => `${r.method} ${r.path}`)).toEqual([]);
    expect(walk.caseInsensitive).toEqual([]);
    // the routes the scopes were walked around at, for a start
    expect(routes.map((r) => `${r.method} ${r.path}`)).toEqual(expect.arrayContaining(['GET /api/v3/workflows/:id', 'PUT /api/v3/worlds/:id/members/:userId']));
  });

  it('refuses a key without the scope a route needs, on each route as written', async () => {
    const wrong: string[] = [];
    for (const r of apiRoutes()) {
      const scope = needed(r);
      if (!scope) continue;
      const res = await call(r.method, concrete(r.path), { 'x-api-key': without.get(scope)! });
      if (res.status !== 403 || !String(res.json?.error?.message).includes(`"${scope}"`)) wrong.push(`${r.method} ${r.path} → ${res.status} ${res.text.slice(0, 120)}`);
    }
    expect(wrong).toEqual([]);
  }, 120_000);

  it('finds no route at a path in another case, so no guard can be walked around', async () => {
    const wrong: string[] = [];
    for (const r of apiRoutes()) {
      const scope = needed(r);
      const key: Record<string, string> = scope ? { 'x-api-key': without.get(scope)! } : {};
      for (const p of [recased(concrete(r.path), 'upper'), recased(concrete(r.path), 'title'), concrete(r.path).replace('/api/v3', '/API/V3')]) {
        const res = await call(r.method, p, key);
        // nothing behind the route answered: the API's own "no such route", or nothing at all
        const noRoute = res.status === 404 && (res.json === undefined || /^No API route/.test(String(res.json?.error?.message)));
        if (!noRoute) wrong.push(`${r.method} ${p} → ${res.status} ${res.text.slice(0, 120)}`);
      }
    }
    expect(wrong).toEqual([]);
  }, 120_000);
});
