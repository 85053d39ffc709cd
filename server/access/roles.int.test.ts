/**
 * Each role against each intent and each REST route that changes a world, driven by the one table
 * in shared/model/roles.ts: what the table allows works, what it refuses is answered FORBIDDEN (401
 * for a guest at a private world) and changes nothing. Every intent type of the protocol and every
 * world-changing route declared in server/http must appear here, so a new one cannot skip it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from '@colyseus/sdk';
import { beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, INTENT_TYPES, PROTOCOL_VERSION, WORLD_ROOM, type IntentType } from '../../shared/protocol';
import { INTENT_ROLE, WORLD_ACTION_ROLE, allowed, type WorldAction, type WorldRole } from '../../shared/model/roles';
import { joinWorld, settle, until, type TestParticipant } from '../testing/clients';
import { glbModel } from '../testing/models';
import { useServer } from '../testing/useServer';

const server = useServer();
const PASSWORD = 'a long enough password';

interface Reply {
  status: number;
  json: any;
}
async function call(method: string, route: string, body?: unknown, token?: string): Promise<Reply> {
  const res = await fetch(`${server().url}/api/v3${route}`, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = text;
  }
  return { status: res.status, json };
}
async function signUp(username: string): Promise<{ token: string; userId: string }> {
  const res = await call('POST', '/auth/signup', { username, password: PASSWORD });
  expect(res.status).toBe(201);
  return { token: res.json.accessToken, userId: res.json.user.id };
}

/** Who plays each part: the world's owner, two invited members, a signed-in stranger and a guest. */
type Part = WorldRole | 'stranger' | 'guest';
const PARTS: Part[] = ['owner', 'editor', 'viewer', 'stranger', 'guest'];
const roleOf = (p: Part): WorldRole | null => (p === 'stranger' || p === 'guest' ? null : p);

let worldId: string;
const tokens = {} as Record<Part, string | undefined>;

async function invite(role: 'viewer' | 'editor', token: string): Promise<void> {
  const made = await call('POST', `/worlds/${worldId}/invites`, { role }, tokens.owner);
  expect(made.status).toBe(201);
  expect((await call('POST', `/worlds/${worldId}/invites/accept`, { token: made.json.token }, token)).status).toBe(200);
}

async function newWorkflow(steps: unknown[] = [{ id: 'ok', kind: 'approval', name: 'OK' }]): Promise<string> {
  const res = await call('POST', '/workflows', { worldId, definition: { name: 'Check', steps } }, tokens.owner);
  expect(res.status).toBe(201);
  return res.json.workflow.id;
}
async function newRun(): Promise<string> {
  // a run names its world in its input, so the world's room shows it
  const res = await call('POST', `/workflows/${await newWorkflow()}/runs`, { input: { worldId } }, tokens.owner);
  expect(res.status).toBe(201);
  return res.json.run.id;
}
async function newDocument(): Promise<string> {
  const form = new FormData();
  form.set('world', worldId);
  form.set('file', new Blob(['# A note\nsome text'], { type: 'text/markdown' }), 'note.md');
  const res = await fetch(`${server().url}/api/v3/documents`, { method: 'POST', body: form, headers: { authorization: `Bearer ${tokens.owner}` } });
  expect(res.status).toBe(201);
  return ((await res.json()) as { document: { id: string } }).document.id;
}

beforeAll(async () => {
  const owner = await signUp('olive');
  tokens.owner = owner.token;
  const made = await call('POST', '/worlds', { name: 'Private', template: 'office', guestRole: 'none' }, owner.token);
  expect(made.status).toBe(201);
  expect(made.json.world).toMatchObject({ ownerId: owner.userId, guestRole: 'none' });
  worldId = made.json.world.id;
  tokens.editor = (await signUp('eddie')).token;
  tokens.viewer = (await signUp('vera')).token;
  tokens.stranger = (await signUp('sam')).token;
  await invite('editor', tokens.editor!);
  await invite('viewer', tokens.viewer!);
});

