import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../shared/protocol';
import { bootServer, type BootedServer } from '../testing/bootServer';
import { createWorld, joinWorld, until, type TestParticipant } from '../testing/clients';

const started: BootedServer[] = [];
afterEach(async () => {
  for (const s of started.splice(0)) await s.stop({ kill: true });
});

async function boot(dataDir?: string) {
  const s = await bootServer({ dataDir });
  started.push(s);
  return s;
}

const state = (p: TestParticipant) => p.room.state as any;
const runOf = (p: TestParticipant) => [...state(p).runs.values()][0];
const stepStatuses = (p: TestParticipant) => runOf(p)?.steps.map((s: any) => s.status).join(',');

async function createWorkflow(base: string, worldId: string, source: string | object) {
  const body = typeof source === 'string' ? { worldId, template: source } : { worldId, definition: source };
  const res = await fetch(`${base}/api/v3/workflows`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return ((await res.json()) as any).workflow as { id: string };
}

const OUTLINE_APPROVE_PRESENT = {
  name: 'Outline, approve, present',
  steps: [
    { id: 'outline', kind: 'transform', name: 'Outline', params: { operation: 'outline' } },
    { id: 'approve', kind: 'approval', name: 'Approve', params: { prompt: 'Approve this document?' } },
    { id: 'present', kind: 'present', name: 'Present', params: { title: 'Approved' } },
  ],
};

describe('workflows in a world', () => {
  it('shows the chain, runs it on a document, waits for an approval from the world, and survives a restart while waiting', async () => {
    const first = await boot();
    const world = await createWorld(first.url);
    const ann = await joinWorld(first.url, world.id, 'Ann');
    const wf = await createWorkflow(first.url, world.id, OUTLINE_APPROVE_PRESENT);
    await until('the chain in the world', () => state(ann).workflows.has(wf.id));
    expect(state(ann).workflows.get(wf.id).steps.map((s: any) => s.kind)).toEqual(['transform', 'approval', 'present']);

    const doc = ann.docIds().find((id) => state(ann).documents.get(id).title === 'Service contract')!;
    ann.sendRaw('runStart', { type: 'runStart', workflowId: wf.id, documentId: doc });
    await until('the run to wait for approval', () => stepStatuses(ann) === 'succeeded,waiting,pending', 10_000);
    const run = runOf(ann);
    expect(run).toMatchObject({ status: 'waiting', documentId: doc, version: 1 });
    expect(run.steps[1].detail).toMatch(/Approve this document/);
    expect(run.steps[1].waitingFor).toBe('approval');

    // the server dies while the run waits; the answer comes after the restart
    await first.stop({ kill: true });
    const second = await boot(first.dataDir);
    const bob = await joinWorld(second.url, world.id, 'Bob');
    await until('the waiting run after the restart', () => runOf(bob)?.status === 'waiting');
    bob.sendRaw('runAnswer', { type: 'runAnswer', runId: run.id, approved: true, comment: 'ok' });
    await until('the run to finish', () => runOf(bob)?.status === 'succeeded', 10_000);
    const resultDoc = runOf(bob).steps[2].documentId;
    expect(resultDoc).not.toBe('');
    await until('the result panel', () => bob.doc(resultDoc) !== undefined);
    expect(state(bob).documents.get(resultDoc).title).toBe('Approved');
    await bob.room.leave();
  });

  it('refuses workflow intents that do not fit the world, with a reason', async () => {
    const server = await boot();
    const world = await createWorld(server.url);
    const other = await createWorld(server.url);
    const elsewhere = await createWorkflow(server.url, other.id, 'document-pipeline');
    const ann = await joinWorld(server.url, world.id, 'Ann');
    ann.sendRaw('runStart', { type: 'runStart', workflowId: elsewhere.id });
    ann.sendRaw('runAnswer', { type: 'runAnswer', runId: 'nosuchrun', approved: true });
    ann.sendRaw('runCancel', { type: 'runCancel', runId: 'nosuchrun' });
    await until('three refusals', () => ann.errors.length === 3);
    expect(ann.errors.map((e) => e.code)).toEqual([ErrorCode.WORKFLOW_NOT_FOUND, ErrorCode.RUN_NOT_FOUND, ErrorCode.RUN_NOT_FOUND]);
    await ann.room.leave();
  });
});

describe('a run started over the API', () => {
  it('presents its results in its workflow’s world, where its progress shows too', async () => {
    const server = await boot();
    const world = await createWorld(server.url);
    const ann = await joinWorld(server.url, world.id, 'Ann');
    const wf = await createWorkflow(server.url, world.id, 'document-pipeline');
    const doc = ann.docIds().find((id) => state(ann).documents.get(id).title === 'Service contract')!;
    const res = await fetch(`${server.url}/api/v3/workflows/${wf.id}/runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ input: { documentId: doc } }),
    });
    expect(res.status).toBe(201);
    const { run } = (await res.json()) as { run: { id: string } };
    await until('the run to finish in the world', () => ['succeeded', 'failed'].includes(state(ann).runs.get(run.id)?.status), 30_000);
    const shown = state(ann).runs.get(run.id);
    expect({ status: shown.status, detail: shown.steps.map((s: any) => s.detail).join('') }).toEqual({ status: 'succeeded', detail: '' });
    expect(shown.steps.map((s: any) => s.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    const resultDoc = shown.steps[2].documentId;
    await until('the result panel', () => ann.doc(resultDoc) !== undefined);
    expect(state(ann).documents.get(resultDoc).title).toBe('Analysis and proof');
    await ann.room.leave();
  });
});
