import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, ServerEvent, type NeuralAccepted } from '../../shared/protocol';
import { bootServer, type BootedServer } from '../testing/bootServer';
import { createWorld, joinWorld, until, type TestParticipant } from '../testing/clients';

const started: BootedServer[] = [];
afterEach(async () => {
  for (const s of started.splice(0)) {
    await s.stop({ kill: true });
    s.cleanup();
  }
});

async function boot(dataDir?: string) {
  const s = await bootServer({ dataDir });
  started.push(s);
  return s;
}

async function call(base: string, method: string, route: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: any }> {
  const res = await fetch(`${base}/api/v3${route}`, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

async function createWorkflow(base: string, worldId: string, definition: object): Promise<string> {
  const res = await call(base, 'POST', '/workflows', { worldId, definition });
  expect(res.status).toBe(201);
  return res.json.workflow.id as string;
}

/** Waits for a command from `participant`, then a short delay so the run has a step after it. */
const waitFor = (participant: string, extra: object = {}) => ({
  name: `Wait for ${participant}`,
  steps: [
    { id: 'signal', kind: 'neural_trigger', name: 'Signal', params: { participant, commands: ['confirm', 'thumbs_up'], minConfidence: 0.8, ...extra } },
    { id: 'after', kind: 'delay', name: 'After', params: { ms: 10 } },
  ],
});

const state = (p: TestParticipant) => p.room.state as any;
const runIn = (p: TestParticipant, workflowId: string) => [...state(p).runs.values()].find((r: any) => r.workflowId === workflowId);
const statusOf = (p: TestParticipant, workflowId: string) => runIn(p, workflowId)?.status as string | undefined;
const command = (p: TestParticipant, cmd: string, confidence: number, extra: object = {}) =>
  p.sendRaw('neuralCommand', { type: 'neuralCommand', command: cmd, confidence, source: 'eeg', ...extra });

describe('neural_trigger steps in a world', () => {
  it('takes a command only from the participant it waits for, of an accepted kind and sure enough, then goes on', async () => {
    const server = await boot();
    const world = await createWorld(server.url);
    const ann = await joinWorld(server.url, world.id, 'Ann');
    const bob = await joinWorld(server.url, world.id, 'Bob');
    const accepted: NeuralAccepted[] = [];
    ann.room.onMessage(ServerEvent.NEURAL_ACCEPTED, (m: NeuralAccepted) => accepted.push(m));
    const wf = await createWorkflow(server.url, world.id, waitFor('Ann'));
    await until('the chain', () => state(ann).workflows.has(wf));

    // nothing waits yet: a command is refused with a reason
    command(ann, 'confirm', 0.95);
    await until('the first refusal', () => ann.errors.length === 1);
    expect(ann.errors[0]).toMatchObject({ code: ErrorCode.RUN_NOT_WAITING, intent: 'neuralCommand' });

    ann.sendRaw('runStart', { type: 'runStart', workflowId: wf });
    await until('the run to wait', () => statusOf(ann, wf) === 'waiting', 10_000);
    const runId = runIn(ann, wf).id as string;
    expect(runIn(ann, wf).steps[0].detail).toMatch(/Ann: confirm \/ thumbs_up/);

    command(bob, 'confirm', 0.99);
    await until("Bob's refusal", () => bob.errors.length === 1);
    expect(bob.errors[0]).toMatchObject({ code: ErrorCode.NEURAL_NOT_PERMITTED });
    expect(bob.errors[0]!.message).toMatch(/waits for Ann, not for Bob/);

    command(ann, 'wave', 0.99);
    command(ann, 'confirm', 0.5);
    await until("Ann's two refusals", () => ann.errors.length === 3);
    expect(ann.errors.slice(1).map((e) => e.code)).toEqual([ErrorCode.NEURAL_UNKNOWN_COMMAND, ErrorCode.NEURAL_LOW_CONFIDENCE]);
    expect(ann.errors[2]!.message).toMatch(/0\.50.*at least 0\.80/);
    // malformed commands are refused by the schema
    ann.sendRaw('neuralCommand', { type: 'neuralCommand', command: 'confirm', confidence: 1.5, source: 'eeg' });
    ann.sendRaw('neuralCommand', { type: 'neuralCommand', command: '<b>x</b>', confidence: 0.9, source: 'telepathy' });
    await until('two invalid intents', () => ann.errors.length === 5);
    expect(ann.errors.slice(3).map((e) => e.code)).toEqual([ErrorCode.INVALID_INTENT, ErrorCode.INVALID_INTENT]);

    // every refusal has come back, so the server has handled every command sent: the run, as the
    // server holds it, still waits and took no signal
    const before = await call(server.url, 'GET', `/runs/${runId}`);
    expect(before.json.run).toMatchObject({ status: 'waiting', signals: {} });
    expect(statusOf(ann, wf)).toBe('waiting');

    command(ann, 'thumbs_up', 0.9, { runId });
    await until('the run to finish', () => statusOf(ann, wf) === 'succeeded', 10_000);
    expect(accepted).toEqual([{ command: 'thumbs_up', runIds: [runId] }]);
    const after = await call(server.url, 'GET', `/runs/${runId}`);
    expect(after.json.run.steps[0].output).toMatchObject({ command: 'thumbs_up', confidence: 0.9, source: 'eeg', participant: 'Ann', timedOut: false });
    expect(typeof after.json.run.steps[0].output.at).toBe('number');

    // an approval cannot answer a neural step, and vice versa
    ann.sendRaw('runStart', { type: 'runStart', workflowId: wf });
    await until('a second run to wait', () => [...state(ann).runs.values()].some((r: any) => r.status === 'waiting'));
    const second = [...state(ann).runs.values()].find((r: any) => r.status === 'waiting') as any;
    ann.sendRaw('runAnswer', { type: 'runAnswer', runId: second.id, approved: true });
    await until('the approval refused', () => ann.errors.length === 6);
    expect(ann.errors[5]).toMatchObject({ code: ErrorCode.RUN_NOT_WAITING, intent: 'runAnswer' });
    await ann.room.leave();
    await bob.room.leave();
  });

  it('lists who streams which sources, and forgets them when they turn off or leave', async () => {
    const server = await boot();
    const world = await createWorld(server.url);
    const ann = await joinWorld(server.url, world.id, 'Ann');
    ann.sendRaw('neuralSources', { type: 'neuralSources', sources: ['eeg', 'xr-hands'] });
    const sessions = async () => (await call(server.url, 'GET', `/neural/sessions?world=${world.id}`)).json.sessions as any[];
    let list: any[] = [];
    const listed = (want: (l: any[]) => boolean) => async () => want((list = await sessions()));
    await until('Ann listed', listed((l) => l.length > 0), 2500, 50);
    expect(list).toEqual([expect.objectContaining({ worldId: world.id, participantId: ann.room.sessionId, name: 'Ann', sources: ['eeg', 'xr-hands'] })]);
    ann.sendRaw('neuralSources', { type: 'neuralSources', sources: [] });
    await until('Ann gone from the list once she streams nothing', listed((l) => l.length === 0), 2500, 50);
    ann.sendRaw('neuralSources', { type: 'neuralSources', sources: ['camera'] });
    await until('Ann listed again with her camera', listed((l) => l.length === 1 && l[0].sources.join() === 'camera'), 2500, 50);
    await ann.room.leave();
    await until('Ann gone from the list once she left', listed((l) => l.length === 0), 2500, 50);
    expect((await call(server.url, 'GET', '/neural/sessions?world=../x')).status).toBe(400);
  });

  it('takes commands from a device bridge with an API key, only for the key owner', async () => {
    const server = await boot();
    const world = await createWorld(server.url);
    const signUp = await call(server.url, 'POST', '/auth/signup', { username: 'gil', password: 'a long enough password' });
    const bearer = { authorization: `Bearer ${signUp.json.accessToken}` };
    const key = (await call(server.url, 'POST', '/keys', { name: 'headband', scopes: ['neural:write'] }, bearer)).json.key as string;
    const readOnly = (await call(server.url, 'POST', '/keys', { name: 'reader', scopes: ['worlds:read'] }, bearer)).json.key as string;
    const wf = await createWorkflow(server.url, world.id, waitFor('gil'));
    const run = (await call(server.url, 'POST', `/workflows/${wf}/runs`, { input: { worldId: world.id } })).json.run;
    const runNow = async () => (await call(server.url, 'GET', `/runs/${run.id}`)).json.run;
    await until('the run to wait for a command', async () => (await runNow()).status === 'waiting', 5000, 50);

    const body = { worldId: world.id, command: 'confirm', confidence: 0.9 };
    expect((await call(server.url, 'POST', '/neural/commands', body)).status).toBe(401);
    expect((await call(server.url, 'POST', '/neural/commands', body, { 'x-api-key': readOnly })).status).toBe(403);
    const other = await call(server.url, 'POST', '/neural/commands', { ...body, userId: 'someone-else' }, { 'x-api-key': key });
    expect(other).toMatchObject({ status: 403, json: { error: { code: ErrorCode.NEURAL_NOT_PERMITTED } } });
    expect((await call(server.url, 'POST', '/neural/commands', { ...body, confidence: 'high' }, { 'x-api-key': key })).status).toBe(400);
    expect((await call(server.url, 'POST', '/neural/commands', { ...body, worldId: 'nosuchworld' }, { 'x-api-key': key })).status).toBe(404);
    const low = await call(server.url, 'POST', '/neural/commands', { ...body, confidence: 0.3 }, { 'x-api-key': key });
    expect(low).toMatchObject({ status: 422, json: { error: { code: ErrorCode.NEURAL_LOW_CONFIDENCE } } });
    expect((await call(server.url, 'GET', `/runs/${run.id}`)).json.run.status).toBe('waiting');

    const ok = await call(server.url, 'POST', '/neural/commands', { ...body, userId: signUp.json.user.id }, { 'x-api-key': key });
    expect(ok).toMatchObject({ status: 200, json: { accepted: true, runIds: [run.id] } });
    let done: any;
    await until('the run to succeed', async () => (done = await runNow()).status === 'succeeded', 5000, 50);
    expect(done.steps[0].output).toMatchObject({ command: 'confirm', source: 'bridge', participant: 'gil', userId: signUp.json.user.id });
    const again = await call(server.url, 'POST', '/neural/commands', body, { 'x-api-key': key });
    expect(again).toMatchObject({ status: 409, json: { error: { code: ErrorCode.RUN_NOT_WAITING } } });

    // a world someone else made privately is not gil's to command, nor to watch
    const hana = await call(server.url, 'POST', '/auth/signup', { username: 'hana', password: 'a long enough password' });
    const hanas = (await call(server.url, 'POST', '/worlds', { name: 'Private', template: 'office' }, { authorization: `Bearer ${hana.json.accessToken}` })).json.world;
    const refused = await call(server.url, 'POST', '/neural/commands', { ...body, worldId: hanas.id }, { 'x-api-key': key });
    expect(refused).toMatchObject({ status: 403, json: { error: { code: ErrorCode.FORBIDDEN } } });
    expect((await call(server.url, 'GET', `/neural/sessions?world=${hanas.id}`, undefined, bearer)).status).toBe(403);
  });

  // two server starts: on a busy machine each can take most of the default 30 s
  it('a run waiting at neural_trigger resumes after a restart: a command releases it, and a timeout still fires', { timeout: 90_000 }, async () => {
    const first = await boot();
    const world = await createWorld(first.url);
    const ann = await joinWorld(first.url, world.id, 'Ann');
    const answered = await createWorkflow(first.url, world.id, waitFor('Ann'));
    const timed = await createWorkflow(first.url, world.id, waitFor('Nobody', { timeoutSeconds: 3, onTimeout: 'continue' }));
    const failing = await createWorkflow(first.url, world.id, waitFor('Nobody', { timeoutSeconds: 3, onTimeout: 'fail' }));
    await until('the chains', () => state(ann).workflows.size === 3);
    for (const wf of [answered, timed, failing]) ann.sendRaw('runStart', { type: 'runStart', workflowId: wf });
    await until('three waiting runs', () => [answered, timed, failing].every((wf) => statusOf(ann, wf) === 'waiting'), 10_000);
    const ids = [answered, timed, failing].map((wf) => runIn(ann, wf).id as string);

    await first.stop({ kill: true });
    const second = await boot(first.dataDir);
    const ann2 = await joinWorld(second.url, world.id, 'Ann');
    await until('the runs after the restart', () => state(ann2).runs.size === 3);
    command(ann2, 'confirm', 0.9);
    await until('the answered run to finish', () => statusOf(ann2, answered) === 'succeeded', 10_000);
    await until('the timed-out runs to end', () => statusOf(ann2, timed) === 'succeeded' && statusOf(ann2, failing) === 'failed', 10_000);
    const [a, t, f] = await Promise.all(ids.map(async (id) => (await call(second.url, 'GET', `/runs/${id}`)).json.run));
    expect(a.steps[0].output).toMatchObject({ command: 'confirm', participant: 'Ann', timedOut: false });
    expect(t.steps[0].output).toMatchObject({ timedOut: true });
    expect(f.steps[0].error).toMatchObject({ code: 'NEURAL_TIMEOUT' });
    expect(ann2.errors).toEqual([]);
    await ann2.room.leave();
  });
});
