/**
 * A local OpenAI-compatible endpoint for tests: it speaks the real chat-completions protocol over
 * real HTTP (JSON replies, SSE `data:` chunks ending in `[DONE]`, error statuses with Retry-After),
 * so the real SDK is driven end to end. Replies are scripted per request; every request is kept.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeReply =
  | { type: 'json'; content: string; usage?: Usage }
  | { type: 'stream'; chunks: string[]; delayMs?: number; usage?: Usage }
  | { type: 'status'; status: number; headers?: Record<string, string>; message?: string }
  /** Closes the connection without an answer. */
  | { type: 'drop' };

interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
}

export interface FakeRequest {
  path: string;
  headers: IncomingMessage['headers'];
  body: { model?: string; stream?: boolean; messages?: Array<{ role: string; content: string }>; response_format?: unknown; [k: string]: unknown };
}

export interface FakeOpenAi {
  /** The API root to configure, e.g. http://127.0.0.1:PORT/v1 */
  baseURL: string;
  requests: FakeRequest[];
  /** How many times the model list was asked for (it is answered apart from `requests` and the queue). */
  modelListings: number;
  /** Queues replies for the next requests, in order; after them, `otherwise` answers. */
  reply(...replies: FakeReply[]): void;
  otherwise: (req: FakeRequest) => FakeReply;
  close(): Promise<void>;
}

/** A valid analysis, as an LLM would put it in its reply. */
export const VALID_ANALYSIS = {
  summary: ['The contract renews on 1 May.', 'Acme pays 4,000 euros a month.'],
  keywords: [
    { term: 'contract', score: 1 },
    { term: 'renewal', score: 0.6 },
  ],
  sentiment: { score: 0.2, label: 'positive' },
  entities: { people: ['Ada Lovelace'], places: ['Lisbon'], organisations: ['Acme'], dates: ['1 May'], money: ['4,000 euros'] },
  labels: [],
};

const DEFAULT_USAGE: Usage = { prompt_tokens: 120, completion_tokens: 30 };

export async function startFakeOpenAi(): Promise<FakeOpenAi> {
  const queue: FakeReply[] = [];
  const requests: FakeRequest[] = [];
  let seq = 0;
  const fake: FakeOpenAi = {
    baseURL: '',
    requests,
    modelListings: 0,
    reply: (...replies) => void queue.push(...replies),
    otherwise: (req) => (req.body.stream ? { type: 'stream', chunks: ['# Note\n\n', 'Written ', 'by the fake.'] } : { type: 'json', content: JSON.stringify(VALID_ANALYSIS) }),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };

  const server: Server = createServer((req, res) => {
    // GET /models: what the endpoint serves (the real list format), free of charge
    if (req.method === 'GET' && /\/models\/?(\?|$)/.test(req.url ?? '')) {
      fake.modelListings++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ object: 'list', data: [{ id: 'fake-1', object: 'model', created: 1_700_000_000, owned_by: 'fake' }] }));
      return;
    }
    let raw = '';
    req.on('data', (d: Buffer) => (raw += d.toString()));
    req.on('end', () => {
      const request: FakeRequest = { path: req.url ?? '', headers: req.headers, body: raw ? (JSON.parse(raw) as FakeRequest['body']) : {} };
      requests.push(request);
      const reply = queue.shift() ?? fake.otherwise(request);
      const id = `chatcmpl-${++seq}`;
      const created = Math.floor(Date.now() / 1000);
      const model = request.body.model ?? 'fake-model';
      switch (reply.type) {
        case 'drop':
          req.socket.destroy();
          return;
        case 'status':
          res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
          res.end(JSON.stringify({ error: { message: reply.message ?? `fake status ${reply.status}`, type: 'fake_error', code: null } }));
          return;
        case 'json': {
          const usage = reply.usage ?? DEFAULT_USAGE;
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(
            JSON.stringify({
              id,
              object: 'chat.completion',
              created,
              model,
              choices: [{ index: 0, message: { role: 'assistant', content: reply.content, refusal: null }, finish_reason: 'stop', logprobs: null }],
              usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
            }),
          );
          return;
        }
        case 'stream':
          stream(res, reply, { id, created, model }).catch((err: unknown) => res.destroy(err instanceof Error ? err : new Error(String(err))));
          return;
      }
    });
  });

  async function stream(res: import('node:http').ServerResponse, reply: Extract<FakeReply, { type: 'stream' }>, meta: { id: string; created: number; model: string }) {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const chunk = (choices: unknown[], extra: object = {}) => res.write(`data: ${JSON.stringify({ ...meta, object: 'chat.completion.chunk', choices, ...extra })}\n\n`);
    chunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]);
    for (const piece of reply.chunks) {
      if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
      if (res.destroyed) return;
      chunk([{ index: 0, delta: { content: piece }, finish_reason: null }]);
    }
    chunk([{ index: 0, delta: {}, finish_reason: 'stop' }]);
    const usage = reply.usage ?? DEFAULT_USAGE;
    // what the endpoint sends when asked for stream_options.include_usage
    chunk([], { usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens } });
    res.end('data: [DONE]\n\n');
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return fake;
}
