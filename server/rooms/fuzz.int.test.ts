/**
 * Protocol fuzz: a seeded stream of tens of thousands of malformed messages of every intent type
 * through a real connection. The server stays up, answers every one with an error, and the world
 * everyone sees is exactly what it was. A client that sends bytes that are not a message at all is
 * disconnected, and nobody else notices.
 */
import { describe, expect, it } from 'vitest';
import { ErrorCode, INTENT_TYPES, type IntentType } from '../../shared/protocol';
import { allowed } from '../../shared/model/roles';
import { createWorld, joinWorld, until, type TestParticipant } from '../testing/clients';
import { fuzzMessages, rng, type FuzzTargets } from '../testing/fuzz';
import { useServer } from '../testing/useServer';
import { MAX_MALFORMED_FRAMES } from './malformedFrames';

// fast enough that the rate limit never drops a message: every one must be answered
const server = useServer({ env: { INTENT_RATE: '10000' } });

const SEED = Number(process.env.FUZZ_SEED ?? 20261125);
const COUNT = Number(process.env.FUZZ_COUNT ?? 20_000);
const BATCH = Number(process.env.FUZZ_BATCH ?? 500);

/** Seeds that once broke something: each replays as its own test. None so far. */
const REGRESSION_SEEDS: Array<{ name: string; seed: number; count: number }> = [];

async function world() {
  const w = await createWorld(server().url);
  const res = await fetch(`${server().url}/api/v3/workflows`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ worldId: w.id, template: 'document-pipeline' }),
  });
  expect(res.status).toBe(201);
  const watcher = await joinWorld(server().url, w.id, 'Watcher');
  const fuzzer = await joinWorld(server().url, w.id, 'Fuzzer');
  watcher.sendRaw('noteAdd', { type: 'noteAdd', docId: watcher.docIds()[0], page: 1, u: 0.5, v: 0.5, text: 'keep me' });
  await until('the note', () => (watcher.room.state as any).annotations.size === 1);
  await until('the workflow', () => (fuzzer.room.state as any).workflows.size === 1 && (fuzzer.room.state as any).annotations.size === 1);
  return { watcher, fuzzer };
}

function targets(p: TestParticipant): FuzzTargets {
  const s = p.room.state as any;
  return {
    docIds: p.docIds(),
    noteIds: [...s.annotations.keys()],
    workflowIds: [...s.workflows.keys()],
    runIds: ['no-such-run'],
  };
}

/** What must hold of any world state, whatever was sent. */
function checkInvariants(snapshot: any) {
  const people = new Set(Object.keys(snapshot.participants));
  for (const d of Object.values<any>(snapshot.documents)) {
    expect(d.heldBy === '' || people.has(d.heldBy), `document ${d.id} held by a stranger`).toBe(true);
    for (const v of [d.x, d.y, d.z, d.qx, d.qy, d.qz, d.qw, d.scale]) expect(Number.isFinite(v)).toBe(true);
    expect(Math.max(Math.abs(d.x), Math.abs(d.y), Math.abs(d.z))).toBeLessThanOrEqual(500);
    expect(d.page).toBeGreaterThanOrEqual(1);
  }
  for (const n of Object.values<any>(snapshot.annotations)) expect(snapshot.documents[n.documentId], 'a note on a missing document').toBeDefined();
}

async function fuzz(seed: number, count: number) {
  const { watcher, fuzzer } = await world();
  const before = watcher.snapshot() as any;
  checkInvariants(before);
  const mutations = new Map<string, number>();
  let sent = 0;
  const batch: string[] = [];
  for (const message of fuzzMessages(seed, count, targets(fuzzer))) {
    fuzzer.sendRaw(message.type as string, message.payload);
    sent++;
    batch.push(`${String(message.type).slice(0, 20)}: ${message.mutation}`);
    const kind = message.mutation.replace(/^\w+ is /, 'field is ');
    mutations.set(kind, (mutations.get(kind) ?? 0) + 1);
    if (sent % BATCH === 0 || sent === count) {
      await until(`answers to messages up to #${sent} (seed ${seed}); last batch: ${batch.slice(-3).join(' | ')}`, () => fuzzer.errors.length >= sent, 15_000).catch((err) => {
        throw new Error(`${err.message}; answered ${fuzzer.errors.length} of ${sent}\n${server().output().slice(-3000)}`);
      });
      batch.length = 0;
    }
  }
  // one answer per message, each a refusal of the malformed kind, never a rate limit or a crash
  expect(fuzzer.errors.length).toBe(sent);
  // the role is checked before the message is read: the owner's intents come back forbidden to this editor
  const ownersOnly = INTENT_TYPES.filter((t) => !allowed('editor', t));
  expect(fuzzer.errors.filter((e) => e.code === ErrorCode.FORBIDDEN).every((e) => ownersOnly.includes(e.intent as IntentType))).toBe(true);
  const codes = new Set(fuzzer.errors.map((e) => e.code).filter((c) => c !== ErrorCode.FORBIDDEN));
  expect([...codes].sort()).toEqual([ErrorCode.INVALID_INTENT, ErrorCode.UNKNOWN_INTENT].sort());
  expect(fuzzer.errors.every((e) => typeof e.message === 'string' && e.message.length > 0 && e.message.length < 2000)).toBe(true);
  expect(mutations.size, 'the stream exercised every kind of mutation').toBeGreaterThan(10);

  // nothing changed, for the watcher or anyone else
  const after = watcher.snapshot() as any;
  checkInvariants(after);
  for (const key of ['documents', 'annotations', 'workflows', 'runs', 'name', 'template']) expect(after[key], key).toEqual(before[key]);
  expect(Object.keys(after.participants).sort()).toEqual(Object.keys(before.participants).sort());
  expect(after.participants[fuzzer.room.sessionId].head).toEqual(before.participants[fuzzer.room.sessionId].head);
  expect(watcher.errors).toEqual([]);

  // and the room still does what it should
  const doc = watcher.docIds()[0]!;
  fuzzer.sendRaw('grab', { type: 'grab', docId: doc });
  await until('a real grab after the fuzz', () => watcher.doc(doc)?.heldBy === fuzzer.room.sessionId);
  await fuzzer.room.leave();
  await watcher.room.leave();
}