describe('the role table', () => {
  it('covers every intent type of the protocol', () => {
    for (const type of INTENT_TYPES) expect(INTENT_ROLE[type], `no role for intent "${type}"`).toMatch(/^(viewer|editor|owner)$/);
    expect(Object.keys(INTENT_ROLE).sort()).toEqual([...INTENT_TYPES].sort());
  });
});

/**
 * One valid intent of each type, and how to see that it took effect. A new intent type is a type
 * error here, and the runtime check below fails too.
 */
interface Ctx {
  me: TestParticipant;
  doc: string;
  note: () => string;
  workflow: string;
  run: string;
  /** A prop of the template's layout: moved, removed and brought back by undo. */
  prop: string;
}
const propOf = (c: Ctx) => (c.me.room.state as any).props.get(c.prop) as { x: number; heldBy: string } | undefined;
const LOOK = { body: '#2255aa', skin: '#8d5524', hair: 'bun', hairColour: '#111111', headwear: 'cap', glasses: 'round' };
const INTENTS: Record<IntentType, { send(c: Ctx): unknown; took?(c: Ctx): boolean }> = {
  pose: { send: () => ({ type: 'pose', head: [1, 1.6, 1, 0, 0, 0, 1], left: null, right: null }), took: (c) => (c.me.room.state as any).participants.get(c.me.room.sessionId).head.px === 1 },
  grab: { send: (c) => ({ type: 'grab', docId: c.doc }), took: (c) => c.me.doc(c.doc)?.heldBy === c.me.room.sessionId },
  move: { send: (c) => ({ type: 'move', docId: c.doc, position: [0.5, 1.5, -3] }), took: (c) => Math.abs(c.me.doc(c.doc)!.x - 0.5) < 1e-3 },
  release: { send: (c) => ({ type: 'release', docId: c.doc }), took: (c) => c.me.doc(c.doc)?.heldBy === '' },
  page: { send: (c) => ({ type: 'page', docId: c.doc, page: 2 }), took: (c) => c.me.doc(c.doc)?.page === 2 },
  noteAdd: { send: (c) => ({ type: 'noteAdd', docId: c.doc, page: 1, u: 0.5, v: 0.5, text: 'role check' }), took: (c) => [...(c.me.room.state as any).annotations.values()].some((n: any) => n.text === 'role check') },
  noteEdit: { send: (c) => ({ type: 'noteEdit', noteId: c.note(), text: 'edited' }), took: (c) => [...(c.me.room.state as any).annotations.values()].some((n: any) => n.text === 'edited') },
  noteDelete: { send: (c) => ({ type: 'noteDelete', noteId: c.note() }), took: (c) => (c.me.room.state as any).annotations.size === 0 },
  runStart: { send: (c) => ({ type: 'runStart', workflowId: c.workflow }), took: (c) => [...(c.me.room.state as any).runs.values()].some((r: any) => r.workflowId === c.workflow) },
  runCancel: { send: (c) => ({ type: 'runCancel', runId: c.run }), took: (c) => (c.me.room.state as any).runs.get(c.run)?.status === 'cancelled' },
  runAnswer: { send: (c) => ({ type: 'runAnswer', runId: c.run, approved: true }) },
  // nothing waits for a neural command here: allowed means "not refused for the role"
  neuralCommand: { send: () => ({ type: 'neuralCommand', command: 'confirm', confidence: 0.9, source: 'eeg' }) },
  neuralSources: { send: () => ({ type: 'neuralSources', sources: ['eeg'] }) },
  propAdd: { send: () => ({ type: 'propAdd', kind: 'tree', position: [-2, 0, 6.5] }), took: (c) => [...(c.me.room.state as any).props.values()].some((p: any) => p.kind === 'tree' && p.z === 6.5) },
  propGrab: { send: (c) => ({ type: 'propGrab', propId: c.prop }), took: (c) => propOf(c)?.heldBy === c.me.room.sessionId },
  propMove: { send: (c) => ({ type: 'propMove', propId: c.prop, position: [0.25, 0, -1.4] }), took: (c) => Math.abs((propOf(c)?.x ?? 0) - 0.25) < 1e-3 },
  propRelease: { send: (c) => ({ type: 'propRelease', propId: c.prop }), took: (c) => propOf(c)?.heldBy === '' },
  propDelete: { send: (c) => ({ type: 'propDelete', propId: c.prop }), took: (c) => propOf(c) === undefined },
  // takes back the removal just before it
  propUndo: { send: () => ({ type: 'propUndo' }), took: (c) => propOf(c) !== undefined },
  avatar: { send: () => ({ type: 'avatar', look: LOOK }), took: (c) => (c.me.room.state as any).participants.get(c.me.room.sessionId).look === JSON.stringify(LOOK) },
  // a call to oneself is refused for what it is, not for the role: allowed means "not refused for the role"
  voiceSignal: { send: (c) => ({ type: 'voiceSignal', to: c.me.room.sessionId, kind: 'bye' }) },
  chat: { send: () => ({ type: 'chat', text: 'role check' }) },
  react: { send: () => ({ type: 'react', reaction: 'agree' }) },
  hand: { send: () => ({ type: 'hand', raised: true }), took: (c) => (c.me.room.state as any).participants.get(c.me.room.sessionId).hand === true },
  megaphone: { send: (c) => ({ type: 'megaphone', participantId: c.me.room.sessionId, on: true }), took: (c) => (c.me.room.state as any).participants.get(c.me.room.sessionId).megaphone === true },
  muteAll: { send: () => ({ type: 'muteAll' }) },
};

