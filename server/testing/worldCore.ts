/**
 * A world's core with stand-ins for its collaborators (store, workflows, engine, audit, neural,
 * quota, access), for tests that feed it intents and time without a server or sockets. Each stand-in
 * records what it was asked; the port records what the core sent.
 */
import { PROTOCOL_VERSION, type ChatMessage } from '../../shared/protocol';
import type { DocumentRecord } from '../../shared/model/documents';
import type { PropRecord, UploadedPropKind } from '../../shared/model/props';
import type { WorldRole } from '../../shared/model/roles';
import { WORLD_TEMPLATE_IDS, type WorldRecord } from '../../shared/model/worlds';
import { createLogger } from '../log';
import type { AuditInput } from '../audit/AuditLog';
import { WorldCore } from '../rooms/core/WorldCore';
import type { JoinIdentity, Peer, RoomPort, WorldCoreDeps } from '../rooms/core/types';

export const WORLD: WorldRecord = { id: 'w1', name: 'Atelier', template: WORLD_TEMPLATE_IDS[0]!, capacity: 3, createdAt: '2026-01-01T00:00:00Z' };

export function documentRecord(id: string): DocumentRecord {
  return { id, worldId: WORLD.id, title: id, kind: 'pdf', mime: 'application/pdf', size: 1, contentHash: 'h', position: [0, 1, -2], rotation: [0, 0, 0, 1], scale: 1, page: 1, spread: 1, createdAt: '', createdBy: '' };
}

export type Sent = { to: string; type: string; message: unknown };

/** A core over fake collaborators, the world's documents loaded, and what it said and did. */
export async function fakeCore(o: { documents?: string[]; roles?: Record<string, WorldRole | null>; intentRate?: number; reconnectSeconds?: number; interest?: WorldCoreDeps['interest']; opened?: boolean; layout?: PropRecord[]; propModels?: UploadedPropKind[]; chatFails?: boolean; template?: WorldRecord['template'] } = {}) {
  const sent: Sent[] = [];
  const left: Array<{ id: string; code: number; reason: string }> = [];
  const audit: AuditInput[] = [];
  const peers = new Map<string, Peer>();
  const calls = { charged: [] as unknown[], started: [] as unknown[], signals: [] as unknown[], neural: [] as unknown[], layouts: [] as PropRecord[][], chat: [] as ChatMessage[] };
  const deps = {
    store: {
      listDocuments: () => Promise.resolve((o.documents ?? []).map(documentRecord)),
      listAnnotations: () => Promise.resolve([]),
      getLayout: () => Promise.resolve(calls.layouts.at(-1) ?? o.layout),
      saveLayout: (_worldId: string, props: PropRecord[]) => {
        calls.layouts.push(props);
        return Promise.resolve();
      },
      listPropModels: () => Promise.resolve(o.propModels ?? []),
    },
    blobs: { read: () => Promise.resolve(null) },
    reconnectSeconds: o.reconnectSeconds ?? 10,
    holdLeaseMs: 30_000,
    intentRate: o.intentRate ?? 20,
    // the world's chat, kept in memory
    chat: {
      retention: { keep: 100, maxAgeMs: 86_400_000 },
      store: {
        appendChat: (_worldId: string, m: ChatMessage) => {
          if (o.chatFails) return Promise.reject(new Error('the store is down'));
          calls.chat.push(m);
          return Promise.resolve();
        },
        recentChat: (_worldId: string, limit: number) => Promise.resolve(calls.chat.slice(-limit)),
      },
    },
    ...(o.interest ? { interest: o.interest } : {}),
    workflows: {
      list: () => Promise.resolve([]),
      startRuns: (workflowId: string, opts: unknown) => {
        calls.started.push({ workflowId, opts });
        return Promise.resolve([]);
      },
    },
    workflowStore: { listRuns: () => Promise.resolve([]) },
    engine: {
      cancel: () => Promise.resolve(),
      signal: (...args: unknown[]) => {
        calls.signals.push(args);
        return Promise.resolve(true);
      },
    },
    audit: { record: (e: AuditInput) => void audit.push(e) },
    auth: { guestAccess: true, identify: () => Promise.resolve({ userId: 'u1', username: 'ann', familyId: 'f1' }), sessionLive: () => Promise.resolve(true) },
    access: { roleIn: (_w: WorldRecord, who: { userId: string } | null) => Promise.resolve(who ? (o.roles?.[who.userId] ?? 'editor') : 'editor'), isAdmin: () => false },
    neural: {
      forget: () => undefined,
      reportSources: (s: unknown) => void calls.neural.push(s),
      // a command naming a run is judged at once; one for every waiting run takes a while, and is refused
      command: (c: { runId?: string }) => {
        calls.neural.push(c);
        if (c.runId) return Promise.resolve({ ok: true, runIds: [c.runId] });
        return new Promise((resolve) => setTimeout(() => resolve({ ok: false, code: 'RUN_NOT_WAITING', message: 'Nothing is waiting for that.' }), 20));
      },
    },
    quota: {
      charge: (who: unknown) => {
        calls.charged.push(who);
        return Promise.resolve();
      },
    },
  } as unknown as WorldCoreDeps;
  const port: RoomPort = {
    send: (to, type, message) => void sent.push({ to, type, message }),
    sendBytes: (to, type, message) => void sent.push({ to, type, message }),
    broadcast: (type, message) => void sent.push({ to: '*', type, message }),
    broadcastBytes: (type, message) => void sent.push({ to: '*', type, message }),
    leave: (id, code, reason) => void left.push({ id, code, reason }),
    peers: () => [...peers.values()],
  };
  const core = new WorldCore(deps, o.template ? { ...WORLD, template: o.template } : WORLD, port, createLogger('silent'));
  await core.load();
  if (o.opened !== false) core.open();

  /** Lets a client in (as a guest, or as the account `userId`) and seats it. */
  const join = (id: string, name: string, at: number, as?: { userId: string; role?: WorldRole }): Peer => {
    const identity: JoinIdentity = as ? { kind: 'user', userId: as.userId, username: name, familyId: 'f1', role: as.role ?? 'editor' } : { kind: 'guest', address: '10.0.0.1', role: 'editor' };
    const peer = { id, identity };
    peers.set(id, peer);
    core.join(peer, { protocol: PROTOCOL_VERSION, worldId: WORLD.id, name }, at);
    return peer;
  };
  const errors = (to: string) => sent.filter((s) => s.to === to && s.type === 'error').map((s) => (s.message as { code: string }).code);
  return { core, deps, sent, left, audit, peers, calls, join, errors };
}