describe('protocol fuzz', () => {
  it(`INTENT-1: refuses ${COUNT} malformed messages (seed ${SEED}) one by one and changes nothing`, { timeout: 180_000 }, async () => {
    await fuzz(SEED, COUNT);
  });

  for (const r of REGRESSION_SEEDS) {
    it(`regression: ${r.name}`, { timeout: 60_000 }, async () => fuzz(r.seed, r.count));
  }

  it('cuts off a client that sends bytes that are not a message, and no one else notices', { timeout: 30_000 }, async () => {
    const { watcher, fuzzer } = await world();
    const before = watcher.snapshot() as any;
    fuzzer.room.reconnection.enabled = false;
    let closed: number | undefined;
    fuzzer.room.onLeave((code: number) => (closed = code));
    const random = rng(SEED);
    // a room-data frame whose payload is truncated msgpack: a map that promises more than it has
    const frame = new Uint8Array([13, 0xa4, 0x70, 0x6f, 0x73, 0x65, 0xdf, 0xff, 0xff, 0xff, 0xff, ...Array.from({ length: 16 }, () => Math.floor(random() * 256))]);
    (fuzzer.room as any).connection.send(frame);
    await until('the garbling client to be disconnected', () => closed !== undefined, 10_000);
    // its place is kept for a reconnection like any dropped client's, but it is no longer connected
    await until('the garbling client to be shown disconnected', () => (watcher.room.state as any).participants.get(fuzzer.room.sessionId)?.connected !== true, 10_000);
    const after = watcher.snapshot() as any;
    for (const key of ['documents', 'annotations', 'workflows']) expect(after[key], key).toEqual(before[key]);
    const health = await fetch(`${server().url}/api/v3/health`);
    expect(health.status).toBe(200);
    watcher.sendRaw('page', { type: 'page', docId: watcher.docIds()[0], page: 2 });
    await until('the watcher to carry on', () => watcher.doc(watcher.docIds()[0]!)?.page === 2);
    expect(watcher.errors).toEqual([]);
    await watcher.room.leave();
  });

  it('logs frames that do not decode once per client, with a count when it leaves, not a stack per frame', { timeout: 30_000 }, async () => {
    const { watcher, fuzzer } = await world();
    const id = fuzzer.room.sessionId;
    // a request frame (code 21) whose msgpack body is cut short: Colyseus answers it and keeps the client
    const request = new Uint8Array([21, 1, 0xa1, 0x70, 0xdf, 0xff]);
    for (let i = 0; i < 5; i++) (fuzzer.room as any).connection.send(request);
    // the room still answers this client, so the bad frames did not cost it its connection
    fuzzer.sendRaw('grab', { type: 'grab', docId: 'no-such-doc' });
    await until('the answer after the bad frames', () => fuzzer.errors.length === 1);
    await fuzzer.room.leave();
    const lines = () => server().output().split('\n').filter((l) => l.includes(id));
    await until('the count on leaving', () => lines().some((l) => l.includes('"frames":5')), 10_000);
    expect(lines().filter((l) => l.includes('did not decode')).length).toBe(2);
    expect(server().output()).not.toMatch(/at checkedRead|at endOfMessagePackError/);
    await watcher.room.leave();
  });

  it(`cuts off a client whose frames keep failing to decode (more than ${MAX_MALFORMED_FRAMES}), and no one else notices`, { timeout: 30_000 }, async () => {
    const { watcher, fuzzer } = await world();
    let closed: number | undefined;
    fuzzer.room.onLeave((code) => (closed = code));
    const request = new Uint8Array([21, 1, 0xa1, 0x70, 0xdf, 0xff]);
    for (let i = 0; i <= MAX_MALFORMED_FRAMES; i++) (fuzzer.room as any).connection.send(request);
    await until('the cut-off', () => closed !== undefined, 10_000);
    watcher.sendRaw('grab', { type: 'grab', docId: 'no-such-doc' });
    await until('the watcher still answered', () => watcher.errors.length === 1);
    await watcher.room.leave();
  });
});