function joinAs(part: Part): Promise<TestParticipant> {
  return joinWorld(server().url, worldId, part, tokens[part] && part !== 'guest' ? { token: tokens[part] } : {});
}

/** What the world holds that intents can change. */
const worldState = (p: TestParticipant) => {
  const s = p.snapshot() as any;
  return { documents: s.documents, annotations: s.annotations, runs: s.runs, workflows: s.workflows, props: s.props };
};

describe('intents, for each role', () => {
  it('has a sample of every intent type', () => {
    for (const type of INTENT_TYPES) expect(INTENTS[type], `no sample for intent "${type}"`).toBeDefined();
  });

  it('ROLE-4: keeps out everyone not let in: a signed-in stranger and a guest', async () => {
    for (const part of ['stranger', 'guest'] as const) {
      const err = await new Client(server().url)
        .joinOrCreate(WORLD_ROOM, { protocol: PROTOCOL_VERSION, worldId, name: part, ...(part === 'stranger' ? { token: tokens.stranger } : {}) })
        .then(
          () => null,
          (e: Error) => e,
        );
      expect(err?.message).toContain(part === 'stranger' ? ErrorCode.FORBIDDEN : ErrorCode.UNAUTHORIZED);
      expect(err?.message).toContain('private');
    }
  });

  for (const part of ['owner', 'editor', 'viewer'] as const) {
    it(`ROLE-2: lets a ${part} do what the table allows and refuses the rest, changing nothing`, async () => {
      const me = await joinAs(part);
      expect((me.room.state as any).participants.get(me.room.sessionId).role).toBe(part);
      const doc = (await newDocument()) as string;
      await until('the new document', () => me.doc(doc) !== undefined);
      const workflow = await newWorkflow();
      const run = await newRun();
      await until('the run in the world', () => (me.room.state as any).runs.get(run)?.status === 'waiting', 10_000);
      // a note for editing and deleting, made by the owner over the room, so every role finds one
      const ownerSeat = part === 'owner' ? me : await joinAs('owner');
      ownerSeat.sendRaw('noteAdd', { type: 'noteAdd', docId: doc, page: 1, u: 0.1, v: 0.1, text: 'seed' });
      await until('the seed note', () => (me.room.state as any).annotations.size === 1);
      const note = () => [...(me.room.state as any).annotations.keys()][0] as string;
      const ctx: Ctx = { me, doc, note, workflow, run, prop: 'p1' };
      // the seed note goes when the add is checked, so edit and delete find one note whichever role
      for (const type of INTENT_TYPES) {
        if (type === 'noteAdd' && allowed(part, 'noteAdd')) {
          ownerSeat.sendRaw('noteDelete', { type: 'noteDelete', noteId: note() });
          await until('no notes', () => (me.room.state as any).annotations.size === 0);
        }
        const before = JSON.stringify(worldState(me));
        const errors = me.errors.length;
        me.sendRaw(type, INTENTS[type].send(ctx));
        if (allowed(part, type)) {
          const check = INTENTS[type].took;
          if (check) await until(`${part}'s ${type} to take effect`, () => check(ctx), 10_000);
          else await settle();
          expect(me.errors.slice(errors).filter((e) => e.code === ErrorCode.FORBIDDEN)).toEqual([]);
        } else {
          await until(`${part}'s ${type} to be refused`, () => me.errors.length > errors);
          const refusal = me.errors[errors]!;
          expect(refusal).toMatchObject({ code: ErrorCode.FORBIDDEN, intent: type });
          expect(refusal.message).toMatch(new RegExp(`you are an? ${part}`, 'i'));
          await settle();
          expect(JSON.stringify(worldState(me)), `${part}'s refused ${type} changed the world`).toBe(before);
        }
      }
      await me.room.leave();
      if (ownerSeat !== me) await ownerSeat.room.leave();
    }, 60_000);
  }
});

