/**
 * What workflows may touch, attacked as a guest and a second account would: a workflow reads and
 * writes only in its own world (or where its owning account may), runs show only in their
 * workflow's world, a workflow in no world is its owner's alone, a webhook's header secrets are
 * never served, deep inputs are refused, and an approval over REST records who gave it.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../shared/protocol';
import { createWorld, joinWorld, settle, until } from '../testing/clients';
import { LevelStore } from '../adapters/storage/LevelStore';
import { bootServer } from '../testing/bootServer';
import { useServer } from '../testing/useServer';

// the test's webhook receiver listens on loopback; guests may schedule here to reach the input check
const server = useServer({ env: { ADMIN_USERS: 'root', WEBHOOK_ALLOW: '127.0.0.1', GUEST_WORKFLOWS: 'all' } });
const PASSWORD = 'a long enough password';

async function call(method: string, route: string, body?: unknown, token?: string, base = server().url): Promise<{ status: number; json: any }> {
  const res = await fetch(`${base}/api/v3${route}`, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}
async function signUp(username: string): Promise<string> {
  const res = await call('POST', '/auth/signup', { username, password: PASSWORD });
  expect(res.status).toBe(201);
  return res.json.accessToken as string;
}
async function upload(worldId: string, token?: string): Promise<string> {
  const form = new FormData();
  form.set('world', worldId);
  form.set('file', new Blob(['# Secret plan\nAcme buys Globex in Lisbon for 4 million euros.'], { type: 'text/markdown' }), 'plan.md');
  const res = await fetch(`${server().url}/api/v3/documents`, { method: 'POST', body: form, headers: token ? { authorization: `Bearer ${token}` } : {} });
  expect(res.status).toBe(201);
  return ((await res.json()) as { document: { id: string } }).document.id;
}
/** The run once it has finished, or stopped to wait when `orWaiting`. */
async function runToEnd(id: string, token?: string, orWaiting = false): Promise<any> {
  const stops = ['succeeded', 'failed', 'cancelled', ...(orWaiting ? ['waiting'] : [])];
  for (const deadline = Date.now() + 15_000; Date.now() < deadline; await settle(50)) {
    const run = (await call('GET', `/runs/${id}`, undefined, token)).json.run;
    if (stops.includes(run.status)) return run;
  }
  throw new Error(`run ${id} did not stop`);
}
const documentsIn = async (worldId: string, token: string) => ((await call('GET', `/documents?world=${worldId}`, undefined, token)).json.documents as Array<{ id: string }>).length;

let olive: string; // owns the private world
let sam: string; // a second account
let privateWorld: string;
let secretDoc: string;

beforeAll(async () => {
  olive = await signUp('olive');
  sam = await signUp('sam');
  const made = await call('POST', '/worlds', { name: 'Private', template: 'office', guestRole: 'none' }, olive);
  expect(made.status).toBe(201);
  privateWorld = made.json.world.id;
  secretDoc = await upload(privateWorld, olive);
});

