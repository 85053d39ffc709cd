/**
 * The AI service against a local OpenAI-compatible endpoint started by the test: the real SDK over
 * real HTTP, with JSON replies, streaming, rate limits, failing providers and malformed replies.
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CacheStore } from '../adapters/storage/CacheStore';
import { createLogger } from '../log';
import { startFakeOpenAi, VALID_ANALYSIS, type FakeOpenAi } from '../testing/fakeOpenAi';
import { AiFailure, AiService } from './AiService';
import { aiConfig } from './providers';

const log = createLogger('silent');
let fake: FakeOpenAi;
let deadURL: string;
// a fresh signal per call, as steps and requests each have their own
const signal = () => new AbortController().signal;
const opts = { summarySentences: 2, labels: [] };

class MemoryCache implements CacheStore {
  readonly entries = new Map<string, unknown>();
  async get(key: string) {
    return this.entries.get(key);
  }
  async put(key: string, value: unknown) {
    this.entries.set(key, value);
  }
}

/** A service whose providers all point at the fake endpoint (and one at a closed port). */
function service(cache: CacheStore = new MemoryCache()) {
  const parsed = aiConfig({
    AI_PROVIDERS: JSON.stringify([
      { name: 'primary', baseURL: fake.baseURL, apiKey: 'k1', model: 'model-a', maxRetries: 2, pricing: { inputPer1M: 2, outputPer1M: 8 } },
      { name: 'backup', baseURL: fake.baseURL, apiKey: 'k2', model: 'model-b', maxRetries: 0 },
      { name: 'dead', baseURL: deadURL, model: 'model-x', maxRetries: 0 },
      { name: 'plain', baseURL: fake.baseURL, model: 'model-c', maxRetries: 0, jsonSchema: false },
      { name: 'azure', baseURL: fake.baseURL.replace(/\/v1$/, ''), apiKey: 'az-key', model: 'gpt-4o', azure: { apiVersion: '2024-10-21', deployment: 'my-gpt' }, maxRetries: 0 },
    ]),
  });
  if (!parsed.ok) throw new Error(parsed.message);
  return new AiService({ config: parsed.config, cache, log });
}

beforeAll(async () => {
  fake = await startFakeOpenAi();
  // a port that was free a moment ago: connecting to it is refused
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  deadURL = `http://127.0.0.1:${(probe.address() as { port: number }).port}/v1`;
  await new Promise((r) => probe.close(r));
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.requests.length = 0;
});

