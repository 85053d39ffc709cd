/**
 * Tracing against a real server and a real OTLP/HTTP receiver on this machine: with the standard
 * variables set, REST requests, AI calls, workflow steps and room intents reach it as spans with
 * their names and attributes; with OTEL_SDK_DISABLED the same endpoint hears nothing at all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootServer, type BootedServer } from '../testing/bootServer';
import { createWorld, joinWorld, until } from '../testing/clients';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../testing/otlpReceiver';
import { restClient } from '../testing/rest';

let receiver: OtlpReceiver;
let server: BootedServer;
const { call } = restClient(() => server.url);

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  server = await bootServer({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_SERVICE_NAME: 'dwc-under-test', OTEL_BSP_SCHEDULE_DELAY: '100' } });
});
afterAll(async () => {
  await server?.stop();
  server?.cleanup();
  await receiver?.close();
});

/** The first span received that `match` accepts, waiting for the next exports. */
async function spanWhere(what: string, match: (s: ReceivedSpan) => boolean): Promise<ReceivedSpan> {
  await until(what, () => receiver.spans.some(match), 10_000, 50);
  return receiver.spans.find(match)!;
}

/** Log lines of the server, parsed, that `match` accepts. */
function logLines(match: (l: Record<string, unknown>) => boolean): Array<Record<string, unknown>> {
  return server
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter(match);
}