describe('what a workflow may touch', () => {
  const reader = { name: 'Read it', steps: [{ id: 'read', kind: 'ai_analysis', name: 'Read' }] };
  const planter = { name: 'Plant', steps: [{ id: 'plant', kind: 'present', name: 'Plant', params: { title: 'Planted' } }] };

  it('refuses a guest a workflow in no world', async () => {
    const res = await call('POST', '/workflows', { definition: reader });
    expect(res.status).toBe(401);
    expect(res.json.error.message).toMatch(/sign in.*world/i);
  });

  it("lets a guest's workflow neither read a private world's document nor write into that world", async () => {
    const own = await createWorld(server().url);
    const before = await documentsIn(privateWorld, olive);
    const read = (await call('POST', '/workflows', { worldId: own.id, definition: reader })).json.workflow;
    const run = (await call('POST', `/workflows/${read.id}/runs`, { input: { documentId: secretDoc } })).json.run;
    const end = await runToEnd(run.id);
    expect(end.status).toBe('failed');
    expect(end.steps[0].error).toMatchObject({ code: 'OUT_OF_SCOPE', retryable: false });
    expect(end.steps[0].error.message).toMatch(/may not read documents in another world/);
    expect(JSON.stringify(end)).not.toContain('Globex');
    const plant = (await call('POST', '/workflows', { worldId: own.id, definition: planter })).json.workflow;
    const refused = await call('POST', `/workflows/${plant.id}/runs`, { input: { worldId: privateWorld } });
    expect(refused.status).toBe(400);
    expect(refused.json.error.message).toContain('its runs cannot work in world');
    expect(await documentsIn(privateWorld, olive)).toBe(before);
  });

  it("holds a worldless workflow to its owner's roles: the owner's reads the owner's document, another account's neither reads nor writes there", async () => {
    const before = await documentsIn(privateWorld, olive);
    const mine = (await call('POST', '/workflows', { definition: reader }, olive)).json.workflow;
    expect(mine).toMatchObject({ worldId: null, ownerId: expect.any(String) });
    const ok = await runToEnd((await call('POST', `/workflows/${mine.id}/runs`, { input: { documentId: secretDoc } }, olive)).json.run.id, olive);
    expect(ok.status).toBe('succeeded');
    for (const [definition, why] of [
      [reader, 'sam, who owns this workflow, may not read documents'],
      [planter, 'sam, who owns this workflow, may not add or change documents'],
    ] as const) {
      const theirs = (await call('POST', '/workflows', { definition }, sam)).json.workflow;
      const run = (await call('POST', `/workflows/${theirs.id}/runs`, { input: { documentId: secretDoc, worldId: privateWorld } }, sam)).json.run;
      const refused = await runToEnd(run.id, sam);
      expect(refused.status).toBe('failed');
      expect(refused.steps[0].error).toMatchObject({ code: 'OUT_OF_SCOPE', retryable: false });
      expect(refused.steps[0].error.message).toContain(why);
    }
    expect(await documentsIn(privateWorld, olive)).toBe(before);
  });

  it("shows a run only in its workflow's world, never in one its input names", async () => {
    const home = await createWorld(server().url);
    const other = await createWorld(server().url);
    const ann = await joinWorld(server().url, home.id, 'Ann');
    const bob = await joinWorld(server().url, other.id, 'Bob');
    const waiting = { name: 'Wait', steps: [{ id: 'ok', kind: 'approval', name: 'OK', params: { prompt: 'Chosen text' } }] };
    const wf = (await call('POST', '/workflows', { worldId: home.id, definition: waiting })).json.workflow;
    const run = (await call('POST', `/workflows/${wf.id}/runs`, { input: {} })).json.run;
    await until('the run in its own world', () => (ann.room.state as any).runs.get(run.id)?.status === 'waiting', 10_000);
    // a workflow in no world shows its runs in none, whatever world they work in
    const worldless = (await call('POST', '/workflows', { definition: waiting }, sam)).json.workflow;
    const pushed = (await call('POST', `/workflows/${worldless.id}/runs`, { input: { worldId: other.id } }, sam)).json.run;
    expect((await runToEnd(pushed.id, sam, true)).status).toBe('waiting');
    await settle();
    expect((bob.room.state as any).runs.size).toBe(0);
    await ann.room.leave();
    await bob.room.leave();
  });
});

