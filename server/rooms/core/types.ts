/**
 * What a world's core needs from the rest of the server, and the few things it asks of the
 * realtime transport. The core never sees a socket: it is told who sent what and when, and answers
 * through a {@link RoomPort}.
 */
import type { TwinView } from '../../../shared/model/iot';
import type { IceServer, IntentError } from '../../../shared/protocol';
import type { WorldRole } from '../../../shared/model/roles';
import type { Effect } from '../../../shared/model/world';
import type { WorldState } from '../../../shared/schema/WorldState';
import type { WorldRecord } from '../../../shared/model/worlds';
import type { BlobStore } from '../../adapters/storage/BlobStore';
import type { ChatRetention, ChatStore } from '../../adapters/storage/ChatStore';
import type { Store } from '../../adapters/storage/Store';
import type { WorkflowStore } from '../../adapters/storage/WorkflowStore';
import type { AuditLog } from '../../audit/AuditLog';
import type { WorkflowQuota } from '../../http/workflowQuota';
import type { NeuralService } from '../../neural/NeuralService';
import type { RunEngine } from '../../workflows/engine/Engine';
import type { WorkflowService } from '../../workflows/WorkflowService';
import type { Logger } from '../../log';
import type { InterestOptions } from '../interest';
import type { Metrics } from '../../metrics/Metrics';
import type { Sessions } from '../../analytics/Sessions';
import type { WorldWriter } from '../WorldWriter';
import type { Tracing } from '../../tracing/Tracing';

export interface WorldCoreDeps {
  store: Store;
  blobs: BlobStore;
  reconnectSeconds: number;
  holdLeaseMs: number;
  /** Intents per second a client may send on average. */
  intentRate: number;
  /** Counts intents and the people in open worlds for the server's metrics (absent in tests that do not look). */
  metrics?: Pick<Metrics, 'intent' | 'watchWorld'>;
  /** Told when someone's time in the world starts and ends, for the analytics (absent: not kept). */
  sessions?: Pick<Sessions, 'started' | 'device' | 'ended'>;
  /** STUN/TURN servers handed to each person on joining, for voice (none on a LAN). */
  iceServers?: readonly IceServer[];
  /** Where each world's chat is kept, and how much of it for how long. */
  chat: { store: ChatStore; retention: ChatRetention };
  /** Full-rate poses only from the nearest people in crowded worlds; absent: everyone, always. */
  interest?: InterestOptions;
  workflows: WorkflowService;
  workflowStore: WorkflowStore;
  engine: RunEngine;
  audit: AuditLog;
  /** Whether guests may join, and who an access token belongs to (refused with an AppError). */
  auth: {
    guestAccess: boolean;
    identify(token: string): Promise<{ userId: string; username: string; familyId: string }>;
    /** Whether the sign-in a person joined with is still live. */
    sessionLive(userId: string, familyId: string): Promise<boolean>;
  };
  /** The role a person (null: a guest) has in a world, or null when they are not let in. */
  access: {
    roleIn(world: WorldRecord, who: { userId: string; username: string } | null): Promise<WorldRole | null>;
    /** Whether the account is an administrator (ADMIN_USERS): they hear of alerts in any world. */
    isAdmin(who: { userId: string; username: string } | null): boolean;
  };
  /** Hands neural commands to the runs waiting for them and keeps who streams what. */
  neural: NeuralService;
  /** How many runs a person may start a minute; runs started in a world count as over REST. */
  quota: Pick<WorkflowQuota, 'charge'>;
  /** Told of everyone who comes and goes, to keep attendance while a world's event is on; absent: none kept. */
  attendance?: {
    joined(worldId: string, who: { participantId: string; userId?: string | undefined; name: string }, at: number): Promise<void>;
    left(worldId: string, participantId: string, at: number): Promise<void>;
  };
  /** The world's devices' twins as they stand now; absent: no devices. */
  twins?(worldId: string): Promise<TwinView[]>;
  /** Intents other than poses are spans when tracing is on; absent: none. */
  tracing?: Pick<Tracing, 'on' | 'start'>;
}

/** Who a client joined as, and their role: what the room's auth step let in. */
export type JoinIdentity = ({ kind: 'guest'; address: string } | { kind: 'user'; userId: string; username: string; familyId: string }) & { role: WorldRole };

/** A connected client as the core knows it: its id and (once let in) who it is. */
export interface Peer {
  id: string;
  identity?: JoinIdentity | undefined;
}

/** How the core talks back: to one client, to everyone, or by closing a connection. */
export interface RoomPort {
  send(clientId: string, type: string, message: unknown): void;
  sendBytes(clientId: string, type: string, bytes: Uint8Array): void;
  /** One binary message made of these parts (`length` bytes), written straight into its frame; optional. */
  sendParts?(clientId: string, type: string, parts: readonly Uint8Array[], length: number): void;
  /** To everyone in the world. */
  broadcast(type: string, message: unknown): void;
  broadcastBytes(type: string, bytes: Uint8Array): void;
  leave(clientId: string, code: number, reason: string): void;
  /** The clients connected now. */
  peers(): Peer[];
  /** Bytes written to this room's connections so far, for the metrics. */
  bytesSent?(): number;
}

/** What an audit entry about a participant may add. */
export interface AuditExtra {
  name?: string;
  target?: { type: string; id: string };
  before?: unknown;
  after?: unknown;
  detail?: string;
}

/** The core as its helpers (commands, world events) see it. */
export interface CoreContext {
  readonly state: WorldState;
  readonly world: WorldRecord;
  readonly deps: WorldCoreDeps;
  readonly log: Logger;
  readonly port: RoomPort;
  readonly writer: WorldWriter;
  /** Puts down every document and prop a participant holds. */
  putDownAll(clientId: string): void;
  /** Applies decided effects: to the state, to storage, or as commands to the engine. */
  applyAll(effects: Effect[], from?: Peer, now?: number): void;
  /** Tells a client its message was refused, and records the refusal. */
  refuse(clientId: string, code: IntentError['code'], message: string, intent: string | null): void;
  /** One audit entry about a participant (who may not have joined yet). */
  record(clientId: string, action: string, outcome: 'accepted' | 'refused', extra: AuditExtra): void;
  /** Closes a client's connection for a reason of the world's; it keeps no seat. */
  disconnect(clientId: string, code: number, reason: string, detail: string): void;
}
