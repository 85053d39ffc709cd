/**
 * Request ids against a real server with no OTEL variables: every REST answer carries one, the
 * caller's when it is sane; error bodies quote it; the log lines of the request carry it, and no
 * trace id, since tracing is off.
 */
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../shared/protocol';
import { until } from '../testing/clients';
import { restClient } from '../testing/rest';
import { useServer } from '../testing/useServer';

// debug: a refused request is logged there, which is how an operator follows one a user quotes
const server = useServer({ env: { LOG_LEVEL: 'debug' } });
const { call } = restClient(() => server().url);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function logLinesWith(reqId: string): Array<Record<string, unknown>> {
  return server()
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{') && l.includes(reqId))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** Sends a request with header bytes fetch would refuse to send, as a hostile client may. */
async function rawGet(path: string, headerLine: string): Promise<string> {
  const { port } = new URL(server().url);
  const socket = connect(Number(port), '127.0.0.1');
  socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${headerLine}\r\nConnection: close\r\n\r\n`, 'latin1');
  let answer = '';
  for await (const chunk of socket) answer += (chunk as Buffer).toString('latin1');
  return answer;
}

describe('request ids', () => {
  it('TRACE-1: echoes a sane X-Request-Id and makes one up when there is none', async () => {
    const given = await call('GET', '/health', undefined, { 'x-request-id': 'lb-7f3a.2:edge_1' });
    expect(given.headers.get('x-request-id')).toBe('lb-7f3a.2:edge_1');
    const [a, b] = [await call('GET', '/health'), await call('GET', '/worlds/templates')];
    expect(a.headers.get('x-request-id')).toMatch(UUID);
    expect(b.headers.get('x-request-id')).toMatch(UUID);
    expect(a.headers.get('x-request-id')).not.toBe(b.headers.get('x-request-id'));
  });

  it('TRACE-1: replaces an id that is too long or could forge a log line with a fresh one', async () => {
    for (const hostile of ['x'.repeat(500), 'two words', '{"level":60,"msg":"forged"}', "'; DROP TABLE--"]) {
      const res = await call('GET', '/health', undefined, { 'x-request-id': hostile });
      expect(res.headers.get('x-request-id'), hostile).toMatch(UUID);
    }
    // bytes fetch will not send: a bare line feed inside the value, Latin-1, a tab
    for (const line of ['X-Request-Id: ok\nX-Forged: 1', 'X-Request-Id: caf\xe9', 'X-Request-Id: a\tb']) {
      const answer = await rawGet('/api/v3/health', line);
      const id = /^x-request-id: (.*)\r$/im.exec(answer)?.[1];
      // a parser may refuse the request outright (400); if it is answered, it is under a fresh id
      if (answer.startsWith('HTTP/1.1 200')) expect(id, JSON.stringify(line)).toMatch(UUID);
      else expect(answer).toMatch(/^HTTP\/1\.1 400/);
    }
  });

  it("TRACE-1: an error body quotes the request id and the request's log lines carry it, with no trace id while tracing is off", async () => {
    const res = await call('GET', '/worlds/no-such-world', undefined, { 'x-request-id': 'ticket-4711' });
    expect(res.status).toBe(404);
    expect(res.json.error).toEqual({ code: ErrorCode.NOT_FOUND, message: 'There is no world "no-such-world".', requestId: 'ticket-4711' });
    // the server's log reaches the test through a pipe, a moment after the answer
    await until('the log line', () => logLinesWith('ticket-4711').some((l) => l.msg === 'request refused'), 10_000, 50);
    const lines = logLinesWith('ticket-4711');
    expect(lines.find((l) => l.msg === 'request refused')).toMatchObject({ reqId: 'ticket-4711', code: ErrorCode.NOT_FOUND, status: 404, path: '/worlds/no-such-world' });
    expect(lines.every((l) => l.reqId === 'ticket-4711' && !('traceId' in l))).toBe(true);

    const generated = await call('POST', '/worlds', { name: 42 });
    expect(generated.status).toBe(400);
    expect(generated.json.error.requestId).toBe(generated.headers.get('x-request-id'));
    expect(server().output()).not.toContain('tracing on');
  });
});
