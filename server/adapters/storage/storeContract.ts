/**
 * The contract every storage backend must keep, as one suite run against each backend (the
 * embedded store always; MongoDB wherever MONGODB_URI is set).
 */
import { createHash } from 'node:crypto';
import { text } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AnnotationRecord, DocumentRecord } from '../../../shared/model/documents';
import type { WorldRecord } from '../../../shared/model/worlds';
import type { BlobStore } from './BlobStore';
import type { CacheStore } from './CacheStore';
import type { AuditEntry, AuditStore } from './AuditStore';
import type { AuthStore, UserRecord } from './AuthStore';
import type { MemberStore } from './MemberStore';
import type { EventRecord, EventStore } from './EventStore';
import type { ChatStore } from './ChatStore';
import type { AlertEvent, AlertStore } from './AlertStore';
import type { AlertRule } from '../../alerts/rules';
import { okState } from '../../alerts/transitions';
import type { Store } from './Store';
import type { IotStore } from './IotStore';
import { iotContract } from './iotContract';
import type { WorkflowStore, WorkflowVersion } from './WorkflowStore';
import type { RunRecord } from '../../workflows/engine/runMachine';

/** A receiver's address, only stored and read back by the alert store: nothing is sent to it. */
const HOOK = 'http://127.0.0.1:9/alert-hook';

export interface Backend {
  store: Store;
  workflows: WorkflowStore;
  blobs: BlobStore;
  cache: CacheStore;
  audit: AuditStore;
  auth: AuthStore;
  members: MemberStore;
  events: EventStore;
  chat: ChatStore;
  alerts: AlertStore;
  iot: IotStore;
}

export interface BackendFactory {
  /** A fresh, empty backend. */
  create(): Promise<Backend>;
  /** The same data opened again by a new instance, as after a restart. */
  reopen(previous: Backend): Promise<Backend>;
  destroy(backend: Backend): Promise<void>;
}

let seq = 0;
const uid = (p: string) => `${p}${Date.now().toString(36)}${(++seq).toString(36)}`;

export function world(over: Partial<WorldRecord> = {}): WorldRecord {
  return { id: uid('w'), name: 'World', template: 'office', capacity: 8, createdAt: new Date().toISOString(), ...over };
}

export function doc(worldId: string, over: Partial<DocumentRecord> = {}): DocumentRecord {
  return {
    id: uid('d'),
    worldId,
    title: 'Doc',
    kind: 'markdown',
    mime: 'text/markdown',
    size: 5,
    contentHash: 'a'.repeat(64),
    position: [0, 1.5, -2],
    rotation: [0, 0, 0, 1],
    scale: 1,
    page: 1,
    spread: 1,
    createdAt: new Date().toISOString(),
    createdBy: 'Ann',
    ...over,
  };
}

export function note(worldId: string, documentId: string, over: Partial<AnnotationRecord> = {}): AnnotationRecord {
  const now = new Date().toISOString();
  return { id: uid('n'), worldId, documentId, page: 1, u: 0.5, v: 0.5, text: 'note', colour: '#ffd54f', author: 'Ann', createdAt: now, updatedAt: now, ...over };
}

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

