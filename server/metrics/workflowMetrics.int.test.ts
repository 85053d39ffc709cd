/**
 * Workflow, AI and chain metrics against a real server: a run that analyses a document with an
 * OpenAI-compatible provider (priced), anchors it on the embedded chain and then fails to notify a
 * receiver that is not there moves the step, run, AI and transaction series, by kind, outcome and
 * code, with the tokens and cost the provider reported.
 */
import parse from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootServer, type BootedServer } from '../testing/bootServer';
import { createWorld } from '../testing/clients';
import { startFakeOpenAi, type FakeOpenAi } from '../testing/fakeOpenAi';
import { bearer, restClient } from '../testing/rest';

let fake: FakeOpenAi;
let server: BootedServer;
const { call, signUp } = restClient(() => server.url);

beforeAll(async () => {
  fake = await startFakeOpenAi();
  server = await bootServer({
    timeoutMs: 40_000,
    env: {
      ADMIN_USERS: 'root',
      AI_PROVIDERS: JSON.stringify([{ name: 'fake', baseURL: fake.baseURL, model: 'fake-1', maxRetries: 0, pricing: { inputPer1M: 1000, outputPer1M: 2000 } }]),
    },
  });
});
afterAll(async () => {
  await server?.stop();
  server?.cleanup();
  await fake?.close();
});

type Families = ReturnType<typeof parse>;
const sample = (all: Families, name: string, labels: Record<string, string>) =>
  Number(all.find((f) => f.name === name)?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))?.value ?? 0);

describe('workflow metrics', () => {
  it('METRICS-3: runs and steps by kind, outcome and code, AI calls with their tokens and cost, chain transactions', async () => {
    const root = await signUp('root');
    const scrape = async () => parse((await call('GET', '/metrics', undefined, bearer(root.token))).text);
    const world = await createWorld(server.url);
    const doc = ((await call('GET', `/documents?world=${world.id}`)).json.documents as Array<{ id: string; kind: string }>).find((d) => d.kind === 'markdown')!;
    const definition = {
      name: 'Analyse, prove, notify',
      steps: [
        { id: 'analyse', kind: 'ai_analysis', name: 'Analyse', params: { providers: ['fake'] } },
        { id: 'anchor', kind: 'blockchain_anchor', name: 'Anchor' },
        { id: 'notify', kind: 'webhook', name: 'Notify', params: { url: 'http://127.0.0.1:9/hook' }, retry: { maxAttempts: 1 } },
      ],
    };
    const workflow = (await call('POST', '/workflows', { worldId: world.id, definition })).json.workflow;
    let run = (await call('POST', `/workflows/${workflow.id}/runs`, { input: { documentId: doc.id } })).json.run;
    const deadline = Date.now() + 30_000;
    while (!['succeeded', 'failed', 'cancelled'].includes(run.status)) {
      if (Date.now() > deadline) throw new Error(`the run did not finish: ${JSON.stringify(run.log)}`);
      await new Promise((r) => setTimeout(r, 100));
      run = (await call('GET', `/runs/${run.id}`)).json.run;
    }
    expect(run.status).toBe('failed');
    const code = run.steps[2].error.code as string;

    const m = await scrape();
    expect(sample(m, 'dwc_workflow_steps_total', { kind: 'ai_analysis', outcome: 'succeeded', code: '' })).toBe(1);
    expect(sample(m, 'dwc_workflow_steps_total', { kind: 'blockchain_anchor', outcome: 'succeeded', code: '' })).toBe(1);
    expect(sample(m, 'dwc_workflow_steps_total', { kind: 'webhook', outcome: 'failed', code })).toBe(1);
    expect(sample(m, 'dwc_workflow_runs_total', { outcome: 'failed' })).toBe(1);
    expect(sample(m, 'dwc_workflow_runs_total', { outcome: 'succeeded' })).toBe(0);
    // the fake reports 120 tokens in and 30 out: at 1000 and 2000 per million, 0.18 of a unit
    expect(sample(m, 'dwc_ai_calls_total', { provider: 'fake', operation: 'analyse', outcome: 'answered', code: '' })).toBe(1);
    expect(sample(m, 'dwc_ai_tokens_total', { provider: 'fake', direction: 'input' })).toBe(120);
    expect(sample(m, 'dwc_ai_tokens_total', { provider: 'fake', direction: 'output' })).toBe(30);
    expect(sample(m, 'dwc_ai_cost_total', { provider: 'fake' })).toBeCloseTo(0.18, 6);
    expect(sample(m, 'dwc_chain_transactions_total', { network: 'dev', outcome: 'confirmed' })).toBe(1);

    // the same document analysed again is answered from the cache: counted, costing nothing
    const again = (await call('POST', `/workflows/${workflow.id}/runs`, { input: { documentId: doc.id } })).json.run;
    for (let r = again; !['succeeded', 'failed', 'cancelled'].includes(r.status); r = (await call('GET', `/runs/${again.id}`)).json.run) await new Promise((res) => setTimeout(res, 100));
    const m2 = await scrape();
    expect(sample(m2, 'dwc_ai_calls_total', { provider: 'fake', operation: 'analyse', outcome: 'cached', code: '' })).toBe(1);
    expect(sample(m2, 'dwc_ai_cost_total', { provider: 'fake' })).toBeCloseTo(0.18, 6);
    expect(sample(m2, 'dwc_workflow_runs_total', { outcome: 'failed' })).toBe(2);
    // a step kind nobody has is no new series
    const made = await call('POST', '/workflows', { worldId: world.id, definition: { name: 'x', steps: [{ id: 'a', kind: 'x'.repeat(30), name: 'A' }] } });
    expect(made.status).toBe(400);
    expect((await call('GET', '/metrics', undefined, bearer(root.token))).text).not.toContain('x'.repeat(30));
  });
});