/**
 * Every route declared in server/http that changes something, found by reading the route files, so
 * a new one fails this test until it is listed: either as a world route (with how to call it and
 * what it needs) or as one that changes no world, with the reason.
 */
const NOT_WORLD_ROUTES: Record<string, string> = {
  'POST /worlds': 'makes a new world rather than changing one',
  'POST /auth/signup': 'accounts',
  'POST /auth/signin': 'accounts',
  'POST /auth/refresh': 'accounts',
  'POST /auth/signout': 'accounts',
  'POST /auth/password': 'accounts',
  'POST /auth/totp/enrol': 'accounts',
  'POST /auth/totp/confirm': 'accounts',
  'PUT /auth/look': "the signed-in account's own avatar look",
  'POST /keys': "the caller's own API keys",
  'DELETE /keys/:id': "the caller's own API keys",
  'POST /ai/analyze': 'answers without storing anything; reading a document checks its world, and a guest must ask for a world it may run workflows in (server/access/workflowScope)',
  'POST /ai/generate': 'answers without storing anything; reading a document checks its world, and a guest must ask for a world it may run workflows in (server/access/workflowScope)',
  'POST /worlds/:id/invites/accept': 'admits the caller by a link; tested with the invites',
  'POST /neural/commands': "device bridges with an API key, held to the key owner's role; tested in server/neural",
  'POST /iot/devices/:id/telemetry': 'a device posts its own readings with its own key, no person; tested in server/iot',
};