export function storeContract(name: string, factory: BackendFactory): void {
  describe(`storage contract: ${name}`, () => {
    let b: Backend;
    beforeEach(async () => {
      b = await factory.create();
    });
    afterEach(async () => {
      await factory.destroy(b);
    });

    it('creates worlds with their documents and finds them again', async () => {
      const w = world({ name: 'Alpha' });
      const d1 = doc(w.id, { title: 'One' });
      const d2 = doc(w.id, { title: 'Two' });
      await b.store.createWorld(w, [d1, d2]);
      expect(await b.store.getWorld(w.id)).toEqual(w);
      expect((await b.store.listWorlds()).map((x) => x.id)).toContain(w.id);
      expect((await b.store.listDocuments(w.id)).map((d) => d.title).sort()).toEqual(['One', 'Two']);
      expect(await b.store.getDocument(d1.id)).toEqual(d1);
      expect(await b.store.getWorld('nope')).toBeUndefined();
      expect(await b.store.getDocument('nope')).toBeUndefined();
    });

    it('keeps the documents of one world apart from another', async () => {
      const w1 = world();
      const w2 = world();
      await b.store.createWorld(w1, [doc(w1.id)]);
      await b.store.createWorld(w2, [doc(w2.id), doc(w2.id)]);
      expect(await b.store.listDocuments(w1.id)).toHaveLength(1);
      expect(await b.store.listDocuments(w2.id)).toHaveLength(2);
    });

    it('adds and deletes documents, taking their annotations with them', async () => {
      const w = world();
      await b.store.createWorld(w, []);
      const d = doc(w.id);
      const other = doc(w.id);
      await b.store.addDocument(d);
      await b.store.addDocument(other);
      await b.store.putAnnotation(note(w.id, d.id));
      const kept = note(w.id, other.id);
      await b.store.putAnnotation(kept);
      expect(await b.store.deleteDocument(d.id)).toBe(true);
      expect(await b.store.deleteDocument(d.id)).toBe(false);
      expect(await b.store.getDocument(d.id)).toBeUndefined();
      expect(await b.store.listAnnotations(w.id)).toEqual([kept]);
    });

    it('saves placements and page views, ignoring documents of other worlds', async () => {
      const w = world();
      const elsewhere = world();
      const d = doc(w.id);
      const foreign = doc(elsewhere.id);
      await b.store.createWorld(w, [d]);
      await b.store.createWorld(elsewhere, [foreign]);
      await b.store.savePlacements(w.id, [
        { id: d.id, position: [1, 2, 3], rotation: [0, 1, 0, 0], scale: 2 },
        { id: foreign.id, position: [9, 9, 9], rotation: [0, 0, 0, 1], scale: 1 },
        { id: 'missing', position: [9, 9, 9], rotation: [0, 0, 0, 1], scale: 1 },
      ]);
      await b.store.saveDocumentView(d.id, { page: 3, spread: 2 });
      expect(await b.store.getDocument(d.id)).toMatchObject({ position: [1, 2, 3], rotation: [0, 1, 0, 0], scale: 2, page: 3, spread: 2, title: 'Doc' });
      expect((await b.store.getDocument(foreign.id))?.position).toEqual(foreign.position);
      expect(await b.store.getDocument('missing')).toBeUndefined();
    });

    it('creates, replaces and deletes annotations', async () => {
      const w = world();
      const d = doc(w.id);
      await b.store.createWorld(w, [d]);
      const n = note(w.id, d.id, { text: 'first' });
      await b.store.putAnnotation(n);
      await b.store.putAnnotation({ ...n, text: 'second' });
      expect(await b.store.listAnnotations(w.id)).toEqual([{ ...n, text: 'second' }]);
      expect(await b.store.deleteAnnotation(w.id, n.id)).toBe(true);
      expect(await b.store.deleteAnnotation(w.id, n.id)).toBe(false);
      expect(await b.store.listAnnotations(w.id)).toEqual([]);
    });

    it('keeps a world\'s layout as one record, and its uploaded prop models, apart from other worlds', async () => {
      const w = world();
      const other = world();
      await b.store.createWorld(w, []);
      await b.store.createWorld(other, []);
      expect(await b.store.getLayout(w.id)).toBeUndefined();
      const layout = [
        { id: 'p1', kind: 'chair', position: [1, 0, 2] as [number, number, number], rotation: [0, 1, 0, 0] as [number, number, number, number], scale: 1 },
        { id: 'p2', kind: 'u-0123456789ab', position: [0, 0, 0] as [number, number, number], rotation: [0, 0, 0, 1] as [number, number, number, number], scale: 2.5 },
      ];
      await b.store.saveLayout(w.id, layout);
      await b.store.saveLayout(w.id, layout.slice(1));
      expect(await b.store.getLayout(w.id)).toEqual(layout.slice(1));
      await b.store.saveLayout(other.id, []);
      expect(await b.store.getLayout(other.id)).toEqual([]);
      const model = (id: string, worldId: string, createdAt: string) => ({ id, worldId, name: 'Crate', contentHash: sha(id), size: 10, triangles: 12, uploadedBy: 'ann', createdAt });
      await b.store.putPropModel(model('u-2', w.id, '2026-01-02T00:00:00.000Z'));
      await b.store.putPropModel(model('u-1', w.id, '2026-01-01T00:00:00.000Z'));
      await b.store.putPropModel(model('u-1', other.id, '2026-01-03T00:00:00.000Z'));
      await b.store.putPropModel({ ...model('u-1', w.id, '2026-01-01T00:00:00.000Z'), name: 'Renamed' });
      expect(await b.store.listPropModels(w.id)).toEqual([{ ...model('u-1', w.id, '2026-01-01T00:00:00.000Z'), name: 'Renamed' }, model('u-2', w.id, '2026-01-02T00:00:00.000Z')]);
      expect((await b.store.listPropModels(other.id)).map((m) => m.worldId)).toEqual([other.id]);
      expect((await b.store.referencedHashes()).has(sha('u-2'))).toBe(true);
    });

    it('lists the content hashes documents refer to', async () => {
      const w = world();
      await b.store.createWorld(w, [doc(w.id, { contentHash: sha('x') }), doc(w.id, { contentHash: sha('y') })]);
      const hashes = await b.store.referencedHashes();
      expect(hashes.has(sha('x')) && hashes.has(sha('y'))).toBe(true);
    });

    it('stores content by hash, once, and reads it back', async () => {
      const body = 'hello content';
      const hash = sha(body);
      expect(await b.blobs.has(hash)).toBe(false);
      expect(await b.blobs.read(hash)).toBeUndefined();
      await b.blobs.putBytes(hash, Buffer.from(body));
      await b.blobs.putBytes(hash, Buffer.from(body));
      const got = await b.blobs.read(hash);
      expect(got?.size).toBe(body.length);
      expect(await text(got!.stream)).toBe(body);
      await b.blobs.delete(hash);
      expect(await b.blobs.has(hash)).toBe(false);
    });

    it('refuses content names that are not sha256 hashes', async () => {
      for (const bad of ['../../etc/passwd', 'A'.repeat(64), '', 'abc']) {
        await expect(b.blobs.putBytes(bad, Buffer.from('x'))).rejects.toThrow(/sha256/);
      }
    });

    it('stores workflows with immutable versions, newest record first, per world', async () => {
      const now = new Date().toISOString();
      const wf = { id: uid('wf'), worldId: 'w1', name: 'Pipeline', currentVersion: 1, latestVersion: 1, createdAt: now, updatedAt: now };
      const v = (n: number): WorkflowVersion => ({
        workflowId: wf.id,
        version: n,
        hash: sha(String(n)),
        definition: { name: 'Pipeline', description: '', steps: [{ id: 's1', kind: 'delay', name: 'Wait', params: { ms: n } }] },
        author: 'Ann',
        message: `v${n}`,
        createdAt: now,
      });
      await b.workflows.saveWorkflow(wf, v(1));
      for (const n of [2, 3, 10]) await b.workflows.saveWorkflow({ ...wf, latestVersion: n }, v(n));
      await b.workflows.saveWorkflow({ ...wf, latestVersion: 10, currentVersion: 2 });
      expect(await b.workflows.getWorkflow(wf.id)).toMatchObject({ currentVersion: 2, latestVersion: 10 });
      expect((await b.workflows.listVersions(wf.id)).map((x) => x.version)).toEqual([1, 2, 3, 10]);
      expect(await b.workflows.getVersion(wf.id, 3)).toEqual(v(3));
      expect(await b.workflows.getVersion(wf.id, 4)).toBeUndefined();
      expect((await b.workflows.listWorkflows('w1')).map((w) => w.id)).toContain(wf.id);
      expect((await b.workflows.listWorkflows('w2')).map((w) => w.id)).not.toContain(wf.id);
      expect(await b.workflows.deleteWorkflow(wf.id)).toBe(true);
      expect(await b.workflows.getWorkflow(wf.id)).toBeUndefined();
      expect(await b.workflows.listVersions(wf.id)).toEqual([]);
      expect(await b.workflows.deleteWorkflow(wf.id)).toBe(false);
    });

    it('keeps the owning account of a workflow in no world, and lists it with no world', async () => {
      const now = new Date().toISOString();
      const wf = { id: uid('wf'), worldId: null, ownerId: 'u_owner', name: 'Mine', currentVersion: 1, latestVersion: 1, createdAt: now, updatedAt: now };
      await b.workflows.saveWorkflow(wf);
      expect(await b.workflows.getWorkflow(wf.id)).toEqual(wf);
      expect((await b.workflows.listWorkflows()).find((w) => w.id === wf.id)).toEqual(wf);
      expect(await b.workflows.deleteWorkflow(wf.id)).toBe(true);
    });

    it('stores runs, lists them newest first and keeps track of the unfinished ones', async () => {
      const workflowId = uid('wf');
      const run = (id: string, createdAt: number, status: RunRecord['status']): RunRecord => ({
        id, workflowId, version: 1, status, priority: 'normal', input: {}, steps: [], signals: {}, cancelRequested: false, log: [], createdAt, updatedAt: createdAt,
      });
      await b.workflows.putRun(run('r1', 1000, 'queued'));
      await b.workflows.putRun(run('r2', 2000, 'running'));
      await b.workflows.putRun(run('r3', 3000, 'succeeded'));
      expect((await b.workflows.listRuns(workflowId)).map((r) => r.id)).toEqual(['r3', 'r2', 'r1']);
      expect((await b.workflows.listRuns(workflowId, 2)).map((r) => r.id)).toEqual(['r3', 'r2']);
      const open = async () => (await b.workflows.listUnfinishedRuns()).filter((r) => r.workflowId === workflowId).map((r) => r.id).sort();
      expect(await open()).toEqual(['r1', 'r2']);
      await b.workflows.putRun(run('r1', 1000, 'failed'));
      expect(await open()).toEqual(['r2']);
      expect((await b.workflows.getRun('r1'))?.status).toBe('failed');
      expect(await b.workflows.getRun('nope')).toBeUndefined();
    });

    it('caches values by key, replaces them, and keeps them across a restart', async () => {
      const key = sha(uid('k'));
      expect(await b.cache.get(key)).toBeUndefined();
      await b.cache.put(key, { summary: ['first'], n: 1 });
      expect(await b.cache.get(key)).toEqual({ summary: ['first'], n: 1 });
      await b.cache.put(key, 'second');
      expect(await b.cache.get(key)).toBe('second');
      b = await factory.reopen(b);
      expect(await b.cache.get(key)).toBe('second');
      expect(await b.cache.get(sha('other'))).toBeUndefined();
    });

    it('appends audit entries and pages through them in order, by world, actor, action, outcome and time', async () => {
      const w1 = uid('w');
      const w2 = uid('w');
      const base = Date.parse('2026-01-01T00:00:00Z');
      const entries: AuditEntry[] = Array.from({ length: 30 }, (_, i) => ({
        id: `${(base + i * 1000).toString(36).padStart(10, '0')}${String(i).padStart(4, '0')}`,
        at: new Date(base + i * 1000).toISOString(),
        worldId: i % 3 === 0 ? w2 : w1,
        actor: { kind: 'participant', id: i % 2 ? 'ann' : 'bob', name: i % 2 ? 'Ann' : 'Bob' },
        action: i % 5 === 0 ? 'noteEdit' : 'grab',
        outcome: i % 7 === 0 ? 'refused' : 'accepted',
        target: { type: 'document', id: `d${i}` },
        ...(i % 5 === 0 ? { before: { text: 'old' }, after: { text: 'new' } } : {}),
      }));
      await b.audit.append(entries.slice(0, 10));
      await b.audit.append(entries.slice(10));
      const all = async (q: Omit<Parameters<AuditStore['query']>[0], 'limit'>, limit = 4) => {
        const seen: AuditEntry[] = [];
        let after: string | undefined;
        for (let pages = 0; pages < 100; pages++) {
          const page = await b.audit.query({ ...q, limit, ...(after ? { after } : {}) });
          expect(page.entries.length).toBeLessThanOrEqual(limit);
          seen.push(...page.entries);
          if (!page.next) return seen;
          after = page.next;
        }
        throw new Error('paging did not end');
      };
      const ids = (xs: AuditEntry[]) => xs.map((e) => e.id);
      expect(ids(await all({ worldId: w1 }))).toEqual(ids(entries.filter((e) => e.worldId === w1)));
      expect(ids(await all({ worldId: w2, actorId: 'ann' }))).toEqual(ids(entries.filter((e) => e.worldId === w2 && e.actor.id === 'ann')));
      expect(ids(await all({ worldId: w1, action: 'noteEdit' }, 2))).toEqual(ids(entries.filter((e) => e.worldId === w1 && e.action === 'noteEdit')));
      expect(ids(await all({ worldId: w1, outcome: 'refused' }))).toEqual(ids(entries.filter((e) => e.worldId === w1 && e.outcome === 'refused')));
      const from = entries[5]!.at;
      const to = entries[20]!.at;
      expect(ids(await all({ worldId: w1, from, to }))).toEqual(ids(entries.filter((e) => e.worldId === w1 && e.at >= from && e.at <= to)));
      const edited = (await all({ worldId: w2, action: 'noteEdit' }))[0]!;
      expect(edited).toEqual(entries.find((e) => e.id === edited.id));
      b = await factory.reopen(b);
      expect(ids(await all({ worldId: w2 }, 100))).toEqual(ids(entries.filter((e) => e.worldId === w2)));
    });

    it('prunes the oldest audit entries made before a time, a bounded batch at a time, from every view', async () => {
      const worldId = uid('w');
      // long before anything else in the store, so the batches below are about these entries only
      const base = Date.parse('2001-01-01T00:00:00Z');
      const entries: AuditEntry[] = Array.from({ length: 7 }, (_, i) => ({
        id: `${(base + i * 1000).toString(36).padStart(10, '0')}${String(i).padStart(4, '0')}`,
        at: new Date(base + i * 1000).toISOString(),
        worldId,
        actor: { kind: 'client', id: 'pruned' },
        action: 'POST /x',
        outcome: 'refused',
      }));
      await b.audit.append(entries);
      const cutoff = entries[5]!.at;
      expect(await b.audit.prune(cutoff, 2)).toBe(2);
      expect(await b.audit.prune(cutoff, 2)).toBe(2);
      expect(await b.audit.prune(cutoff, 2)).toBe(1);
      expect(await b.audit.prune(cutoff, 2)).toBe(0);
      b = await factory.reopen(b);
      const left = [entries[5]!.id, entries[6]!.id];
      expect((await b.audit.query({ worldId, limit: 100 })).entries.map((e) => e.id)).toEqual(left);
      expect((await b.audit.query({ actorId: 'pruned', to: entries[6]!.at, limit: 100 })).entries.map((e) => e.id)).toEqual(left);
    });

    it('keeps world members and invites; a one-time invite is used only once however many race for it', async () => {
      const now = new Date().toISOString();
      const worldId = uid('w');
      await b.members.putMember({ worldId, userId: 'u1', username: 'ann', role: 'owner', addedAt: now, addedBy: 'u1' });
      await b.members.putMember({ worldId, userId: 'u2', username: 'bob', role: 'viewer', addedAt: now, addedBy: 'u1' });
      await b.members.putMember({ worldId: uid('w'), userId: 'u3', username: 'cat', role: 'editor', addedAt: now, addedBy: 'u3' });
      await b.members.putMember({ worldId, userId: 'u2', username: 'bob', role: 'editor', addedAt: now, addedBy: 'u1' });
      const invite = { id: uid('i'), worldId, role: 'viewer' as const, hash: sha('inv'), createdBy: 'u1', createdAt: now, expiresAt: null, maxUses: 1, uses: 0 };
      await b.members.putInvite(invite);
      await b.members.putInvite({ ...invite, id: uid('i'), maxUses: 2 });
      const uses = await Promise.all([b.members.useInvite(invite.id), b.members.useInvite(invite.id), b.members.useInvite(invite.id)]);
      expect(uses.filter(Boolean)).toHaveLength(1);
      expect(await b.members.useInvite('no-such-invite')).toBe(false);
      await b.members.revokeInvite(invite.id, now);
      b = await factory.reopen(b);
      expect((await b.members.listMembers(worldId)).map((m) => [m.username, m.role]).sort()).toEqual([
        ['ann', 'owner'],
        ['bob', 'editor'],
      ]);
      expect(await b.members.getMember(worldId, 'u3')).toBeUndefined();
      expect(await b.members.getInvite(invite.id)).toEqual({ ...invite, uses: 1, revokedAt: now });
      expect(await b.members.listInvites(worldId)).toHaveLength(2);
      expect(await b.members.deleteMember(worldId, 'u2')).toBe(true);
      expect(await b.members.deleteMember(worldId, 'u2')).toBe(false);
      expect((await b.members.listMembers(worldId)).map((m) => m.username)).toEqual(['ann']);
    });

    it('CHAT-2: keeps each world\'s chat within its retention, the newest first to go last, and across a restart', async () => {
      const [worldId, other] = [uid('w'), uid('w')];
      const retention = { keep: 20, maxAgeMs: 10_000 };
      const message = (i: number, at: number) => ({ id: uid('m'), from: 's1', name: 'Ann', colour: '#123456', text: `message ${i} <b>&`, at });
      const base = 1_700_000_000_000;
      for (let i = 0; i < 60; i++) await b.chat.appendChat(worldId, message(i, base + i * 10), retention);
      await b.chat.appendChat(other, message(999, base), retention);
      b = await factory.reopen(b);
      const kept = await b.chat.recentChat(worldId, 100, 0);
      // pruned by count every few writes: never more than the retention and a few
      expect(kept.length).toBeGreaterThanOrEqual(retention.keep);
      expect(kept.length).toBeLessThanOrEqual(retention.keep + 16);
      expect(kept.at(-1)!.text).toBe('message 59 <b>&');
      expect(kept.map((m) => m.at)).toEqual([...kept.map((m) => m.at)].sort((x, y) => x - y));
      expect((await b.chat.recentChat(worldId, 5, 0)).map((m) => m.text)).toEqual([55, 56, 57, 58, 59].map((i) => `message ${i} <b>&`));
      expect((await b.chat.recentChat(worldId, 100, base + 590)).map((m) => m.text)).toEqual(['message 59 <b>&']);
      expect((await b.chat.recentChat(other, 100, 0)).map((m) => m.text)).toEqual(['message 999 <b>&']);
      // a message past the age drops everything older than the retention
      await b.chat.appendChat(worldId, message(100, base + 20_000), retention);
      expect((await b.chat.recentChat(worldId, 100, 0)).map((m) => m.text)).toEqual(['message 100 <b>&']);
    });

    it('keeps accounts, sessions and API keys; a username and a refresh token are taken only once', async () => {
      const now = new Date().toISOString();
      const username = uid('user').toLowerCase();
      const user: UserRecord = { id: uid('u'), username, passwordHash: 'scrypt$hash', createdAt: now, updatedAt: now };
      const [first, second] = await Promise.all([b.auth.createUser(user), b.auth.createUser({ ...user, id: uid('u') })]);
      expect([first, second].sort()).toEqual([false, true]);
      const kept = (await b.auth.findUser(username))!;
      expect(await b.auth.getUser(kept.id)).toEqual(kept);
      expect(await b.auth.findUser('nobody')).toBeUndefined();
      await b.auth.updateUser({ ...kept, totp: { secret: 'S', confirmed: true, lastStep: 7 } });
      const family = { id: uid('f'), userId: kept.id, createdAt: now };
      await b.auth.putFamily(family);
      await b.auth.putFamily({ ...family, id: uid('f') });
      await b.auth.putFamily({ ...family, revokedAt: now, revokedWhy: 'signed out' });
      const hash = sha(uid('rt'));
      await b.auth.putRefresh({ hash, userId: kept.id, familyId: family.id, createdAt: now, expiresAt: now });
      const uses = await Promise.all([b.auth.useRefresh(hash, now), b.auth.useRefresh(hash, now), b.auth.useRefresh(hash, now)]);
      expect(uses.filter(Boolean)).toHaveLength(1);
      expect(await b.auth.useRefresh(sha('none'), now)).toBe(false);
      const key = { id: uid('k'), userId: kept.id, name: 'bridge', hash: sha('key'), scopes: ['documents:read'], createdAt: now, expiresAt: null };
      await b.auth.putKey(key);
      await b.auth.putKey({ ...key, id: uid('k'), userId: 'someone-else' });
      await Promise.all([b.auth.markKey(key.id, 'revokedAt', now), b.auth.markKey(key.id, 'lastUsedAt', now)]);
      await b.auth.markKey('no-such-key', 'revokedAt', now);
      const look = { body: '#112233', skin: '#eac09f', hair: 'bun', hairColour: '#1c1410', headwear: 'cap', glasses: 'round' } as const;
      expect(await b.auth.getLook(kept.id)).toBeUndefined();
      await b.auth.putLook(kept.id, { ...look, hair: 'short' });
      await b.auth.putLook(kept.id, look);
      expect(await b.auth.getKey('no-such-key')).toBeUndefined();
      b = await factory.reopen(b);
      expect((await b.auth.getUser(kept.id))?.totp).toEqual({ secret: 'S', confirmed: true, lastStep: 7 });
      expect(await b.auth.getFamily(kept.id, family.id)).toEqual({ ...family, revokedAt: now, revokedWhy: 'signed out' });
      expect(await b.auth.getFamily('someone-else', family.id)).toBeUndefined();
      expect(await b.auth.listFamilies(kept.id)).toHaveLength(2);
      expect((await b.auth.getRefresh(hash))?.usedAt).toBe(now);
      expect(await b.auth.getKey(key.id)).toEqual({ ...key, lastUsedAt: now, revokedAt: now });
      expect(await b.auth.listKeys(kept.id)).toEqual([{ ...key, lastUsedAt: now, revokedAt: now }]);
      expect(await b.auth.getLook(kept.id)).toEqual(look);
      expect(await b.auth.getLook('someone-else')).toBeUndefined();
    });

    it('keeps events, RSVPs and attendance; of two racing for the last seat exactly one gets it', async () => {
      const now = Date.now();
      const iso = (min: number) => new Date(now + min * 60_000).toISOString();
      const worldId = uid('w');
      const event: EventRecord = { id: uid('e'), worldId, title: 'Review', description: 'd', startsAt: iso(60), endsAt: iso(120), capacity: 2, createdBy: 'u1', createdAt: iso(0) };
      const past: EventRecord = { ...event, id: uid('e'), startsAt: iso(-120), endsAt: iso(-60) };
      await b.events.putEvent(event);
      await b.events.putEvent(past);
      await b.events.putEvent({ ...event, id: uid('e'), worldId: uid('w') });
      expect((await b.events.listWorldEvents(worldId)).map((e) => e.id).sort()).toEqual([event.id, past.id].sort());
      const rsvp = (userId: string, eventId = event.id) => b.events.addRsvp({ eventId, userId, username: userId, at: iso(0) });
      expect(await rsvp('u1')).toBe('added');
      expect(await rsvp('u1')).toBe('already');
      const race = await Promise.all([rsvp('u2'), rsvp('u3'), rsvp('u4'), rsvp('u5')]);
      expect(race.filter((o) => o === 'added')).toHaveLength(1);
      expect(race.filter((o) => o === 'full')).toHaveLength(3);
      expect(await b.events.countRsvps(event.id)).toBe(2);
      expect(await rsvp('u6', 'no-such-event')).toBe('closed');
      expect(await b.events.removeRsvp(event.id, 'u1')).toBe(true);
      expect(await b.events.removeRsvp(event.id, 'u1')).toBe(false);
      expect(await b.events.hasRsvp(event.id, 'u1')).toBe(false);
      expect(await rsvp('u6')).toBe('added');
      // a changed event keeps its RSVPs; a later end time moves it in the listing of events to come
      await b.events.putEvent({ ...event, title: 'Renamed', endsAt: iso(180) });
      await b.events.putAttendance({ eventId: event.id, participantId: 's1', userId: 'u1', name: 'ann', joinedAt: iso(61) });
      await b.events.putAttendance({ eventId: event.id, participantId: 's2', name: 'guest', joinedAt: iso(62) });
      await b.events.closeAttendance(event.id, 's1', iso(70));
      await b.events.closeAttendance(event.id, 's1', iso(90));
      await b.events.closeAttendance(event.id, 'nobody', iso(90));
      b = await factory.reopen(b);
      expect(await b.events.getEvent(event.id)).toEqual({ ...event, title: 'Renamed', endsAt: iso(180) });
      expect((await b.events.listEndingAfter(iso(0))).filter((e) => e.worldId === worldId).map((e) => e.id)).toEqual([event.id]);
      expect((await b.events.listEndingAfter(iso(150))).map((e) => e.id)).toContain(event.id);
      expect((await b.events.listEndingAfter(iso(180))).map((e) => e.id)).not.toContain(event.id);
      expect((await b.events.listRsvps(event.id)).map((r) => r.userId).sort()).toEqual(['u6', race[0] === 'added' ? 'u2' : race[1] === 'added' ? 'u3' : race[2] === 'added' ? 'u4' : 'u5'].sort());
      const attendance = (await b.events.listAttendance(event.id)).sort((x, y) => x.participantId.localeCompare(y.participantId));
      expect(attendance).toEqual([
        { eventId: event.id, participantId: 's1', userId: 'u1', name: 'ann', joinedAt: iso(61), leftAt: iso(70) },
        { eventId: event.id, participantId: 's2', name: 'guest', joinedAt: iso(62) },
      ]);
      await b.events.putEvent({ ...event, cancelledAt: iso(1) });
      expect(await rsvp('u7')).toBe('closed');
      expect((await b.events.getEvent(event.id))?.cancelledAt).toBe(iso(1));
    });

    it('ALERTS-1: keeps alert rules and their states, seeds rules only once, and pages history newest first with pending deliveries apart', async () => {
      const now = new Date().toISOString();
      const rule = (id: string, name: string): AlertRule => ({
        id, name, kind: 'threshold', series: 'workflow_runs', labels: { outcome: 'failed' }, aggregate: 'sum', windowMinutes: 15, op: '>=', value: 3, minTotal: 0,
        escalateAfterMinutes: null, webhookUrl: null, silencedUntil: null, createdAt: now, updatedAt: now,
      });
      expect(await b.alerts.seedRules([rule('r1', 'Seeded')])).toBe(true);
      expect(await b.alerts.seedRules([rule('r9', 'Again')])).toBe(false);
      await b.alerts.putRule(rule('r2', 'Mine'));
      await b.alerts.putRule({ ...rule('r2', 'Renamed'), silencedUntil: 1234 });
      const base = Date.parse('2003-01-01T00:00:00Z');
      const event = (i: number, delivery?: AlertEvent['delivery']): AlertEvent => ({
        id: `${String(base + i * 1000).padStart(15, '0')}${i}`, at: new Date(base + i * 1000).toISOString(), kind: 'fired', alertId: 'a1', ruleId: 'r2', ruleName: 'Mine',
        severity: 'warning', value: i, message: `m${i}`, notified: true, ...(delivery ? { delivery } : {}),
      });
      const firing = { ...okState('r2'), status: 'firing' as const, alertId: 'a1', since: base, severity: 'warning' as const, value: 4 };
      await b.alerts.saveRound([firing, okState('r1', { mean: 1, variance: 0.5, n: 9, lastBucket: base })], [event(1), event(2, { url: HOOK, state: 'pending', attempts: 0 }), event(3, { url: HOOK, state: 'pending', attempts: 0 })]);
      await b.alerts.putEvent(event(2, { url: HOOK, state: 'delivered', attempts: 2, deliveredAt: now }));
      b = await factory.reopen(b);
      expect((await b.alerts.listRules()).map((r) => [r.id, r.name, r.silencedUntil]).sort()).toEqual([['r1', 'Seeded', null], ['r2', 'Renamed', 1234]]);
      expect((await b.alerts.listStates()).sort((x, y) => x.ruleId.localeCompare(y.ruleId))).toEqual([okState('r1', { mean: 1, variance: 0.5, n: 9, lastBucket: base }), firing]);
      expect((await b.alerts.recentEvents(2)).map((e) => e.value)).toEqual([3, 2]);
      expect((await b.alerts.recentEvents(10)).find((e) => e.value === 2)?.delivery).toEqual({ url: HOOK, state: 'delivered', attempts: 2, deliveredAt: now });
      expect((await b.alerts.pendingDeliveries(10)).map((e) => e.value)).toEqual([3]);
      // deleting a rule takes its state with it; pruning takes the oldest entries and their pending marks
      expect(await b.alerts.deleteRule('r2')).toBe(true);
      expect(await b.alerts.deleteRule('r2')).toBe(false);
      expect((await b.alerts.listStates()).map((s) => s.ruleId)).toEqual(['r1']);
      expect(await b.alerts.pruneEvents(new Date(base + 3000).toISOString(), 1)).toBe(1);
      expect(await b.alerts.pruneEvents(new Date(base + 3500).toISOString(), 10)).toBe(2);
      expect(await b.alerts.recentEvents(10)).toEqual([]);
      expect(await b.alerts.pendingDeliveries(10)).toEqual([]);
      expect(await b.alerts.seedRules([rule('r9', 'After deleting')])).toBe(false);
    });

    it('keeps everything across a restart', async () => {
      const w = world();
      const d = doc(w.id);
      const n = note(w.id, d.id);
      await b.store.createWorld(w, [d]);
      await b.store.putAnnotation(n);
      await b.store.savePlacements(w.id, [{ id: d.id, position: [4, 5, 6], rotation: [0, 0, 0, 1], scale: 1 }]);
      await b.blobs.putBytes(sha('kept'), Buffer.from('kept'));
      b = await factory.reopen(b);
      expect(await b.store.getWorld(w.id)).toEqual(w);
      expect((await b.store.getDocument(d.id))?.position).toEqual([4, 5, 6]);
      expect(await b.store.listAnnotations(w.id)).toEqual([n]);
      expect(await b.blobs.has(sha('kept'))).toBe(true);
    });

    iotContract({
      backend: () => b,
      reopen: async () => {
        b = await factory.reopen(b);
      },
    });
  });
}