describe('a workflow in no world belongs to its account', () => {
  it('keeps a second account and guests from reading, editing, running, scheduling, deleting or listing it; an admin may', async () => {
    const wf = (await call('POST', '/workflows', { definition: { name: 'Mine', steps: [{ id: 'ok', kind: 'approval', name: 'OK' }] } }, olive)).json.workflow;
    const run = (await call('POST', `/workflows/${wf.id}/runs`, {}, olive)).json.run;
    const attempts: Array<[string, string, unknown?]> = [
      ['GET', `/workflows/${wf.id}`],
      ['GET', `/workflows/${wf.id}/versions`],
      ['GET', `/workflows/${wf.id}/runs`],
      ['PUT', `/workflows/${wf.id}`, { baseVersion: 1, definition: { name: 'Taken', steps: [{ id: 'ok', kind: 'approval', name: 'OK' }] } }],
      ['PUT', `/workflows/${wf.id}/schedule`, { schedule: { everyMs: 60_000 } }],
      ['POST', `/workflows/${wf.id}/rollback`, { version: 1 }],
      ['POST', `/workflows/${wf.id}/runs`, {}],
      ['GET', `/runs/${run.id}`],
      ['POST', `/runs/${run.id}/approve`, { approved: true }],
      ['POST', `/runs/${run.id}/cancel`, {}],
      ['DELETE', `/workflows/${wf.id}`],
    ];
    for (const [method, route, body] of attempts) {
      const bySam = await call(method, route, body, sam);
      expect(bySam.status, `sam: ${method} ${route}`).toBe(403);
      expect(bySam.json.error.message).toContain('belongs to another account');
      const byGuest = await call(method, route, body);
      expect(byGuest.status, `guest: ${method} ${route}`).toBe(401);
    }
    const ids = async (token?: string) => ((await call('GET', '/workflows', undefined, token)).json.workflows as Array<{ id: string }>).map((w) => w.id);
    expect(await ids(olive)).toContain(wf.id);
    expect(await ids(sam)).not.toContain(wf.id);
    expect(await ids()).not.toContain(wf.id);
    expect((await call('GET', `/workflows/${wf.id}`, undefined, olive)).json.workflow.name).toBe('Mine');
    expect((await call('GET', `/runs/${run.id}`, undefined, olive)).json.run.status).not.toBe('cancelled');
    const root = await signUp('root');
    expect((await call('GET', `/workflows/${wf.id}`, undefined, root)).status).toBe(200);
    expect((await call('DELETE', `/workflows/${wf.id}`, undefined, olive)).status).toBe(204);
  });
});

