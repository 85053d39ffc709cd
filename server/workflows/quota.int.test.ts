import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../shared/protocol';
import { useServer } from '../testing/useServer';
import { createWorld } from '../testing/clients';

// default limits, except a small guest allowance to reach quickly; guests may schedule here
const server = useServer({ env: { GUEST_RUNS_PER_MINUTE: '5', GUEST_WORKFLOWS: 'all' } });

async function api(method: string, path: string, body?: unknown) {
  const res = await fetch(`${server().url}/api/v3${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}

const note = { name: 'Note', steps: [{ id: 'note', kind: 'transform', name: 'Note', params: { operation: 'template', template: 'hello' } }] };

describe('workflow quotas', () => {
  it('refuses a bulk run over the limit, starting none of it', async () => {
    const wf = (await api('POST', '/workflows', { worldId: (await createWorld(server().url)).id, definition: note })).body.workflow;
    const res = await api('POST', `/workflows/${wf.id}/runs`, { inputs: Array.from({ length: 101 }, (_, n) => ({ n })) });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/at most 100 inputs in one request/);
    expect((await api('GET', `/workflows/${wf.id}/runs`)).body.runs).toEqual([]);
  });

  it('refuses schedules that start runs less than a minute apart, and says what is allowed', async () => {
    const wf = (await api('POST', '/workflows', { worldId: (await createWorld(server().url)).id, definition: note })).body.workflow;
    for (const schedule of [{ cron: '* * * * * *' }, { cron: '*/30 * * * * *' }, { cron: '0,1 0 * * * *' }, { everyMs: 1000 }, { everyMs: 59_000 }]) {
      const res = await api('PUT', `/workflows/${wf.id}/schedule`, { schedule });
      expect(res.status, JSON.stringify(schedule)).toBe(400);
      expect(res.body.error.message).toMatch(/at most one run every 60 s/);
    }
    expect((await api('GET', `/workflows/${wf.id}`)).body.workflow.schedule ?? null).toBeNull();
    expect((await api('PUT', `/workflows/${wf.id}/schedule`, { schedule: { cron: '0 * * * * *' } })).status).toBe(200);
    expect((await api('PUT', `/workflows/${wf.id}/schedule`, { schedule: null })).status).toBe(200);
  });

  it('limits the runs a guest starts per minute, with Retry-After and a clear message', async () => {
    const wf = (await api('POST', '/workflows', { worldId: (await createWorld(server().url)).id, definition: note })).body.workflow;
    const tooMany = await api('POST', `/workflows/${wf.id}/runs`, { inputs: Array.from({ length: 6 }, (_, n) => ({ n })) });
    expect(tooMany.status).toBe(429);
    expect(tooMany.body.error.message).toMatch(/would start 6 runs; this address may start at most 5 a minute/);
    for (let n = 0; n < 5; n++) expect((await api('POST', `/workflows/${wf.id}/runs`, {})).status).toBe(201);
    const refused = await api('POST', `/workflows/${wf.id}/runs`, {});
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe(ErrorCode.RATE_LIMITED);
    expect(refused.body.error.message).toMatch(/at most 5 a minute\. Try again in \d+ s/);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await api('GET', `/workflows/${wf.id}/runs`)).body.runs).toHaveLength(5);
  });
});
