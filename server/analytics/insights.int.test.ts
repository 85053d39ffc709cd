/**
 * What owners see of their worlds against a real server: a session ends and is counted in its
 * world's figures by device, runs are counted, and a workflow whose webhook cannot be reached is
 * found to fail there, with the code and a suggestion. Only the owner (or an administrator) sees
 * them; a CSV report of the series downloads for administrators.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { joinWorld, until } from '../testing/clients';
import { bearer, restClient } from '../testing/rest';
import { useServer } from '../testing/useServer';

let closedPort = 0;
let parked: Server;
beforeAll(async () => {
  // a port nothing listens on: bound and closed again
  parked = createServer();
  await new Promise<void>((r) => parked.listen(0, '127.0.0.1', r));
  closedPort = (parked.address() as AddressInfo).port;
  await new Promise<void>((r) => parked.close(() => r()));
});

const server = useServer({ env: { ADMIN_USERS: 'root', ANALYTICS_SAMPLE_SECONDS: '1', WEBHOOK_ALLOW: '127.0.0.1', GUEST_WORKFLOWS: 'all' } });
const { call, signUp } = restClient(() => server().url);
let rootToken: Promise<string> | undefined;
/** The administrator's token, signed up the first time it is asked for. */
const admin = () => (rootToken ??= signUp('root').then((r) => r.token));

