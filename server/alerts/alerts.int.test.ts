/**
 * Alerts against a real server sampling every second and a real webhook receiver on this machine
 * (opened to the server's webhooks by WEBHOOK_ALLOW, as an operator would): a rule on REST requests
 * driven by requests that find nothing (404), its notification delivered once even when the
 * receiver fails first, a silenced rule telling no one, the routes for administrators only, and
 * the rules still there after a restart.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootServer, type BootedServer } from '../testing/bootServer';
import { settle, until } from '../testing/clients';
import { bearer, restClient } from '../testing/rest';

interface Delivery {
  path: string;
  key: string;
  body: { id: string; kind: string; rule: { id: string }; severity: string };
  status: number;
}

let server: BootedServer;
let receiver: Server;
let hook: string;
const deliveries: Delivery[] = [];
/** What the receiver answers next, in order; 200 once they are used up. */
const answers: number[] = [];
let env: Record<string, string>;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const status = answers.shift() ?? 200;
      deliveries.push({ path: req.url ?? '', key: String(req.headers['idempotency-key']), body: JSON.parse(body), status });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  env = { ADMIN_USERS: 'root', ANALYTICS_SAMPLE_SECONDS: '1', WEBHOOK_ALLOW: new URL(hook).host };
  server = await bootServer({ env });
});

afterAll(async () => {
  await server?.stop();
  server?.cleanup();
  receiver?.close();
});

const { call, signUp } = restClient(() => server.url);
let root: Record<string, string>;
/** Requests that find nothing: what the rules below count. */
const missAFew = async () => {
  for (let i = 0; i < 3; i++) expect((await call('GET', '/worlds/no-such-world')).status).toBe(404);
};
const notFoundRule = (name: string, path: string) => ({ kind: 'threshold', name, series: 'http_requests', labels: { status: '4xx' }, aggregate: 'sum', windowMinutes: 2, op: '>', value: 2, webhookUrl: `${hook}${path}` });