interface WorldRoute {
  action: WorldAction;
  /** Makes what the call needs and returns [path, body]. */
  prepare(): Promise<[string, unknown]>;
  /** What a caller whose role allows it gets (some routes answer 409 for a run in the wrong state). */
  ok: number[];
}
const WORLD_ROUTES: Record<string, WorldRoute> = {
  'POST /documents': { action: 'editDocuments', ok: [201], prepare: async () => ['/documents', 'upload'] },
  'DELETE /documents/:id': { action: 'editDocuments', ok: [204], prepare: async () => [`/documents/${await newDocument()}`, undefined] },
  'POST /blockchain/anchor': { action: 'editDocuments', ok: [201], prepare: async () => ['/blockchain/anchor', { documentId: await newDocument() }] },
  'POST /workflows': { action: 'editWorkflows', ok: [201], prepare: async () => ['/workflows', { worldId, template: 'review-approve' }] },
  'PUT /workflows/:id': {
    action: 'editWorkflows',
    ok: [200],
    prepare: async () => [`/workflows/${await newWorkflow()}`, { baseVersion: 1, message: 'rename', definition: { name: 'Renamed', steps: [{ id: 'ok', kind: 'approval', name: 'OK' }] } }],
  },
  'DELETE /workflows/:id': { action: 'editWorkflows', ok: [204], prepare: async () => [`/workflows/${await newWorkflow()}`, undefined] },
  'POST /workflows/:id/rollback': { action: 'editWorkflows', ok: [200], prepare: async () => [`/workflows/${await newWorkflow()}/rollback`, { version: 1 }] },
  'PUT /workflows/:id/schedule': { action: 'editWorkflows', ok: [200], prepare: async () => [`/workflows/${await newWorkflow()}/schedule`, { schedule: null }] },
  'POST /workflows/:id/runs': { action: 'editWorkflows', ok: [201], prepare: async () => [`/workflows/${await newWorkflow()}/runs`, {}] },
  'POST /runs/:id/cancel': { action: 'editWorkflows', ok: [200], prepare: async () => [`/runs/${await newRun()}/cancel`, {}] },
  'POST /runs/:id/approve': { action: 'editWorkflows', ok: [200, 409], prepare: async () => [`/runs/${await newRun()}/approve`, { approved: true }] },
  'GET /worlds/:id/invites': { action: 'manageMembers', ok: [200], prepare: async () => [`/worlds/${worldId}/invites`, undefined] },
  'POST /worlds/:id/invites': { action: 'manageMembers', ok: [201], prepare: async () => [`/worlds/${worldId}/invites`, { role: 'viewer' }] },
  'DELETE /worlds/:id/invites/:inviteId': {
    action: 'manageMembers',
    ok: [204],
    prepare: async () => [`/worlds/${worldId}/invites/${(await call('POST', `/worlds/${worldId}/invites`, { role: 'viewer' }, tokens.owner)).json.invite.id}`, undefined],
  },
  'PUT /worlds/:id/members/:userId': { action: 'manageMembers', ok: [200], prepare: async () => [`/worlds/${worldId}/members/${await spareMember()}`, { role: 'viewer' }] },
  'DELETE /worlds/:id/members/:userId': { action: 'manageMembers', ok: [204], prepare: async () => [`/worlds/${worldId}/members/${await spareMember()}`, undefined] },
  'GET /worlds/:id': { action: 'read', ok: [200], prepare: async () => [`/worlds/${worldId}`, undefined] },
  'GET /documents?world': { action: 'read', ok: [200], prepare: async () => [`/documents?world=${worldId}`, undefined] },
  'GET /documents/:id/content': { action: 'read', ok: [200], prepare: async () => [`/documents/${await newDocument()}/content`, undefined] },
  'GET /worlds/:id/members': { action: 'read', ok: [200], prepare: async () => [`/worlds/${worldId}/members`, undefined] },
  // the same model again is the world's existing kind (200)
  'POST /worlds/:id/props/models': { action: 'editLayout', ok: [201, 200], prepare: async () => [`/worlds/${worldId}/props/models?name=Crate`, 'model'] },
  'GET /worlds/:id/props': { action: 'read', ok: [200], prepare: async () => [`/worlds/${worldId}/props`, undefined] },
  'GET /worlds/:id/props/models/:modelId/content': { action: 'read', ok: [200], prepare: async () => [`/worlds/${worldId}/props/models/${await newModel()}/content`, undefined] },
  'POST /metaverse/events': { action: 'manageEvents', ok: [201], prepare: async () => ['/metaverse/events', eventBody()] },
  'PATCH /metaverse/events/:id': { action: 'manageEvents', ok: [200], prepare: async () => [`/metaverse/events/${await newEvent()}`, { title: 'Renamed' }] },
  'DELETE /metaverse/events/:id': { action: 'manageEvents', ok: [200], prepare: async () => [`/metaverse/events/${await newEvent()}`, undefined] },
  'GET /metaverse/events/:id/attendance': { action: 'manageEvents', ok: [200], prepare: async () => [`/metaverse/events/${await newEvent()}/attendance`, undefined] },
  // guests are asked to sign in to RSVP whatever the world: 401, as for a guest at this private world
  'POST /metaverse/events/:id/rsvp': { action: 'read', ok: [201], prepare: async () => [`/metaverse/events/${await newEvent()}/rsvp`, undefined] },
  'DELETE /metaverse/events/:id/rsvp': { action: 'read', ok: [200], prepare: async () => [`/metaverse/events/${await newEvent()}/rsvp`, undefined] },
  'GET /metaverse/events?world': { action: 'read', ok: [200], prepare: async () => [`/metaverse/events?world=${worldId}`, undefined] },
  'GET /metaverse/events/:id': { action: 'read', ok: [200], prepare: async () => [`/metaverse/events/${await newEvent()}`, undefined] },
  'GET /metaverse/events/:id/ics': { action: 'read', ok: [200], prepare: async () => [`/metaverse/events/${await newEvent()}/ics`, undefined] },
  'GET /analytics/worlds/:id': { action: 'viewStats', ok: [200], prepare: async () => [`/analytics/worlds/${worldId}`, undefined] },
  'GET /analytics/workflows/:id': { action: 'viewStats', ok: [200], prepare: async () => [`/analytics/workflows/${await newWorkflow()}`, undefined] },
  'POST /iot/devices': { action: 'editDevices', ok: [201], prepare: async () => ['/iot/devices', { worldId, name: 'Meter' }] },
  'PATCH /iot/devices/:id': { action: 'editDevices', ok: [200], prepare: async () => [`/iot/devices/${await newDevice()}`, { name: 'Renamed' }] },
  'DELETE /iot/devices/:id': { action: 'editDevices', ok: [204], prepare: async () => [`/iot/devices/${await newDevice()}`, undefined] },
  'POST /iot/devices/:id/key': { action: 'editDevices', ok: [200], prepare: async () => [`/iot/devices/${await newDevice()}/key`, undefined] },
  'POST /iot/devices/:id/revoke': { action: 'editDevices', ok: [200], prepare: async () => [`/iot/devices/${await newDevice()}/revoke`, undefined] },
  'POST /iot/devices/:id/commands': { action: 'editDevices', ok: [201], prepare: async () => [`/iot/devices/${await newDevice()}/commands`, { name: 'reboot' }] },
  'GET /iot/broker?device': { action: 'editDevices', ok: [200], prepare: async () => [`/iot/broker?device=${await newDevice()}`, undefined] },
  'PUT /iot/devices/:id/twin': { action: 'editDevices', ok: [200], prepare: async () => [`/iot/devices/${await newDevice()}/twin`, { metric: 'power', min: 0, max: 5000 }] },
  'DELETE /iot/devices/:id/twin': { action: 'editDevices', ok: [200], prepare: async () => [`/iot/devices/${await newDevice()}/twin`, undefined] },
  'POST /iot/firmware': { action: 'editDevices', ok: [201], prepare: async () => ['/iot/firmware', 'firmware'] },
  'POST /iot/firmware/:id/rollout': { action: 'editDevices', ok: [201], prepare: async () => [`/iot/firmware/${await newFirmware()}/rollout`, { devices: [await newDevice()] }] },
  // a device with no finished update has no earlier image to go back to: 409 for those allowed
  'POST /iot/devices/:id/firmware/rollback': { action: 'editDevices', ok: [409], prepare: async () => [`/iot/devices/${await newDevice()}/firmware/rollback`, undefined] },
  'GET /iot/firmware?world': { action: 'read', ok: [200], prepare: async () => [`/iot/firmware?world=${worldId}`, undefined] },
  'GET /iot/firmware/:id/content': { action: 'read', ok: [200], prepare: async () => [`/iot/firmware/${await newFirmware()}/content`, undefined] },
  'GET /iot/devices/:id/firmware': { action: 'read', ok: [200], prepare: async () => [`/iot/devices/${await newDevice()}/firmware`, undefined] },
  'GET /iot/devices?world': { action: 'read', ok: [200], prepare: async () => [`/iot/devices?world=${worldId}`, undefined] },
  'GET /iot/devices/:id': { action: 'read', ok: [200], prepare: async () => [`/iot/devices/${await newDevice()}`, undefined] },
  'GET /iot/devices/:id/telemetry': { action: 'read', ok: [200], prepare: async () => [`/iot/devices/${await newDevice()}/telemetry?metric=power`, undefined] },
  'GET /iot/devices/:id/commands': { action: 'read', ok: [200], prepare: async () => [`/iot/devices/${await newDevice()}/commands`, undefined] },
};

