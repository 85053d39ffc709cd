import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../shared/protocol';
import { useServer } from '../testing/useServer';
import { createWorld, joinWorld, until } from '../testing/clients';

// schedules a second apart keep the schedule test short; guests may set them here
const server = useServer({ env: { WORKFLOW_MIN_INTERVAL_SECONDS: '1', GUEST_WORKFLOWS: 'all' } });

async function api<T = any>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${server().url}/api/v3${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: res.status === 204 ? (undefined as T) : ((await res.json()) as T) };
}

let homeWorld: Promise<{ id: string }> | undefined;
/** The world these tests' workflows stand in: a guest may not make one in no world. */
async function home(): Promise<string> {
  homeWorld ??= createWorld(server().url);
  return (await homeWorld).id;
}

const statusOf = async (runId: string) => (await api('GET', `/runs/${runId}`)).body.run.status as string;

async function runToEnd(id: string) {
  await until(`run ${id} to finish`, async () => ['succeeded', 'failed', 'cancelled'].includes(await statusOf(id)), 10_000, 50);
  return (await api('GET', `/runs/${id}`)).body.run;
}

const twoSteps = (ms: number) => ({
  name: 'Two steps',
  steps: [
    { id: 'wait', kind: 'delay', name: 'Wait', params: { ms } },
    { id: 'note', kind: 'transform', name: 'Note', params: { operation: 'template', template: 'waited {{steps.wait.waitedMs}} ms' } },
  ],
});

