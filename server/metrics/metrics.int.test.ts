/**
 * The metrics route against a real server: only administrators (or their API keys with
 * metrics:read) read it; what it serves parses as the Prometheus text format; and it moves when the
 * product is used — a person joining in VR counts as a VR person, a refused intent counts with its
 * reason, REST requests are timed by route pattern, never by path.
 */
import parse from 'parse-prometheus-text-format';
import { describe, expect, it } from 'vitest';
import { createWorld, joinWorld, until, uploadMarkdown } from '../testing/clients';
import { bearer, restClient } from '../testing/rest';
import { useServer } from '../testing/useServer';

const server = useServer({ env: { ADMIN_USERS: 'root' } });
const { call, signUp } = restClient(() => server().url);

type Families = ReturnType<typeof parse>;
const family = (all: Families, name: string) => all.find((f) => f.name === name);
const value = (all: Families, name: string, labels: Record<string, string>) =>
  Number(family(all, name)?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))?.value ?? NaN);

describe('metrics', () => {
  it('METRICS-1: are for administrators only, or their API keys with metrics:read', async () => {
    const root = await signUp('root');
    const bob = await signUp('bob');
    expect((await call('GET', '/metrics')).status).toBe(401);
    expect((await call('GET', '/metrics', undefined, bearer(bob.token))).status).toBe(403);
    const scraper = await call('POST', '/keys', { name: 'prometheus', scopes: ['metrics:read'] }, bearer(root.token));
    expect(scraper.status).toBe(201);
    const other = await call('POST', '/keys', { name: 'docs only', scopes: ['documents:read'] }, bearer(root.token));
    expect((await call('GET', '/metrics', undefined, { 'x-api-key': other.json.key })).status).toBe(403);
    // as Prometheus sends it: the key as the bearer token
    const scraped = await call('GET', '/metrics', undefined, bearer(scraper.json.key));
    expect(scraped.status).toBe(200);
    expect((await call('GET', '/metrics', undefined, { 'x-api-key': scraper.json.key })).status).toBe(200);
    // a key as a bearer token is still a key: it cannot make keys
    expect((await call('POST', '/keys', { name: 'x', scopes: ['metrics:read'] }, bearer(scraper.json.key))).status).toBe(401);
    expect(scraped.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  });

  it('METRICS-2: parse as the Prometheus text format and move as the product is used, with bounded labels', async () => {
    const root = (await call('POST', '/auth/signin', { username: 'root', password: 'a long enough password' })).json.accessToken as string;
    const raw = async () => (await call('GET', '/metrics', undefined, bearer(root))).text;
    const scrape = async () => parse(await raw());

    const world = await createWorld(server().url);
    await call('GET', `/worlds/${world.id}`);
    await call('GET', `/worlds/${world.id}/members`);
    await call('GET', `/worlds/${world.id}/props`);
    await call('GET', '/worlds/no-such-world-x1');
    await call('GET', '/no-such-route-x9');
    const ann = await joinWorld(server().url, world.id, 'Ann', { device: 'vr' });
    ann.sendRaw('grab', { type: 'grab', docId: 'no-such-doc' });
    await until('the refusal', () => ann.errors.length === 1);

    const text = await raw();
    const m = parse(text);
    expect(value(m, 'dwc_people', { device: 'vr' })).toBe(1);
    expect(value(m, 'dwc_people', { device: 'desktop' })).toBe(0);
    expect(value(m, 'dwc_worlds_open', {})).toBeGreaterThanOrEqual(1);
    expect(value(m, 'dwc_intents_total', { type: 'grab', outcome: 'refused', reason: 'DOCUMENT_NOT_FOUND' })).toBe(1);
    // requests are timed by the route that matched, never by the path asked for
    // (the parser keeps no labels of a histogram's samples: read them from the text)
    expect(family(m, 'dwc_http_request_duration_seconds')?.type).toBe('HISTOGRAM');
    const routes = new Set([...text.matchAll(/^dwc_http_request_duration_seconds_count\{[^}]*route="([^"]*)"/gm)].map((r) => r[1]));
    expect(routes).toContain('/api/v3/worlds/:id');
    // routers mounted at a path with the world's id in it are timed by their pattern too
    expect(routes).toContain('/api/v3/worlds/:id/members');
    expect(routes).toContain('/api/v3/worlds/:id/props');
    expect([...routes].some((r) => r?.includes(world.id))).toBe(false);
    expect(routes).toContain('unmatched');
    expect([...routes].some((r) => r?.includes('no-such'))).toBe(false);
    // the process's own: memory, CPU and the event loop's delay
    for (const name of ['process_cpu_user_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_p99_seconds']) expect(family(m, name), name).toBeDefined();
    // hostile message types do not make new series
    ann.sendRaw('x'.repeat(40), {});
    await until('the second refusal', () => ann.errors.length === 2);
    expect(value(await scrape(), 'dwc_intents_total', { type: 'unknown', outcome: 'refused', reason: 'UNKNOWN_INTENT' })).toBe(1);

    // an upload is counted by kind and outcome, with its bytes; a neural command by source and outcome
    await uploadMarkdown(server().url, world.id, 'notes.md', '# Notes\n\nA page of notes.');
    ann.sendRaw('neuralCommand', { type: 'neuralCommand', command: 'approve', confidence: 0.9, source: 'camera' });
    await until('the neural refusal', () => ann.errors.length === 3);
    const after = await scrape();
    expect(value(after, 'dwc_uploads_total', { kind: 'document', outcome: 'accepted' })).toBe(1);
    expect(value(after, 'dwc_upload_bytes_total', { kind: 'document' })).toBeGreaterThan(20);
    expect(value(after, 'dwc_neural_commands_total', { source: 'camera', outcome: 'refused' })).toBe(1);

    // what is sent to people in worlds is counted on the wire, and stays counted when they go
    const sent = value(after, 'dwc_realtime_sent_bytes_total', {})!;
    expect(sent).toBeGreaterThan(1000);

    await ann.room.leave();
    await until('Ann gone from the count', async () => value(await scrape(), 'dwc_people', { device: 'vr' }) === 0, 10_000, 200);
    expect(value(await scrape(), 'dwc_realtime_sent_bytes_total', {})).toBeGreaterThanOrEqual(sent);
  });
});
