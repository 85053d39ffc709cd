import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import express from 'express';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { Tracing } from '../tracing/Tracing';
import { finalErrors } from './hardening';
import { requestContext, requestIdFrom, requestLog } from './requestContext';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('requestIdFrom', () => {
  it('TRACE-1: keeps a caller id made of letters, digits and ._:- up to 64 characters', () => {
    for (const id of ['a', '01HZX3K8M2V9Q4T7R5W6Y8N0PB', 'req.42:edge-7_b', 'f'.repeat(64), '3b241101-e2bb-4255-8caf-4136c566a962']) expect(requestIdFrom(id)).toBe(id);
  });

  it('TRACE-1: replaces a missing, empty, long or hostile id with a fresh UUID', () => {
    const hostile: unknown[] = [undefined, '', 'f'.repeat(65), 'x'.repeat(500), 'ok\nforged line', 'a\r\nSet-Cookie: x=1', 'with space', 'ümlaut', '{"json":1}', '<script>', ['a', 'b'], 42];
    for (const given of hostile) {
      const id = requestIdFrom(given);
      expect(id, JSON.stringify(given)).toMatch(UUID);
      expect(id).not.toBe(given);
    }
    expect(requestIdFrom(undefined)).not.toBe(requestIdFrom(undefined));
  });
});

describe('requestContext', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  /** A real express app with the middleware, a route that fails, and a logger writing into `lines`. */
  async function serve(lines: Array<Record<string, unknown>>): Promise<string> {
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l) as Record<string, unknown>);
        done();
      },
    });
    const log = pino({ level: 'info' }, sink);
    const app = express();
    app.use('/api', requestContext(new Tracing(null)));
    app.get('/api/ok', (_req, res) => {
      requestLog(res, log).info('fine');
      res.json({ ok: true });
    });
    app.get('/api/broken', () => {
      throw new Error('the disk caught fire');
    });
    app.use(finalErrors(log));
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    close = () => new Promise((resolve) => server.close(() => resolve()));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it('TRACE-1: echoes the id, logs a failing request under it and quotes it in the answer', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const url = await serve(lines);
    const broken = await fetch(`${url}/api/broken`, { headers: { 'x-request-id': 'support-ticket-7' } });
    expect(broken.status).toBe(500);
    expect(broken.headers.get('x-request-id')).toBe('support-ticket-7');
    expect(await broken.text()).toContain('support-ticket-7');
    const failure = lines.find((l) => l.msg === 'request failed');
    expect(failure).toMatchObject({ reqId: 'support-ticket-7', path: '/api/broken' });
    expect(failure).not.toHaveProperty('traceId');

    const fresh = await fetch(`${url}/api/ok`, { headers: { 'x-request-id': 'bad id\twith tab' } });
    const id = fresh.headers.get('x-request-id');
    expect(id).toMatch(UUID);
    expect(lines.find((l) => l.msg === 'fine')).toMatchObject({ reqId: id });
  });
});
