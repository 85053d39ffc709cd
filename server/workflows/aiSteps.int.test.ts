/**
 * AI steps in workflow runs on a booted server, against a local OpenAI-compatible endpoint:
 * generated text grows in a panel in the world as it streams and becomes a stored document;
 * a malformed model reply fails the step with a clear error.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootServer, type BootedServer } from '../testing/bootServer';
import { createWorld, joinWorld, until, type TestParticipant } from '../testing/clients';
import { startFakeOpenAi, VALID_ANALYSIS, type FakeOpenAi } from '../testing/fakeOpenAi';

let fake: FakeOpenAi;
let server: BootedServer;

beforeAll(async () => {
  fake = await startFakeOpenAi();
  server = await bootServer({ env: { AI_PROVIDERS: JSON.stringify([{ name: 'fake', baseURL: fake.baseURL, model: 'fake-1', maxRetries: 0, pricing: { inputPer1M: 1, outputPer1M: 2 } }]) } });
});
afterAll(async () => {
  await server?.stop();
  server?.cleanup();
  await fake?.close();
});

const json = async (path: string, body?: unknown) => {
  const res = await fetch(`${server.url}/api/v3${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return (await res.json()) as any;
};

async function runToEnd(workflowId: string, input: Record<string, unknown>) {
  let { run } = await json(`/workflows/${workflowId}/runs`, { input });
  const deadline = Date.now() + 20_000;
  while (!['succeeded', 'failed', 'cancelled'].includes(run.status)) {
    if (Date.now() > deadline) throw new Error(`the run did not finish: ${JSON.stringify(run.log)}`);
    await new Promise((r) => setTimeout(r, 50));
    run = (await json(`/runs/${run.id}`)).run;
  }
  return run;
}

const state = (p: TestParticipant) => p.room.state as any;

describe('AI steps in runs', () => {
  it('streams generated text into a panel in the world, then stores it as a document, records its tokens and cost, and answers the same run again from the cache', async () => {
    const world = await createWorld(server.url);
    const ann = await joinWorld(server.url, world.id, 'Ann');
    const { workflow } = await json('/workflows', {
      worldId: world.id,
      definition: { name: 'Write', steps: [{ id: 'write', kind: 'ai_generate', name: 'Write', params: { prompt: 'Write a note for {{input.worldId}}.', title: 'Note', providers: ['fake'] } }] },
    });
    const chunks = ['# Note\n\n', 'First line.\n', 'Second line.\n', 'Third line.\n', 'Last line.'];
    fake.reply({ type: 'stream', chunks, delayMs: 250, usage: { prompt_tokens: 50, completion_tokens: 20 } });

    // every body the panel shows while the text is written
    const bodies: string[] = [];
    const watch = setInterval(() => {
      state(ann).documents.forEach((d: any) => {
        if (d.title === 'Note' && d.contentHash.startsWith('draft-') && bodies.at(-1) !== d.body) bodies.push(d.body);
      });
    }, 10);
    const run = await runToEnd(workflow.id, { worldId: world.id });
    clearInterval(watch);

    expect(run.status).toBe('succeeded');
    const output = run.steps[0].output;
    const full = chunks.join('');
    expect(output).toMatchObject({ text: full, provider: 'fake', model: 'fake-1', usage: { inputTokens: 50, outputTokens: 20, totalTokens: 70, cost: 0.00009, cached: false } });
    expect(fake.requests.at(-1)!.body.messages?.[1]?.content).toContain(`Write a note for ${world.id}.`);

    // the panel grew: several partial texts, each a prefix of the next
    const partial = bodies.filter((b) => b && b !== full);
    expect(partial.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < bodies.length; i++) expect(bodies[i]!.startsWith(bodies[i - 1]!)).toBe(true);

    // then it became a stored document with the whole text
    await until('the stored document in the world', () => state(ann).documents.get(output.documentId)?.contentHash === createHash('sha256').update(full).digest('hex'));
    const content = await fetch(`${server.url}/api/v3/documents/${output.documentId}/content`);
    expect(await content.text()).toBe(full);
    expect(state(ann).documents.get(output.documentId).body).toBe(full);
    expect((await json(`/runs/${run.id}`)).usage).toEqual({ calls: 1, cachedAnswers: 0, inputTokens: 50, outputTokens: 20, totalTokens: 70, cost: 0.00009, costComplete: true });

    // the same run again is answered from the cache: a new document, no second call
    const calls = fake.requests.length;
    const again = await runToEnd(workflow.id, { worldId: world.id });
    expect(again.steps[0].output).toMatchObject({ text: full, usage: { cached: true, cost: 0 } });
    expect(again.steps[0].output.documentId).not.toBe(output.documentId);
    expect(fake.requests.length).toBe(calls);
    expect((await json(`/runs/${again.id}`)).usage).toMatchObject({ calls: 0, cachedAnswers: 1, cost: 0 });
    await ann.room.leave();
  });

  it('fails an analysis step with a clear error when the model reply is malformed', async () => {
    const world = await createWorld(server.url);
    const docs = (await json(`/documents?world=${world.id}`)).documents as Array<{ id: string; title: string; kind: string }>;
    const doc = docs.find((d) => d.kind === 'markdown')!;
    const { workflow } = await json('/workflows', {
      worldId: world.id,
      definition: { name: 'Analyse', steps: [{ id: 'analyse', kind: 'ai_analysis', name: 'Analyse', params: { providers: ['fake'] } }] },
    });
    fake.reply({ type: 'json', content: JSON.stringify({ ...VALID_ANALYSIS, summary: 'not a list' }) });
    const failed = await runToEnd(workflow.id, { worldId: world.id, documentId: doc.id });
    expect(failed.status).toBe('failed');
    expect(failed.steps[0].error).toEqual({
      code: 'AI_MALFORMED_REPLY',
      message: expect.stringMatching(/fake: fake \(fake-1\) gave an unusable analysis: the reply does not match the analysis schema \(summary: /),
      retryable: false,
    });

    // a good reply next time; the result carries its usage
    const ok = await runToEnd(workflow.id, { worldId: world.id, documentId: doc.id });
    expect(ok.status).toBe('succeeded');
    expect(ok.steps[0].output).toMatchObject({ ...VALID_ANALYSIS, provider: 'fake', usage: { totalTokens: 150, cached: false } });
  });
});