let firmwareSeq = 0;
async function newFirmware(): Promise<string> {
  const form = new FormData();
  form.set('world', worldId);
  form.set('type', 'generic');
  form.set('version', `9.0.${firmwareSeq++}`);
  form.set('file', new Blob(['firmware bytes']), 'image.bin');
  const res = await fetch(`${server().url}/api/v3/iot/firmware`, { method: 'POST', body: form, headers: { authorization: `Bearer ${tokens.owner}` } });
  expect(res.status).toBe(201);
  return ((await res.json()) as { firmware: { id: string } }).firmware.id;
}

async function newDevice(): Promise<string> {
  const res = await call('POST', '/iot/devices', { worldId, name: 'Meter' }, tokens.owner);
  expect(res.status).toBe(201);
  return res.json.device.id;
}

const eventBody = () => ({ worldId, title: 'Stand-up', startsAt: new Date(Date.now() + 3600_000).toISOString(), endsAt: new Date(Date.now() + 7200_000).toISOString() });
async function newEvent(): Promise<string> {
  const res = await call('POST', '/metaverse/events', eventBody(), tokens.owner);
  expect(res.status).toBe(201);
  return res.json.event.id;
}

async function newModel(): Promise<string> {
  const res = await fetch(`${server().url}/api/v3/worlds/${worldId}/props/models?name=Crate`, { method: 'POST', body: await glbModel(), headers: { 'content-type': 'model/gltf-binary', authorization: `Bearer ${tokens.owner}` } });
  expect([200, 201]).toContain(res.status);
  return ((await res.json()) as { model: { id: string } }).model.id;
}