describe('workflows over REST', () => {
  it('lists templates and step kinds with their parameter schemas', async () => {
    const templates = (await api('GET', '/workflows/templates')).body.templates;
    expect(templates.map((t: any) => t.id)).toEqual(['document-pipeline', 'review-approve', 'publish']);
    const steps = (await api('GET', '/workflows/steps')).body.steps;
    expect(steps.map((s: any) => s.kind)).toEqual(expect.arrayContaining(['delay', 'transform', 'approval', 'webhook', 'present']));
    expect(steps.find((s: any) => s.kind === 'delay').params.properties.ms).toBeDefined();
  });

  it('versions every edit, refuses a stale one, rolls back, and pins runs to their version', async () => {
    const created = await api('POST', '/workflows', { worldId: await home(), definition: twoSteps(10) });
    expect(created.status).toBe(201);
    const id = created.body.workflow.id;
    const v2 = await api('PUT', `/workflows/${id}`, { baseVersion: 1, definition: twoSteps(20), message: 'slower' });
    expect(v2.body.workflow).toMatchObject({ currentVersion: 2, latestVersion: 2 });
    const stale = await api('PUT', `/workflows/${id}`, { baseVersion: 1, definition: twoSteps(30) });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe(ErrorCode.CONFLICT);
    expect(stale.body.error.message).toMatch(/version 2.*draft/);
    expect((await api('GET', `/workflows/${id}/versions`)).body.versions.map((v: any) => [v.version, v.message])).toEqual([
      [1, 'created'],
      [2, 'slower'],
    ]);

    const onV2 = (await api('POST', `/workflows/${id}/runs`, {})).body.run;
    const back = await api('POST', `/workflows/${id}/rollback`, { version: 1 });
    expect(back.body.workflow).toMatchObject({ currentVersion: 1, latestVersion: 2 });
    const onV1 = (await api('POST', `/workflows/${id}/runs`, {})).body.run;
    const [r2, r1] = [await runToEnd(onV2.id), await runToEnd(onV1.id)];
    expect([r2.version, r2.steps[1].output.text]).toEqual([2, 'waited 20 ms']);
    expect([r1.version, r1.steps[1].output.text]).toEqual([1, 'waited 10 ms']);
    expect(r1.log.length).toBeGreaterThan(3);
  });

  it('refuses invalid workflows with a message naming the step', async () => {
    const cases = [
      { definition: { name: 'x', steps: [] } },
      { definition: { name: 'x', steps: [{ id: 'a', kind: 'teleport', name: 'A' }] } },
      { definition: { name: 'x', steps: [{ id: 'a', kind: 'delay', name: 'A', params: { ms: -5 } }] } },
      { definition: { name: 'x', steps: [{ id: 'a', kind: 'webhook', name: 'A', params: { url: 'file:///etc/passwd' } }] } },
      { template: 'nope' },
      {},
    ];
    for (const body of cases) {
      const res = await api('POST', '/workflows', { worldId: await home(), ...body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.message.length).toBeGreaterThan(15);
    }
  });

  it('runs the document pipeline on a document and presents the result in the world', async () => {
    const world = await createWorld(server().url);
    const ann = await joinWorld(server().url, world.id, 'Ann');
    const docId = ann.docIds().find((id) => (ann.room.state as any).documents.get(id).title === 'Service contract')!;
    const wf = (await api('POST', '/workflows', { template: 'document-pipeline', worldId: world.id })).body.workflow;
    const run = (await api('POST', `/workflows/${wf.id}/runs`, { input: { documentId: docId, worldId: world.id } })).body.run;
    const end = await runToEnd(run.id);
    expect(end.status).toBe('succeeded');
    expect(end.steps.map((s: any) => s.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect(end.steps[0].output).toMatchObject({ provider: 'builtin', sentiment: { label: expect.any(String) } });
    expect(end.steps[0].output.summary.length).toBeGreaterThan(0);
    const doc = (ann.room.state as any).documents.get(docId);
    expect(end.steps[1].output).toMatchObject({ network: 'dev', hash: `0x${doc.contentHash}` });
    const panelId = end.steps[2].output.documentId;
    await until('the result panel in the room', () => ann.doc(panelId) !== undefined);
    expect((ann.room.state as any).documents.get(panelId).title).toBe('Analysis and proof');
    const panel = await fetch(`${server().url}/api/v3/documents/${panelId}/content`).then((r) => r.text());
    expect(panel).toContain('## Summary (analyse)');
    expect(panel).toContain('## Proof on chain (anchor)');
    expect(panel).toContain(doc.contentHash);
    expect(panel).toContain('- **Verified**: yes');
    await ann.room.leave();
  });

  it('waits for an approval given over REST, and follows the run with server-sent events', async () => {
    const wf = (await api('POST', '/workflows', { worldId: await home(), definition: { name: 'Approve', steps: [{ id: 'ok', kind: 'approval', name: 'OK' }] } })).body.workflow;
    const run = (await api('POST', `/workflows/${wf.id}/runs`, {})).body.run;
    const events: string[] = [];
    const stream = fetch(`${server().url}/api/v3/runs/${run.id}/events`).then(async (res) => {
      const reader = res.body!.getReader();
      let text = '';
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
      }
      for (const m of text.matchAll(/data: (.*)\n/g)) events.push(JSON.parse(m[1]!).status);
    });
    await until('the run to wait for its approval', async () => (await statusOf(run.id)) === 'waiting', 5000, 30);
    expect((await api('POST', `/runs/${run.id}/approve`, { approved: 'yes' })).status).toBe(400);
    const approved = await api('POST', `/runs/${run.id}/approve`, { approved: true, by: 'Ann' });
    expect(approved.status).toBe(200);
    expect((await runToEnd(run.id)).status).toBe('succeeded');
    await stream;
    expect(events[0]).toBeDefined();
    expect(events).toContain('waiting');
    expect(events.at(-1)).toBe('succeeded');
    expect((await api('POST', `/runs/${run.id}/approve`, { approved: true })).status).toBe(409);
  });

  it('starts runs on a schedule until the schedule is cleared', async () => {
    const wf = (await api('POST', '/workflows', { worldId: await home(), definition: twoSteps(1) })).body.workflow;
    const bad = await api('PUT', `/workflows/${wf.id}/schedule`, { schedule: { cron: 'often' } });
    expect(bad.status).toBe(400);
    const set = await api('PUT', `/workflows/${wf.id}/schedule`, { schedule: { everyMs: 1000, input: { n: 1 } } });
    expect(set.status).toBe(200);
    expect(Date.parse(set.body.nextRunAt)).toBeGreaterThan(Date.now());
    const runsOf = async (id: string) => (await api('GET', `/workflows/${id}/runs`)).body.runs.length as number;
    await until('the schedule to start two runs', async () => (await runsOf(wf.id)) >= 2, 5000, 100);
    const cleared = await api('PUT', `/workflows/${wf.id}/schedule`, { schedule: null });
    expect(cleared.body.nextRunAt).toBeNull();
    const count = await runsOf(wf.id);
    // a witness on the same interval, put in force after the clearing, fires only after the
    // cleared schedule would have: once it has run, the cleared one has had its chance
    const witness = (await api('POST', '/workflows', { worldId: await home(), definition: twoSteps(1) })).body.workflow;
    expect((await api('PUT', `/workflows/${witness.id}/schedule`, { schedule: { everyMs: 1000 } })).status).toBe(200);
    await until('the witness schedule to start a run', async () => (await runsOf(witness.id)) >= 1, 5000, 100);
    await api('PUT', `/workflows/${witness.id}/schedule`, { schedule: null });
    expect(await runsOf(wf.id)).toBe(count);
    expect((await api('GET', `/workflows/${wf.id}/runs`)).body.runs[0].input).toEqual({ n: 1 });
  });

  it('starts a bulk run per input and cancels a running one', async () => {
    const wf = (await api('POST', '/workflows', { worldId: await home(), definition: twoSteps(5_000) })).body.workflow;
    const bulk = await api('POST', `/workflows/${wf.id}/runs`, { inputs: [{ n: 1 }, { n: 2 }, { n: 3 }], priority: 'high' });
    expect(bulk.status).toBe(201);
    expect(bulk.body.runs).toHaveLength(3);
    const [first] = bulk.body.runs;
    const cancelled = await api('POST', `/runs/${first.id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect((await runToEnd(first.id)).status).toBe('cancelled');
    for (const r of bulk.body.runs.slice(1)) await api('POST', `/runs/${r.id}/cancel`);
    expect((await api('GET', `/workflows/${wf.id}/runs`)).body.runs).toHaveLength(3);
    expect((await api('DELETE', `/workflows/${wf.id}`)).status).toBe(204);
    expect((await api('GET', `/workflows/${wf.id}`)).status).toBe(404);
  });
});