describe('alerts', () => {
  it('ALERTS-1: are for administrators only, refuse bad rules with reasons, and start with the built-in rules', async () => {
    root = bearer((await signUp('root')).token);
    const bob = bearer((await signUp('bob')).token);
    const guest = await call('GET', '/alerts/rules');
    expect(guest.status).toBe(401);
    expect(guest.json.error.message).toMatch(/are for administrators/);
    expect((await call('GET', '/alerts/active', undefined, bob)).status).toBe(403);
    expect((await call('POST', '/alerts/rules', notFoundRule('x', '/x'), bob)).status).toBe(403);
    const reader = (await call('POST', '/keys', { name: 'dashboards', scopes: ['metrics:read'] }, root)).json.key as string;
    const other = (await call('POST', '/keys', { name: 'docs', scopes: ['documents:read'] }, root)).json.key as string;
    expect((await call('GET', '/alerts/history', undefined, { 'x-api-key': reader })).status).toBe(200);
    const lacking = await call('GET', '/alerts/history', undefined, { 'x-api-key': other });
    expect(lacking.status).toBe(403);
    expect(lacking.json.error.message).toMatch(/"metrics:read"/);

    const rules = (await call('GET', '/alerts/rules', undefined, root)).json.rules as Array<{ name: string }>;
    expect(rules.map((r) => r.name).sort()).toEqual(['Disk nearly full', 'Event loop delay', 'Failed workflow runs', 'REST error rate']);
    const bad = await call('POST', '/alerts/rules', { ...notFoundRule('x', '/x'), windowMinutes: 5000, k: 3 }, root);
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toMatch(/windowMinutes: at most 1440/);
    expect(bad.json.error.message).toMatch(/Unrecognized key: "k"/);
    expect((await call('PATCH', '/alerts/rules/nope', { name: 'y' }, root)).status).toBe(404);
    expect((await call('POST', '/alerts/rules/nope/silence', { minutes: 'soon' }, root)).status).toBe(400);
    expect((await call('GET', '/alerts/history?limit=100000', undefined, root)).status).toBe(400);
    expect((await call('POST', '/alerts/no-such-alert/ack', undefined, root)).status).toBe(404);
  });

  it('ALERTS-4: a firing rule\'s webhook gets its notification once, under one key, though the receiver fails the first time', async () => {
    answers.push(500);
    const rule = (await call('POST', '/alerts/rules', notFoundRule('Not found', '/once'), root)).json.rule as { id: string };
    await missAFew();
    await until('the notification accepted', () => deliveries.some((d) => d.path === '/once' && d.status === 200), 20_000, 100);
    // rounds go on every second while it stays firing: nothing more is sent
    await settle(3000);
    const mine = deliveries.filter((d) => d.path === '/once');
    expect(mine.map((d) => d.status)).toEqual([500, 200]);
    expect(new Set(mine.map((d) => d.key))).toEqual(new Set([mine[0]!.body.id]));
    expect(mine[0]!.body).toMatchObject({ kind: 'fired', severity: 'warning', rule: { id: rule.id } });
    const history = (await call('GET', '/alerts/history?limit=10', undefined, root)).json.entries as Array<{ id: string; kind: string; ruleId: string; delivery?: { state: string; attempts: number } }>;
    expect(history.find((e) => e.id === mine[0]!.key)).toMatchObject({ kind: 'fired', ruleId: rule.id, delivery: { state: 'delivered', attempts: 2 } });

    const active = (await call('GET', '/alerts/active', undefined, root)).json.alerts as Array<{ alertId: string; ruleId: string }>;
    const alertId = active.find((a) => a.ruleId === rule.id)!.alertId;
    const acked = await call('POST', `/alerts/${alertId}/ack`, undefined, root);
    expect(acked.json.alert).toMatchObject({ alertId, ackedBy: 'root' });
    expect((await call('GET', '/alerts/history?limit=1', undefined, root)).json.entries[0]).toMatchObject({ kind: 'acked', by: 'root', alertId });
    expect((await call('DELETE', `/alerts/rules/${rule.id}`, undefined, root)).status).toBe(204);
  });

  it('ALERTS-3: a silenced rule still fires, and tells no one', async () => {
    // made unable to fire, silenced, then made able: no round can fire it before the silence
    const rule = (await call('POST', '/alerts/rules', { ...notFoundRule('Quiet', '/quiet'), value: 1e9 }, root)).json.rule as { id: string };
    expect((await call('POST', `/alerts/rules/${rule.id}/silence`, { minutes: 10 }, root)).json.rule.silencedUntil).toBeGreaterThan(Date.now());
    expect((await call('PATCH', `/alerts/rules/${rule.id}`, { value: 2 }, root)).status).toBe(200);
    await missAFew();
    const firing = async () => ((await call('GET', '/alerts/active', undefined, root)).json.alerts as Array<{ ruleId: string; silencedUntil: string | null }>).find((a) => a.ruleId === rule.id);
    await until('the silenced rule firing', async () => (await firing()) !== undefined, 20_000, 200);
    expect((await firing())!.silencedUntil).not.toBeNull();
    await settle(2000);
    expect(deliveries.filter((d) => d.path === '/quiet')).toEqual([]);
    const history = (await call('GET', '/alerts/history?limit=20', undefined, root)).json.entries as Array<{ kind: string; ruleId: string; notified: boolean; delivery?: unknown }>;
    expect(history.find((e) => e.ruleId === rule.id && e.kind === 'fired')).toMatchObject({ notified: false });
    expect(history.find((e) => e.ruleId === rule.id && e.kind === 'fired')?.delivery).toBeUndefined();
  });

  it('ALERTS-1: rules survive a restart, and the built-in ones are not written again', async () => {
    const before = (await call('GET', '/alerts/rules', undefined, root)).json.rules as Array<{ id: string; name: string; silencedUntil: number | null }>;
    await server.stop();
    server = await bootServer({ dataDir: server.dataDir, env });
    const after = (await call('GET', '/alerts/rules', undefined, root)).json.rules as typeof before;
    expect(after.map((r) => [r.id, r.name, r.silencedUntil]).sort()).toEqual(before.map((r) => [r.id, r.name, r.silencedUntil]).sort());
  });
});