describe('webhook secrets', () => {
  let receiver: Server;
  const received: IncomingHttpHeaders[] = [];
  let hookUrl: string;
  beforeAll(async () => {
    receiver = createServer((req, res) => {
      received.push(req.headers);
      req.resume();
      req.on('end', () => res.end('ok'));
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  });
  afterAll(() => new Promise<void>((r) => receiver.close(() => r())));

  it('serves header values masked, keeps them through an edit that sends the mask back, and never shows them in versions or rollback', async () => {
    const world = await createWorld(server().url);
    const hook = (headers: Record<string, string>, name = 'Notify') => ({ name, steps: [{ id: 'hook', kind: 'webhook', name: 'Hook', params: { url: hookUrl, headers } }] });
    const made = await call('POST', '/workflows', { worldId: world.id, definition: hook({ Authorization: 'Bearer s3cret-token' }) });
    expect(made.status).toBe(201);
    const id = made.json.workflow.id;
    const shown = await call('GET', `/workflows/${id}`);
    expect(shown.json.current.definition.steps[0].params.headers).toEqual({ Authorization: '••••' });
    expect(JSON.stringify(made.json) + JSON.stringify(shown.json)).not.toContain('s3cret');

    // the builder saves what it was shown, with a change elsewhere
    const edited = await call('PUT', `/workflows/${id}`, { baseVersion: 1, definition: { ...shown.json.current.definition, name: 'Notify them' } });
    expect(edited.status).toBe(200);
    expect(edited.json.current.definition.steps[0].params.headers).toEqual({ Authorization: '••••' });
    const back = await call('POST', `/workflows/${id}/rollback`, { version: 1 });
    const versions = await call('GET', `/workflows/${id}/versions`);
    expect(JSON.stringify(edited.json) + JSON.stringify(back.json) + JSON.stringify(versions.json)).not.toContain('s3cret');
    expect((await call('POST', `/workflows/${id}/rollback`, { version: 2 })).status).toBe(200);

    const run = (await call('POST', `/workflows/${id}/runs`, {})).json.run;
    expect((await runToEnd(run.id)).status).toBe('succeeded');
    expect(received.at(-1)?.authorization).toBe('Bearer s3cret-token');

    const masked = await call('POST', '/workflows', { worldId: world.id, definition: hook({ Authorization: '••••' }) });
    expect(masked.status).toBe(400);
    expect(masked.json.error.message).toContain('type its value');
  });
});

describe('inputs and answers', () => {
  it('refuses a run or schedule input nested too deeply, with the reason', async () => {
    const world = await createWorld(server().url);
    const wf = (await call('POST', '/workflows', { worldId: world.id, definition: { name: 'Deep', steps: [{ id: 'd', kind: 'delay', name: 'D', params: { ms: 1 } }] } })).json.workflow;
    // written out, as JSON.stringify in this process would overflow too
    const deep = `${'['.repeat(5000)}"bottom"${']'.repeat(5000)}`;
    for (const [route, body] of [
      [`/workflows/${wf.id}/runs`, `{"input":{"deep":${deep}}}`],
      [`/workflows/${wf.id}/runs`, `{"inputs":[{"deep":${deep}}]}`],
      [`/workflows/${wf.id}/schedule`, `{"schedule":{"everyMs":60000,"input":{"deep":${deep}}}}`],
    ] as const) {
      const res = await call(route.endsWith('schedule') ? 'PUT' : 'POST', route, body);
      expect(res.status, route).toBe(400);
      expect(res.json.error.message).toContain('deeper than 16 levels');
    }
    expect((await call('GET', `/workflows/${wf.id}/runs`)).json.runs).toEqual([]);
    const huge = await call('POST', `/workflows/${wf.id}/runs`, { input: { text: 'x'.repeat(20_000) } });
    expect(huge.status).toBe(400);
    expect(huge.json.error.message).toContain('at most 16384 are taken');
  });

  it('records the signed-in caller as the approver over REST, not a name the body gives', async () => {
    const wf = (await call('POST', '/workflows', { worldId: privateWorld, definition: { name: 'Approve', steps: [{ id: 'ok', kind: 'approval', name: 'OK', params: { failOnReject: false } }] } }, olive)).json.workflow;
    const run = (await call('POST', `/workflows/${wf.id}/runs`, {}, olive)).json.run;
    expect((await runToEnd(run.id, olive, true)).status).toBe('waiting');
    expect((await call('POST', `/runs/${run.id}/approve`, { approved: true, by: 'the-ceo' }, olive)).status).toBe(200);
    const end = await runToEnd(run.id, olive);
    expect(end.steps[0].output).toMatchObject({ approved: true, by: 'olive' });
  });

  it('records a guest who approves in a world as a guest, even under an account name', async () => {
    const world = await createWorld(server().url);
    const wf = (await call('POST', '/workflows', { worldId: world.id, definition: { name: 'Approve', steps: [{ id: 'ok', kind: 'approval', name: 'OK' }] } })).json.workflow;
    const guest = await joinWorld(server().url, world.id, 'olive');
    const run = (await call('POST', `/workflows/${wf.id}/runs`, {})).json.run;
    await until('the waiting run', () => (guest.room.state as any).runs.get(run.id)?.status === 'waiting', 10_000);
    guest.sendRaw('runAnswer', { type: 'runAnswer', runId: run.id, approved: true });
    expect((await runToEnd(run.id)).steps[0].output).toMatchObject({ approved: true, by: 'olive (guest)' });
    await guest.room.leave();
  });
});

describe('guests and AI', () => {
  it('answers a guest only on behalf of a world it may run workflows in', async () => {
    const analyse = (body: object, token?: string) => call('POST', '/ai/analyze', { text: 'Acme renews the contract.', provider: 'builtin', ...body }, token);
    const none = await analyse({});
    expect(none.status).toBe(401);
    expect(none.json.error.message).toContain('worldId');
    expect((await analyse({ worldId: privateWorld })).status).toBe(401);
    expect((await analyse({ worldId: (await createWorld(server().url)).id })).status).toBe(200);
    expect((await analyse({}, sam)).status).toBe(200);
    expect((await call('POST', '/ai/generate', { prompt: 'Say hello.', providers: ['builtin'] })).status).toBe(401);
  });
});

describe('neural triggers waiting for an account', () => {
  it('are not answered by a guest who takes that account name', async () => {
    const world = await createWorld(server().url);
    const definition = { name: 'Wait for sam', steps: [{ id: 'signal', kind: 'neural_trigger', name: 'Signal', params: { participant: 'sam', minConfidence: 0.5 } }] };
    const wf = (await call('POST', '/workflows', { worldId: world.id, definition })).json.workflow;
    const run = (await call('POST', `/workflows/${wf.id}/runs`, { input: { worldId: world.id } })).json.run;
    expect((await runToEnd(run.id, undefined, true)).status).toBe('waiting');
    const impostor = await joinWorld(server().url, world.id, 'sam');
    impostor.sendRaw('neuralCommand', { type: 'neuralCommand', command: 'confirm', confidence: 0.9, source: 'eeg' });
    await until('the refusal', () => impostor.errors.length > 0);
    expect(impostor.errors[0]).toMatchObject({ code: ErrorCode.NEURAL_NOT_PERMITTED });
    expect(impostor.errors[0]!.message).toContain('a guest');
    expect((await call('GET', `/runs/${run.id}`)).json.run.status).toBe('waiting');
    const real = await joinWorld(server().url, world.id, 'whatever', { token: sam });
    real.sendRaw('neuralCommand', { type: 'neuralCommand', command: 'confirm', confidence: 0.9, source: 'eeg' });
    expect((await runToEnd(run.id)).status).toBe('succeeded');
    await impostor.room.leave();
    await real.room.leave();
  });
});

describe('workflows in no world stored before they had owners', () => {
  // two server starts: on a busy machine each can take most of the default 30 s
  it('are for administrators only, and their runs touch no world', { timeout: 90_000 }, async () => {
    const env = { ADMIN_USERS: 'root' };
    const first = await bootServer({ env });
    const at = (s: { url: string }) => ({
      signUp: async (username: string) => (await call('POST', '/auth/signup', { username, password: PASSWORD }, undefined, s.url)).json.accessToken as string,
      signIn: async (username: string) => (await call('POST', '/auth/signin', { username, password: PASSWORD }, undefined, s.url)).json.accessToken as string,
      call: (method: string, route: string, body?: unknown, token?: string) => call(method, route, body, token, s.url),
    });
    let second: Awaited<ReturnType<typeof bootServer>> | undefined;
    try {
      const a = at(first);
      const world = await createWorld(first.url);
      const doc = (await a.call('GET', `/documents?world=${world.id}`)).json.documents[0].id as string;
      await a.signUp('sam');
      const made = await a.call('POST', '/workflows', { definition: { name: 'Old', steps: [{ id: 'read', kind: 'ai_analysis', name: 'Read' }] } }, await a.signUp('root'));
      await first.stop();
      // as a workflow made before owners were kept was stored
      const store = new LevelStore(path.join(first.dataDir, 'store'));
      await store.open();
      const { ownerId: _gone, ...old } = (await store.workflowStore().getWorkflow(made.json.workflow.id))!;
      await store.workflowStore().saveWorkflow(old);
      await store.close();

      second = await bootServer({ dataDir: first.dataDir, env });
      const b = at(second);
      const [root, sam] = [await b.signIn('root'), await b.signIn('sam')];
      const refused = await b.call('GET', `/workflows/${old.id}`, undefined, sam);
      expect(refused.status).toBe(403);
      expect(refused.json.error.message).toContain('has no owner');
      expect((await b.call('GET', `/workflows/${old.id}`)).status).toBe(403);
      expect((await b.call('GET', `/workflows/${old.id}`, undefined, root)).status).toBe(200);
      const run = (await b.call('POST', `/workflows/${old.id}/runs`, { input: { documentId: doc } }, root)).json.run;
      let end: any;
      for (const deadline = Date.now() + 15_000; Date.now() < deadline && !['succeeded', 'failed'].includes(end?.status); await settle(50)) {
        end = (await b.call('GET', `/runs/${run.id}`, undefined, root)).json.run;
      }
      expect(end.status).toBe('failed');
      expect(end.steps[0].error.message).toContain('stands in no world and has no owner');
    } finally {
      await second?.stop();
      first.cleanup();
    }
  });
});