describe('AI service over an OpenAI-compatible endpoint', () => {
  it('asks for a JSON-schema reply, checks it, and records tokens and cost', async () => {
    fake.reply({ type: 'json', content: JSON.stringify(VALID_ANALYSIS), usage: { prompt_tokens: 1000, completion_tokens: 500 } });
    const answer = await service().analyse('Acme renews the contract.', { ...opts, providers: ['primary'] }, signal());
    expect(answer.result).toEqual(VALID_ANALYSIS);
    expect(answer).toMatchObject({ provider: 'primary', model: 'model-a', failures: [] });
    expect(answer.usage).toEqual({ provider: 'primary', model: 'model-a', inputTokens: 1000, outputTokens: 500, totalTokens: 1500, cost: 0.006, cached: false });
    const sent = fake.requests[0]!;
    expect(sent.path).toBe('/v1/chat/completions');
    expect(sent.headers.authorization).toBe('Bearer k1');
    expect(sent.body.model).toBe('model-a');
    expect(sent.body.response_format).toMatchObject({ type: 'json_schema', json_schema: { name: 'document_analysis', strict: true } });
    // the document travels as data in its own message
    expect(sent.body.messages?.[1]?.content).toContain('<document>\nAcme renews the contract.\n</document>');
  });

  it('puts the schema in the prompt for endpoints without JSON-schema replies', async () => {
    fake.reply({ type: 'json', content: '```json\n' + JSON.stringify(VALID_ANALYSIS) + '\n```' });
    const answer = await service().analyse('Text.', { ...opts, providers: ['plain'] }, signal());
    expect(answer.result.summary).toEqual(VALID_ANALYSIS.summary);
    expect(fake.requests[0]!.body.response_format).toBeUndefined();
    expect(fake.requests[0]!.body.messages?.[0]?.content).toContain('The JSON schema of the reply');
    expect(answer.usage.cost).toBeNull();
  });

  it('talks to Azure OpenAI through its deployment path, API version and key header', async () => {
    const answer = await service().analyse('Azure text.', { ...opts, providers: ['azure'] }, signal());
    expect(answer.provider).toBe('azure');
    const sent = fake.requests[0]!;
    expect(sent.path).toBe('/openai/deployments/my-gpt/chat/completions?api-version=2024-10-21');
    expect(sent.headers['api-key']).toBe('az-key');
  });

  it('streams generated text in the order it arrives, with its usage', async () => {
    fake.reply({ type: 'stream', chunks: ['# Release', ' note\n\n', 'All ', 'done.'], usage: { prompt_tokens: 40, completion_tokens: 9 } });
    const seen: string[] = [];
    const answer = await service().generate({ prompt: 'Write a release note.', context: 'The doc.', maxTokens: 200, temperature: 0.2, providers: ['primary'] }, signal(), (t) => seen.push(t));
    expect(answer.result).toBe('# Release note\n\nAll done.');
    expect(seen.filter(Boolean)).toEqual(['# Release', '# Release note\n\n', '# Release note\n\nAll ', '# Release note\n\nAll done.']);
    expect(answer.usage).toMatchObject({ inputTokens: 40, outputTokens: 9, totalTokens: 49, cost: 0.000152 });
    expect(fake.requests[0]!.body).toMatchObject({ stream: true, stream_options: { include_usage: true }, max_tokens: 200 });
  });

  it('waits out a rate limit as the endpoint asks, then succeeds', async () => {
    fake.reply({ type: 'status', status: 429, headers: { 'retry-after-ms': '30' }, message: 'slow down' }, { type: 'json', content: JSON.stringify(VALID_ANALYSIS) });
    const answer = await service().analyse('Rate limited text.', { ...opts, providers: ['primary'] }, signal());
    expect(answer.result).toEqual(VALID_ANALYSIS);
    expect(answer.failures).toEqual([]);
    expect(fake.requests).toHaveLength(2);
  });

  it('falls over to the next provider when one fails or cannot be reached', async () => {
    fake.reply({ type: 'status', status: 500, message: 'boom' });
    const answer = await service().analyse('Failing over.', { ...opts, providers: ['dead', 'backup', 'primary'] }, signal());
    // dead: connection refused; backup: 500 with no retries; primary answers
    expect(answer.provider).toBe('primary');
    expect(answer.failures.map((f) => [f.provider, f.code])).toEqual([
      ['dead', 'UNREACHABLE'],
      ['backup', 'SERVER_ERROR'],
    ]);
    expect(answer.failures[1]!.message).toContain('boom');
    expect(fake.requests.map((r) => r.body.model)).toEqual(['model-b', 'model-a']);
  });

  it('rejects a malformed reply with an error that says what is wrong, and falls back to the built-in analyser', async () => {
    fake.reply({ type: 'json', content: JSON.stringify({ ...VALID_ANALYSIS, sentiment: { score: 3, label: 'ecstatic' } }) });
    const err = await service()
      .analyse('Malformed.', { ...opts, providers: ['backup'] }, signal())
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AiFailure);
    expect((err as AiFailure).retryable).toBe(false);
    expect((err as AiFailure).failures).toEqual([{ provider: 'backup', code: 'MALFORMED_REPLY', message: expect.stringMatching(/unusable analysis: the reply does not match the analysis schema \(sentiment\.score/) }]);

    fake.reply({ type: 'json', content: 'Sure! Here is the analysis you asked for.' });
    const answer = await service().analyse('Acme Corp signed a deal in Paris.', { ...opts, providers: ['backup', 'builtin'] }, signal());
    expect(answer.provider).toBe('builtin');
    expect(answer.failures[0]!.message).toMatch(/the reply is not JSON/);
    expect(answer.usage).toMatchObject({ provider: 'builtin', totalTokens: 0, cost: 0 });
  });

  it('answers the same request from the cache without calling the provider again', async () => {
    const ai = service();
    const first = await ai.analyse('Cached text.', { ...opts, providers: ['primary'] }, signal());
    const second = await ai.analyse('Cached text.', { ...opts, providers: ['primary'] }, signal());
    expect(fake.requests).toHaveLength(1);
    expect(second.result).toEqual(first.result);
    expect(second.usage).toMatchObject({ cached: true, totalTokens: 0, cost: 0 });
    // other parameters, another model or other content are other requests
    await ai.analyse('Cached text.', { summarySentences: 3, labels: [], providers: ['primary'] }, signal());
    await ai.analyse('Cached text.', { ...opts, providers: ['backup'] }, signal());
    await ai.analyse('Other text.', { ...opts, providers: ['primary'] }, signal());
    expect(fake.requests).toHaveLength(4);
    // generation is cached too: the cached text arrives at once
    const seen: string[] = [];
    const req = { prompt: 'Write.', context: '', maxTokens: 100, temperature: 0, providers: ['primary'] };
    await ai.generate(req, signal(), () => undefined);
    const again = await ai.generate(req, signal(), (t) => seen.push(t));
    expect(fake.requests).toHaveLength(5);
    expect(seen).toEqual([again.result]);
    expect(again.usage.cached).toBe(true);
  });

  it('lists every failure when no provider answers', async () => {
    fake.reply({ type: 'status', status: 401, message: 'bad key' });
    const err = (await service()
      .analyse('Nobody answers.', { ...opts, providers: ['nope', 'dead', 'backup'] }, signal())
      .catch((e: unknown) => e)) as AiFailure;
    expect(err.failures.map((f) => [f.provider, f.code])).toEqual([
      ['nope', 'NOT_CONFIGURED'],
      ['dead', 'UNREACHABLE'],
      ['backup', 'REFUSED'],
    ]);
    expect(err.retryable).toBe(true);
    expect(err.message).toMatch(/nope: no provider "nope" is configured; dead: cannot reach the endpoint/);
  });
});