describe('insights for owners', () => {
  it("INSIGHTS-1: a world's owner sees its people, sessions by device and runs of the last day; nobody else does", async () => {
    const owner = await signUp('olive');
    const stranger = await signUp('sam');
    const world = (await call('POST', '/worlds', { name: 'Ops room', template: 'office' }, bearer(owner.token))).json.world as { id: string };
    const stats = async (token?: string) => call('GET', `/analytics/worlds/${world.id}`, undefined, token ? bearer(token) : {});

    const ann = await joinWorld(server().url, world.id, 'Ann', { device: 'vr', token: owner.token });
    await until('Ann counted as here now', async () => (await stats(owner.token)).json.peopleNow?.vr === 1, 5000, 100);
    await ann.room.leave();
    await until('her session counted', async () => (await stats(owner.token)).json.lastDay?.byDevice?.vr?.sessions === 1, 5000, 100);
    const seen = (await stats(owner.token)).json;
    expect(seen.world).toEqual({ id: world.id, name: 'Ops room' });
    expect(seen.peopleNow).toEqual({});
    expect(seen.lastDay.sessions).toBe(1);
    expect(seen.hours).toHaveLength(7 * 24);
    expect(seen.hours.at(-1).sessions).toBe(1);

    const definition = { name: 'Note', steps: [{ id: 'note', kind: 'transform', name: 'Note', params: { operation: 'template', template: 'done' } }] };
    const workflow = (await call('POST', '/workflows', { worldId: world.id, definition }, bearer(owner.token))).json.workflow;
    expect((await call('POST', `/workflows/${workflow.id}/runs`, { input: {} }, bearer(owner.token))).status).toBe(201);
    await until('the run counted', async () => (await stats(owner.token)).json.runsLastDay?.succeeded === 1, 5000, 100);

    // the owner's overview lists the world and its workflow; the stranger's lists nothing
    const overview = (await call('GET', '/analytics/overview', undefined, bearer(owner.token))).json;
    expect(overview).toEqual({ admin: false, worlds: [{ id: world.id, name: 'Ops room' }] });
    expect((await call('GET', '/analytics/workflows', undefined, bearer(owner.token))).json.workflows.map((w: { id: string }) => w.id)).toEqual([workflow.id]);
    expect((await call('GET', '/analytics/workflows', undefined, bearer(stranger.token))).json.workflows).toEqual([]);

    // nobody else sees them: a guest is asked to sign in, a stranger refused, the admins' series stay theirs
    expect((await stats()).status).toBe(401);
    expect((await stats(stranger.token)).status).toBe(403);
    expect((await call('GET', `/analytics/workflows/${workflow.id}`, undefined, bearer(stranger.token))).status).toBe(403);
    expect((await call('GET', '/analytics/overview')).status).toBe(401);
    expect((await call('GET', '/analytics/series/people', undefined, bearer(owner.token))).status).toBe(403);
    expect((await call('GET', '/analytics/usage', undefined, bearer(owner.token))).status).toBe(403);
    expect((await call('GET', '/analytics/workflows/wf_nope', undefined, bearer(owner.token))).status).toBe(404);
    expect((await call('GET', `/analytics/workflows/${workflow.id}?days=1000`, undefined, bearer(owner.token))).status).toBe(400);

    // an administrator sees the site's busiest worlds, with this one's session in them
    const usage = (await call('GET', '/analytics/usage?days=1', undefined, bearer(await admin()))).json;
    expect(usage.busiestWorlds).toContainEqual(expect.objectContaining({ id: world.id, name: 'Ops room', sessions: 1 }));
    expect(usage.byDevice.vr.sessions).toBeGreaterThanOrEqual(1);
    expect(usage.byHourOfDay).toHaveLength(24);
  });

  it('INSIGHTS-2: where a workflow fails is found from its runs: the step, its error code, p50/p95 and a suggestion', async () => {
    const owner = await signUp('wendy');
    const world = (await call('POST', '/worlds', { name: 'Hooks', template: 'office' }, bearer(owner.token))).json.world as { id: string };
    const definition = {
      name: 'Notify',
      steps: [
        { id: 'draft', kind: 'transform', name: 'Draft', params: { operation: 'template', template: 'hello' } },
        { id: 'notify', kind: 'webhook', name: 'Notify', params: { url: `http://127.0.0.1:${closedPort}/hook` }, retry: { maxAttempts: 2, initialDelayMs: 10, maxDelayMs: 20, factor: 1, jitter: 0 } },
      ],
    };
    const workflow = (await call('POST', '/workflows', { worldId: world.id, definition }, bearer(owner.token))).json.workflow;
    for (let i = 0; i < 3; i++) expect((await call('POST', `/workflows/${workflow.id}/runs`, { input: { n: i } }, bearer(owner.token))).status).toBe(201);
    const read = async () => (await call('GET', `/analytics/workflows/${workflow.id}`, undefined, bearer(owner.token))).json;
    await until('the three runs failed', async () => (await read()).runs?.failed === 3, 15_000, 200);
    const insight = await read();
    expect(insight.successRate).toBe(0);
    const notify = insight.steps.find((s: { stepId: string }) => s.stepId === 'notify');
    expect(notify).toMatchObject({ attempts: 6, failedAttempts: 6, failedRuns: 3, failureCodes: [{ code: 'UNREACHABLE', count: 6 }] });
    expect(notify.p50Ms).toBeGreaterThanOrEqual(0);
    expect(notify.p95Ms).toBeGreaterThanOrEqual(notify.p50Ms);
    expect(insight.failureReasons).toEqual([expect.objectContaining({ stepId: 'notify', code: 'UNREACHABLE', count: 3 })]);
    expect(insight.suggestions.map((s: { text: string }) => s.text)).toContainEqual('Step "Notify" fails 100 % of its attempts with UNREACHABLE: raise its retries or check the receiver.');
  });

  it('INSIGHTS-3: an administrator downloads several series over a range as a CSV report; nobody else can', async () => {
    const other = await signUp('rita');
    expect((await call('GET', '/analytics/report?series=people', undefined, bearer(other.token))).status).toBe(403);
    expect((await call('GET', '/analytics/report?series=people')).status).toBe(401);
    const token = await admin();
    await until('a sample taken', async () => (await call('GET', '/analytics/report?series=worlds_open,http_requests', undefined, bearer(token))).text.split('\r\n').length > 3, 10_000, 250);
    const report = await call('GET', '/analytics/report?series=worlds_open,http_requests&resolution=minute', undefined, bearer(token));
    expect(report.status).toBe(200);
    expect(report.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(report.headers.get('content-disposition')).toMatch(/^attachment; filename="dwc-report-[0-9T-]+-[0-9T-]+\.csv"$/);
    const [header, ...rows] = report.text.trimEnd().split('\r\n');
    expect(header).toBe('series,labels,at,count,sum,min,max,avg');
    expect(rows.some((r) => r.startsWith('worlds_open,,'))).toBe(true);
    expect(rows.some((r) => r.startsWith('http_requests,status=2xx,'))).toBe(true);
    expect((await call('GET', '/analytics/report?series=people,nope', undefined, bearer(token))).status).toBe(404);
    expect((await call('GET', '/analytics/report', undefined, bearer(token))).status).toBe(400);
    expect((await call('GET', '/analytics/report?series=people&from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z', undefined, bearer(token))).status).toBe(400);
  });
});