describe('tracing on', () => {
  it('TRACE-2: a REST request is a span named by its route pattern, with its status and request id, under the configured service name', async () => {
    const res = await call('GET', '/health', undefined, { 'x-request-id': 'trace-health-1' });
    expect(res.status).toBe(200);
    const span = await spanWhere('the request span', (s) => s.attributes['dwc.request.id'] === 'trace-health-1');
    expect(span).toMatchObject({ name: 'GET /api/v3/health', kind: 2, service: 'dwc-under-test', statusCode: 0 });
    expect(span.attributes).toMatchObject({ 'http.request.method': 'GET', 'http.route': '/api/v3/health', 'http.response.status_code': 200 });

    // a path with an id in it is named by the pattern, and a caller's trace is continued
    const parent = '4bf92f3577b34da6a3ce929d0e0e4736';
    await call('GET', '/worlds/no-such-world', undefined, { 'x-request-id': 'trace-404', traceparent: `00-${parent}-00f067aa0ba902b7-01` });
    const missing = await spanWhere('the 404 span', (s) => s.attributes['dwc.request.id'] === 'trace-404');
    expect(missing).toMatchObject({ name: 'GET /api/v3/worlds/:id', traceId: parent, parentSpanId: '00f067aa0ba902b7' });
    expect(missing.attributes['http.response.status_code']).toBe(404);
  });

  it("TRACE-1, TRACE-2: a request's log lines carry its trace id, and an AI call is a span inside the request's", async () => {
    const world = await createWorld(server.url);
    // the server's output reaches the test through a pipe, after the answer may have: wait for the line
    const isCreated = (l: Record<string, unknown>) => l.msg === 'world created' && l.worldId === world.id;
    await until('the world creation log line', () => logLines(isCreated).length > 0, 10_000, 50);
    const created = logLines(isCreated)[0];
    const createdSpan = await spanWhere('the world creation span', (s) => s.name === 'POST /api/v3/worlds' && s.attributes['dwc.request.id'] === created?.reqId);
    expect(created).toMatchObject({ traceId: createdSpan.traceId });

    const asked = await call('POST', '/ai/analyze', { text: 'The invoice is due on Friday. Please pay it soon.', worldId: world.id }, { 'x-request-id': 'trace-ai-1' });
    expect(asked.status).toBe(200);
    const request = await spanWhere('the analyse request span', (s) => s.attributes['dwc.request.id'] === 'trace-ai-1');
    const ai = await spanWhere('the AI call span', (s) => s.name === 'ai analyse' && s.traceId === request.traceId);
    expect(ai.parentSpanId).toBe(request.spanId);
    expect(ai.attributes).toMatchObject({ 'dwc.ai.provider': 'builtin', 'dwc.outcome': 'answered' });
  });

  it('TRACE-2: each step of a workflow run is a span with the run and step ids and its outcome, in a trace of its own', async () => {
    const worldId = (await createWorld(server.url)).id;
    const definition = {
      name: 'Traced',
      steps: [
        { id: 'wait', kind: 'delay', name: 'Wait', params: { ms: 10 } },
        { id: 'note', kind: 'transform', name: 'Note', params: { operation: 'template', template: 'waited {{steps.wait.waitedMs}} ms' } },
      ],
    };
    const workflow = await call('POST', '/workflows', { worldId, definition });
    expect(workflow.status).toBe(201);
    const started = await call('POST', `/workflows/${workflow.json.workflow.id}/runs`, {}, { 'x-request-id': 'trace-run-1' });
    const runId = started.json.run.id as string;
    // a delay parks its run and is executed again when it wakes: two spans, parked then succeeded
    const wait = await spanWhere('the delay step span', (s) => s.name === 'step delay' && s.attributes['dwc.run.id'] === runId && s.attributes['dwc.outcome'] === 'succeeded');
    const note = await spanWhere('the transform step span', (s) => s.name === 'step transform' && s.attributes['dwc.run.id'] === runId);
    expect(wait.attributes).toMatchObject({ 'dwc.step.id': 'wait', 'dwc.step.attempt': 1, 'dwc.workflow.id': workflow.json.workflow.id });
    expect(receiver.spans.filter((s) => s.name === 'step delay' && s.attributes['dwc.run.id'] === runId).map((s) => s.attributes['dwc.outcome'])).toEqual(['parked', 'succeeded']);
    expect(note.attributes).toMatchObject({ 'dwc.step.id': 'note', 'dwc.outcome': 'succeeded' });
    const request = await spanWhere('the run request span', (s) => s.attributes['dwc.request.id'] === 'trace-run-1');
    expect([wait.parentSpanId, note.parentSpanId]).toEqual([undefined, undefined]);
    expect(wait.traceId).not.toBe(request.traceId);
  });

  it('TRACE-2: intents other than poses are spans with their world and outcome; poses are not', async () => {
    const worldId = (await createWorld(server.url)).id;
    const ann = await joinWorld(server.url, worldId, 'Ann');
    try {
      ann.sendRaw('pose', { type: 'pose', head: [0, 1.6, 0, 0, 0, 0, 1], left: null, right: null });
      ann.sendRaw('chat', { type: 'chat', text: 'hello, tracing' });
      ann.sendRaw('grab', { type: 'grab', docId: 'no-such-document' });
      const chat = await spanWhere('the chat intent span', (s) => s.name === 'intent chat' && s.attributes['dwc.world.id'] === worldId);
      const grab = await spanWhere('the grab intent span', (s) => s.name === 'intent grab' && s.attributes['dwc.world.id'] === worldId);
      expect(chat.attributes['dwc.outcome']).toBe('accepted');
      expect(grab).toMatchObject({ statusCode: 2, attributes: { 'dwc.outcome': 'refused', 'error.type': 'DOCUMENT_NOT_FOUND' } });
      // ids count up in the room, in the order the intents came
      expect(Number(grab.attributes['dwc.intent.id'])).toBe(Number(chat.attributes['dwc.intent.id']) + 1);
      expect(receiver.spans.filter((s) => s.name === 'intent pose')).toEqual([]);
    } finally {
      await ann.room.leave();
    }
  });
});

describe('tracing switched off', () => {
  it('TRACE-2: OTEL_SDK_DISABLED=true sends nothing to the configured endpoint, even when the server stops', async () => {
    const quiet = await startOtlpReceiver();
    const off = await bootServer({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: quiet.url, OTEL_SDK_DISABLED: 'true', OTEL_BSP_SCHEDULE_DELAY: '50' } });
    try {
      const res = await fetch(`${off.url}/api/v3/worlds`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': 'untraced-1' }, body: JSON.stringify({ name: 'Quiet', template: 'office' }) });
      expect(res.status).toBe(201);
      await new Promise((r) => setTimeout(r, 300));
      await off.stop();
      expect(quiet.posts).toBe(0);
      const created = off.output().split('\n').find((l) => l.includes('"world created"'));
      expect(created).toContain('"reqId":"untraced-1"');
      expect(created).not.toContain('traceId');
      expect(off.output()).not.toContain('tracing on');
    } finally {
      await off.stop();
      off.cleanup();
      await quiet.close();
    }
  });
});
