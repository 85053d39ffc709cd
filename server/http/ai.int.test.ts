/**
 * The AI routes on a booted server whose providers point at a local OpenAI-compatible endpoint
 * started by the test: analysis, generation as one reply and as Server-Sent Events, the cache in
 * the server's own store, bad input and providers that all fail.
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootServer, type BootedServer } from '../testing/bootServer';
import { startFakeOpenAi, VALID_ANALYSIS, type FakeOpenAi } from '../testing/fakeOpenAi';

let fake: FakeOpenAi;
let server: BootedServer;

async function closedPortURL(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const port = (probe.address() as { port: number }).port;
  await new Promise((r) => probe.close(r));
  return `http://127.0.0.1:${port}/v1`;
}

beforeAll(async () => {
  fake = await startFakeOpenAi();
  server = await bootServer({
    env: {
      AI_PROVIDERS: JSON.stringify([
        { name: 'fake', baseURL: fake.baseURL, apiKeyEnv: 'FAKE_AI_KEY', model: 'fake-1', maxRetries: 1, pricing: { inputPer1M: 1, outputPer1M: 4 } },
        { name: 'down', baseURL: await closedPortURL(), model: 'gone', maxRetries: 0 },
      ]),
      FAKE_AI_KEY: 'secret-key',
      AI_DEFAULT_PROVIDERS: 'fake,builtin',
    },
  });
  const signUp = await fetch(`${server.url}/api/v3/auth/signup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'asker', password: 'a long enough password' }) });
  token = ((await signUp.json()) as { accessToken: string }).accessToken;
});
afterAll(async () => {
  await server?.stop();
  server?.cleanup();
  await fake?.close();
});

/** These requests come from an account: a guest must name a world to ask on behalf of (see server/access). */
let token: string;
const post = (path: string, body: unknown) =>
  fetch(`${server.url}/api/v3/ai/${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });

/** The events of a Server-Sent Events reply, in order. */
async function sseEvents(res: Response): Promise<Array<{ event: string; data: any }>> {
  const text = await res.text();
  return text
    .split('\n\n')
    .filter((block) => block.startsWith('event:'))
    .map((block) => {
      const [eventLine, dataLine] = block.split('\n');
      return { event: eventLine!.slice('event: '.length), data: JSON.parse(dataLine!.slice('data: '.length)) };
    });
}

describe('POST /api/v3/ai', () => {
  it('lists the providers, the built-in analyser among them', async () => {
    const body = (await (await fetch(`${server.url}/api/v3/ai/providers`)).json()) as any;
    expect(body.providers.map((p: any) => [p.name, p.default])).toEqual([
      ['builtin', true],
      ['fake', true],
      ['down', false],
    ]);
  });

  it('analyses text on the default provider, then answers the same request from the cache', async () => {
    const before = fake.requests.length;
    const res = await post('analyze', { text: 'Acme renews the contract with Ada Lovelace in Lisbon.', labels: [] });
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body.analysis).toEqual(VALID_ANALYSIS);
    expect(body).toMatchObject({ provider: 'fake', model: 'fake-1', failures: [] });
    expect(body.usage).toMatchObject({ inputTokens: 120, outputTokens: 30, cost: 0.00024, cached: false });
    expect(fake.requests.at(-1)!.headers.authorization).toBe('Bearer secret-key');

    const again = (await (await post('analyze', { text: 'Acme renews the contract with Ada Lovelace in Lisbon.', labels: [] })).json()) as any;
    expect(again.analysis).toEqual(VALID_ANALYSIS);
    expect(again.usage).toMatchObject({ cached: true, cost: 0 });
    expect(fake.requests.length).toBe(before + 1);
  });

  it('uses the built-in analyser when asked, with labels', async () => {
    const res = await post('analyze', { text: 'The invoice for the software licence is overdue. Payment is due now.', provider: 'builtin', labels: ['finance', { label: 'legal', hints: ['contract'] }] });
    const body = (await res.json()) as any;
    expect(res.status).toBe(200);
    expect(body.provider).toBe('builtin');
    expect(body.analysis.labels.map((l: any) => l.label).sort()).toEqual(['finance', 'legal']);
    expect(body.usage).toMatchObject({ totalTokens: 0, cost: 0 });
  });

  it('refuses bad input with a message that says what is wrong', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{}, /either "text" or "documentId"/],
      [{ text: 'a', documentId: 'b' }, /either "text" or "documentId"/],
      [{ text: 'a', providers: ['Not A Name'] }, /providers/],
      [{ text: 'a', summarySentences: 0 }, /summarySentences/],
    ];
    for (const [body, message] of cases) {
      const res = await post('analyze', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(((await res.json()) as any).error.message).toMatch(message);
    }
    const missing = await post('analyze', { documentId: 'nope' });
    expect(missing.status).toBe(404);
    const gen = await post('generate', { prompt: '' });
    expect(gen.status).toBe(400);
  });

  it('answers 502 listing every provider that failed', async () => {
    fake.reply({ type: 'status', status: 503, message: 'overloaded' }, { type: 'status', status: 503, message: 'overloaded' });
    const res = await post('analyze', { text: 'Nobody can answer this.', providers: ['down', 'fake', 'nope'] });
    expect(res.status).toBe(502);
    const { error } = (await res.json()) as any;
    expect(error.code).toBe('AI_FAILED');
    expect(error.failures.map((f: any) => [f.provider, f.code])).toEqual([
      ['down', 'UNREACHABLE'],
      ['fake', 'SERVER_ERROR'],
      ['nope', 'NOT_CONFIGURED'],
    ]);
    expect(error.message).toMatch(/down: cannot reach the endpoint.*fake: the endpoint failed.*overloaded/);
  });

  it('generates Markdown as one reply', async () => {
    fake.reply({ type: 'stream', chunks: ['# Hello', '\n\nWorld.'] });
    const res = await post('generate', { prompt: 'Say hello.', context: 'Greeting material.' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ text: '# Hello\n\nWorld.', provider: 'fake', usage: { outputTokens: 30 } });
    expect(fake.requests.at(-1)!.body.messages?.[1]?.content).toContain('<material>\nGreeting material.\n</material>');
  });

  it('streams generated Markdown as Server-Sent Events, in order, ending with the whole text and its usage', async () => {
    fake.reply({ type: 'stream', chunks: ['# Plan', '\n\n- one', '\n- two', '\n- three'], delayMs: 20, usage: { prompt_tokens: 10, completion_tokens: 8 } });
    const res = await post('generate', { prompt: 'Make a plan.', stream: true });
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const events = await sseEvents(res);
    expect(events.filter((e) => e.event === 'delta').map((e) => e.data.text)).toEqual(['# Plan', '\n\n- one', '\n- two', '\n- three']);
    expect(events.at(-1)).toMatchObject({ event: 'done', data: { text: '# Plan\n\n- one\n- two\n- three', provider: 'fake', usage: { totalTokens: 18 } } });
  });

  it('streams an error event when every provider fails', async () => {
    const res = await post('generate', { prompt: 'Nobody writes this.', stream: true, providers: ['down'] });
    const events = await sseEvents(res);
    expect(events).toEqual([{ event: 'error', data: { code: 'AI_FAILED', message: expect.stringMatching(/down: cannot reach/), failures: [expect.objectContaining({ provider: 'down' })] } }]);
  });
});
