import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookStep } from '../steps/webhook';
import type { StepContext } from '../steps/StepKind';
import { EgressPolicy, EgressRefused, parseAllowList } from './egress';
import { egressFetch } from './egressFetch';

/** Local servers, each answering with what `route` says; the test allow-lists only some of them. */
const servers: Server[] = [];
const seen: Array<{ port: number; headers: IncomingHttpHeaders }> = [];
type Route = (path: string) => { status: number; headers?: Record<string, string>; body?: string };

function serve(route: Route): Promise<number> {
  const server = createServer((req, res) => {
    const port = (server.address() as AddressInfo).port;
    seen.push({ port, headers: req.headers });
    req.resume();
    req.on('end', () => {
      const answer = route(req.url ?? '/');
      res.writeHead(answer.status, answer.headers ?? {}).end(answer.body ?? '');
    });
  });
  servers.push(server);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

let secret: number;
let front: number;
let other: number;
const SECRET = 'internal-admin-token-12345';

beforeAll(async () => {
  // stands for a service on the loopback interface that must not be reachable
  secret = await serve(() => ({ status: 200, headers: { 'content-type': 'text/plain' }, body: SECRET }));
  other = await serve(() => ({ status: 200, headers: { 'content-type': 'application/json' }, body: '{"ok":true}' }));
  front = await serve((path): ReturnType<Route> => {
    if (path === '/to-secret') return { status: 307, headers: { location: `http://127.0.0.1:${secret}/` } };
    if (path === '/to-secret-by-name') return { status: 308, headers: { location: `http://localhost:${secret}/` } };
    if (path === '/to-other') return { status: 307, headers: { location: `http://127.0.0.1:${other}/` } };
    if (path === '/loop') return { status: 307, headers: { location: '/loop' } };
    if (path === '/moved') return { status: 302, headers: { location: `http://127.0.0.1:${secret}/` } };
    if (path === '/fail') return { status: 500, headers: { 'content-type': 'text/html' }, body: `<p>${'x'.repeat(300)}${SECRET}</p>` };
    if (path === '/binary') return { status: 200, headers: { 'content-type': 'application/octet-stream' }, body: SECRET };
    if (path === '/noisy') return { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: `a\u0000b\u001b[31mc\u202e${'y'.repeat(1000)}` };
    return { status: 200, headers: { 'content-type': 'text/plain' }, body: 'front' };
  });
});
afterAll(() => {
  for (const s of servers) s.close();
});

const allowing = (list: string, resolve?: ConstructorParameters<typeof EgressPolicy>[1]) => egressFetch(new EgressPolicy(parseAllowList(list), resolve));
const post = (f: typeof fetch, url: string, headers: Record<string, string> = {}) => f(url, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json', ...headers } });
const refusal = (p: Promise<unknown>) => p.then(() => 'sent', (err: unknown) => (err instanceof EgressRefused ? 'refused' : `error: ${(err as Error).message}`));

describe('egress fetch', () => {
  it('refuses the loopback interface by default, however it is spelt', async () => {
    const f = allowing('');
    for (const host of ['127.0.0.1', '127.1', '2130706433', '0x7f.1', 'localhost', '[::ffff:127.0.0.1]']) {
      expect(await refusal(post(f, `http://${host}:${secret}/`)), host).toBe('refused');
    }
  });

  it('refuses a redirect from an allowed server to one that is not allowed, by address or by name', async () => {
    const f = allowing(`127.0.0.1:${front}`);
    expect((await post(f, `http://127.0.0.1:${front}/`)).status).toBe(200);
    expect(await refusal(post(f, `http://127.0.0.1:${front}/to-secret`))).toBe('refused');
    expect(await refusal(post(f, `http://127.0.0.1:${front}/to-secret-by-name`))).toBe('refused');
    expect(seen.some((s) => s.port === secret)).toBe(false);
  });

  it('follows a 307 to another allowed server, without the caller’s own headers; stops at a loop; returns other redirects as they are', async () => {
    const f = allowing(`127.0.0.1:${front}, 127.0.0.1:${other}`);
    const res = await post(f, `http://127.0.0.1:${front}/to-other`, { authorization: 'Bearer receiver-token', 'idempotency-key': 'k1' });
    expect(await res.json()).toEqual({ ok: true });
    const atOther = seen.filter((s) => s.port === other).at(-1)!.headers;
    expect(atOther.authorization).toBeUndefined();
    expect(atOther['idempotency-key']).toBe('k1');
    expect(await refusal(post(f, `http://127.0.0.1:${front}/loop`))).toBe('refused');
    expect((await post(f, `http://127.0.0.1:${front}/moved`)).status).toBe(302);
    expect(seen.some((s) => s.port === secret)).toBe(false);
  });

  it('connects to the address it checked, not to whatever the name resolves to later', async () => {
    // the policy's resolver is the only one that knows this name: a second lookup would fail
    const f = allowing(`127.0.0.1:${front}`, async () => [{ address: '127.0.0.1', family: 4 }]);
    expect(await (await post(f, `http://receiver.invalid:${front}/`)).text()).toBe('front');
  });
});

describe('webhook step', () => {
  const run = (fetchImpl: typeof fetch, url: string) =>
    webhookStep.run({ url, headers: {}, include: [] }, {
      run: { id: 'r1', workflowId: 'w1', version: 1, input: {}, worldId: null },
      step: { id: 'hook', name: 'Hook', attempt: 1 },
      idempotencyKey: 'r1/hook',
      outputs: {},
      answer: undefined,
      wakeAt: undefined,
      signal: AbortSignal.timeout(5000),
      log: pino({ level: 'silent' }),
      adapters: { fetch: fetchImpl },
    } satisfies StepContext);
  const f = (...args: Parameters<typeof fetch>) => allowing(`127.0.0.1:${front}`)(...args);

  it('does not send to a destination that is not allowed, and says so without retrying', async () => {
    await expect(run(f, `http://127.0.0.1:${secret}/`)).rejects.toMatchObject({ code: 'DESTINATION_REFUSED', retryable: false });
    await expect(run(f, `http://127.0.0.1:${front}/to-secret`)).rejects.toMatchObject({ code: 'DESTINATION_REFUSED' });
  });

  it('keeps only a short, cleaned excerpt of a text answer and nothing of any other type', async () => {
    const noisy = (await run(f, `http://127.0.0.1:${front}/noisy`)) as { type: 'done'; output: { status: number; response: string } };
    expect(noisy.output.status).toBe(200);
    expect(noisy.output.response).toMatch(/^a b  ?\[31mc y+$/);
    expect(noisy.output.response.length).toBe(200);
    expect(await run(f, `http://127.0.0.1:${front}/binary`)).toEqual({ type: 'done', output: { status: 200, response: '' } });
    const failure = await run(f, `http://127.0.0.1:${front}/fail`).catch((err: Error) => err);
    expect(failure).toMatchObject({ code: 'HTTP_STATUS', retryable: true });
    expect((failure as Error).message).toMatch(/^The receiver answered 500: <p>x+$/);
    expect((failure as Error).message).not.toContain(SECRET);
  });
});
