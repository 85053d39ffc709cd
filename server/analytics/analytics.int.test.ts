/**
 * Analytics against a real server sampling every second: using the product moves its rollups
 * (a person joining in VR is seen in `people`, REST requests in `http_requests`), only
 * administrators read them, and old rows left in the store are gone after a restart while newer
 * ones stay.
 */
import { describe, expect, it } from 'vitest';
import { LevelStore } from '../adapters/storage/LevelStore';
import { bucketOf } from './Analytics';
import { bootServer } from '../testing/bootServer';
import { createWorld, joinWorld, until } from '../testing/clients';
import { bearer, restClient } from '../testing/rest';
import { useServer } from '../testing/useServer';

const server = useServer({ env: { ADMIN_USERS: 'root', ANALYTICS_SAMPLE_SECONDS: '1' } });
const { call, signUp } = restClient(() => server().url);

interface Point {
  at: string;
  labels: string;
  count: number;
  sum: number;
  min: number;
  max: number;
  avg: number;
}

describe('analytics', () => {
  it('ANALYTICS-1: the key series move as the product is used, per minute and per hour, for administrators only', async () => {
    const root = await signUp('root');
    const bob = await signUp('bob');
    const read = async (series: string, query = '') => (await call('GET', `/analytics/series/${series}${query}`, undefined, bearer(root.token))).json as { points: Point[] };

    const world = await createWorld(server().url);
    const ann = await joinWorld(server().url, world.id, 'Ann', { device: 'vr' });
    await until('Ann seen in VR', async () => (await read('people')).points.some((p) => p.labels === 'device=vr' && p.max === 1), 10_000, 250);
    await until('the requests counted', async () => (await read('http_requests')).points.some((p) => p.labels === 'status=2xx' && p.sum > 0), 10_000, 250);
    await until("the data disk's free share kept", async () => (await read('disk_free_ratio')).points.some((p) => p.min > 0 && p.max <= 1), 10_000, 250);
    const hours = await read('people', '?resolution=hour');
    expect(hours.points.find((p) => p.labels === 'device=vr')?.max).toBe(1);
    // a finished run is counted by its outcome
    const definition = { name: 'Note', steps: [{ id: 'note', kind: 'transform', name: 'Note', params: { operation: 'template', template: 'done' } }] };
    const workflow = (await call('POST', '/workflows', { worldId: world.id, definition })).json.workflow;
    expect((await call('POST', `/workflows/${workflow.id}/runs`, { input: {} })).status).toBe(201);
    await until('the run counted', async () => (await read('workflow_runs')).points.some((p) => p.labels === 'outcome=succeeded' && p.sum === 1), 10_000, 250);
    await until('its step counted', async () => (await read('workflow_steps')).points.some((p) => p.labels === 'kind=transform,outcome=succeeded' && p.sum === 1), 10_000, 250);
    await ann.room.leave();
    await until('Ann gone', async () => (await read('people')).points.some((p) => p.labels === 'device=vr' && p.min === 0), 10_000, 250);

    const listed = (await call('GET', '/analytics/series', undefined, bearer(root.token))).json.series.map((s: { name: string }) => s.name);
    expect(listed).toEqual(expect.arrayContaining(['people', 'worlds_open', 'intents', 'http_requests', 'workflow_runs', 'workflow_steps', 'ai_cost', 'rate_limited', 'disk_free_ratio']));
    // only administrators, and their keys with metrics:read
    expect((await call('GET', '/analytics/series/people')).status).toBe(401);
    expect((await call('GET', '/analytics/series/people', undefined, bearer(bob.token))).status).toBe(403);
    const key = (await call('POST', '/keys', { name: 'dashboards', scopes: ['metrics:read'] }, bearer(root.token))).json.key as string;
    expect((await call('GET', '/analytics/series/people', undefined, bearer(key))).status).toBe(200);
    // bad asks are refused with a reason
    expect((await call('GET', '/analytics/series/no-such', undefined, bearer(root.token))).status).toBe(404);
    expect((await call('GET', '/analytics/series/people?resolution=second', undefined, bearer(root.token))).status).toBe(400);
    expect((await call('GET', '/analytics/series/people?from=yesterday', undefined, bearer(root.token))).status).toBe(400);
    const years = await call('GET', '/analytics/series/people?from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z', undefined, bearer(root.token));
    expect(years.status).toBe(400);
    expect(years.json.error.message).toMatch(/at most 2 days/);
  });

  it('ANALYTICS-2: rows older than the retention are gone after a restart, and nothing newer', async () => {
    const first = await bootServer({ env: { ANALYTICS_RETENTION_DAYS: '30' } });
    await first.stop();
    const now = Date.now();
    const DAY = 86_400_000;
    const row = (resolution: 'minute' | 'hour', at: number) => ({ resolution, series: 'worlds_open', labels: '', bucket: bucketOf(at, resolution), count: 1, sum: 7, min: 7, max: 7 });
    const put = new LevelStore(`${first.dataDir}/store`);
    await put.open();
    await put.analyticsStore().addPoints([row('minute', now - 3 * DAY), row('minute', now - DAY), row('hour', now - 40 * DAY), row('hour', now - 20 * DAY)]);
    await put.close();

    const second = await bootServer({ dataDir: first.dataDir, env: { ANALYTICS_RETENTION_DAYS: '30' } });
    await second.stop();
    const get = new LevelStore(`${first.dataDir}/store`);
    await get.open();
    const kept = async (resolution: 'minute' | 'hour') =>
      (await get.analyticsStore().readPoints({ resolution, series: 'worlds_open', from: 0, to: now + DAY, limit: 100 })).filter((p) => p.sum === 7).map((p) => Math.round((now - p.bucket) / DAY));
    expect(await kept('minute')).toEqual([1]);
    expect(await kept('hour')).toEqual([20]);
    await get.close();
    first.cleanup();
  });
});