let spare = 0;
/** A fresh member to change or remove, so each call has one. */
async function spareMember(): Promise<string> {
  const s = await signUp(`spare${spare++}`);
  await invite('viewer', s.token);
  return s.userId;
}

/** `METHOD /mount/path` of every changing route declared in server/http, from the source. */
function declaredChangingRoutes(): string[] {
  const dir = path.resolve(__dirname, '../http');
  const api = readFileSync(path.join(dir, 'api.ts'), 'utf8');
  // which file's router is mounted where
  const mounts: Record<string, string> = { 'documents.ts': '/documents', 'blockchain.ts': '/blockchain', 'ai.ts': '/ai', 'members.ts': '/worlds/:id', 'props.ts': '/worlds/:id/props', 'events.ts': '/metaverse/events', 'neural.ts': '/neural', 'iot.ts': '/iot', 'api.ts': '' };
  const wf = readFileSync(path.join(dir, 'workflows.ts'), 'utf8');
  const authSrc = readFileSync(path.join(dir, 'auth.ts'), 'utf8');
  const found: string[] = [];
  const scan = (src: string, prefix: string) => {
    for (const m of src.matchAll(/\b(?:r|api)\.(post|put|delete|patch)\(\s*'([^']*)'/g)) found.push(`${m[1]!.toUpperCase()} ${(prefix + m[2]!).replace(/\/$/, '') || '/'}`);
  };
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.includes('.test.'))) {
    if (file === 'workflows.ts' || file === 'auth.ts') continue;
    const prefix = mounts[file];
    const src = readFileSync(path.join(dir, file), 'utf8');
    if (prefix === undefined) {
      expect(src, `${file} declares routes; say where it is mounted in this test`).not.toMatch(/\br\.(post|put|delete|patch)\(/);
      continue;
    }
    scan(src, prefix);
  }
  const [workflowPart, runPart] = wf.split('export function runRoutes');
  scan(workflowPart!, '/workflows');
  scan(runPart!, '/runs');
  const [authPart, keyPart] = authSrc.split('export function keyRoutes');
  scan(authPart!, '/auth');
  scan(keyPart!, '/keys');
  // (the mounts this test assumes above: members.ts at /worlds/:id, props.ts at /worlds/:id/props)
  expect(api).toMatch(/api\.use\('\/worlds\/:id', (?:mountedAt\('\/worlds\/:id'\), )?memberRoutes\(/);
  expect(api).toMatch(/api\.use\('\/worlds\/:id\/props', (?:mountedAt\('\/worlds\/:id\/props'\), )?propRoutes\(/);
  return found;
}

describe('REST routes, for each role', () => {
  it('lists every changing route in server/http as a world route or says why it is not one', () => {
    const routes = declaredChangingRoutes();
    expect(routes.length).toBeGreaterThan(20);
    for (const route of routes) expect(route in WORLD_ROUTES || route in NOT_WORLD_ROUTES, `${route} is not covered by the role test`).toBe(true);
  });

  for (const [route, spec] of Object.entries(WORLD_ROUTES)) {
    it(`ROLE-3: ${route} needs ${WORLD_ACTION_ROLE[spec.action]} (${spec.action})`, async () => {
      const method = route.split(' ')[0]!;
      for (const part of PARTS) {
        const [p, body] = await spec.prepare();
        const token = part === 'guest' ? undefined : tokens[part];
        let res: Reply;
        if (body === 'upload') {
          const form = new FormData();
          form.set('world', worldId);
          form.set('file', new Blob(['plain words'], { type: 'text/plain' }), `by-${part}.txt`);
          const r = await fetch(`${server().url}/api/v3${p}`, { method, body: form, headers: token ? { authorization: `Bearer ${token}` } : {} });
          res = { status: r.status, json: await r.json().catch(() => undefined) };
        } else if (body === 'firmware') {
          const form = new FormData();
          form.set('world', worldId);
          form.set('type', 'meter');
          form.set('version', `1.0.${firmwareSeq++}`);
          form.set('file', new Blob(['firmware bytes']), 'image.bin');
          const r = await fetch(`${server().url}/api/v3${p}`, { method, body: form, headers: token ? { authorization: `Bearer ${token}` } : {} });
          res = { status: r.status, json: await r.json().catch(() => undefined) };
        } else if (body === 'model') {
          const r = await fetch(`${server().url}/api/v3${p}`, { method, body: await glbModel(), headers: { 'content-type': 'model/gltf-binary', ...(token ? { authorization: `Bearer ${token}` } : {}) } });
          res = { status: r.status, json: await r.json().catch(() => undefined) };
        } else res = await call(method, p, body, token);
        const role = roleOf(part);
        if (allowed(role, spec.action)) {
          expect(spec.ok, `${part}: ${route} → ${res.status} ${JSON.stringify(res.json)}`).toContain(res.status);
        } else {
          expect(res.status, `${part}: ${route}`).toBe(part === 'guest' ? 401 : 403);
          expect(res.json.error.code).toBe(part === 'guest' ? ErrorCode.UNAUTHORIZED : ErrorCode.FORBIDDEN);
          expect(res.json.error.message.length).toBeGreaterThan(20);
        }
      }
    }, 60_000);
  }

  it('changes nothing when it refuses: a viewer deleting a document leaves it there', async () => {
    const doc = await newDocument();
    expect((await call('DELETE', `/documents/${doc}`, undefined, tokens.viewer)).status).toBe(403);
    expect((await call('GET', `/documents/${doc}`, undefined, tokens.viewer)).status).toBe(200);
    const before = (await call('GET', `/documents?world=${worldId}`, undefined, tokens.owner)).json.documents.length;
    const form = new FormData();
    form.set('world', worldId);
    form.set('file', new Blob(['x'], { type: 'text/plain' }), 'x.txt');
    const up = await fetch(`${server().url}/api/v3/documents`, { method: 'POST', body: form, headers: { authorization: `Bearer ${tokens.viewer}` } });
    expect(up.status).toBe(403);
    expect((await call('GET', `/documents?world=${worldId}`, undefined, tokens.owner)).json.documents.length).toBe(before);
  });

  it('hides a private world from the lobby of those not let in', async () => {
    const ids = async (token?: string) => ((await call('GET', '/worlds', undefined, token)).json.worlds as Array<{ id: string }>).map((w) => w.id);
    expect(await ids(tokens.viewer)).toContain(worldId);
    expect(await ids(tokens.stranger)).not.toContain(worldId);
    expect(await ids()).not.toContain(worldId);
  });
});
