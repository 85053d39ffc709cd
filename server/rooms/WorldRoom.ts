/**
 * One world's realtime room: a thin shell around the pure rules in shared/model/world.ts. It
 * validates every intent at the boundary, asks the rules what changes, applies that to the
 * synchronised state and hands the change to the writer to persist.
 */
import { CloseCode, OnMessageException, Room, ServerError, type AuthContext, type Client, type RoomException } from '@colyseus/core';
import {
  EntityId,
  ErrorCode,
  Intent,
  JoinOptions,
  PROTOCOL_VERSION,
  ServerEvent,
  WorldClose,
  describeIssues,
  isIntentType,
  type IntentError,
  type RoleChange,
  type NeuralAccepted,
  type Vec3,
} from '../../shared/protocol';
import { allowed, explainRefusal, type WorldRole } from '../../shared/model/roles';
import { decide, expiredHolds, releaseAllHeldBy, type Actor, type Effect, type HoldLease, type WorldView } from '../../shared/model/world';
import type { DocumentRecord } from '../../shared/model/documents';
import type { WorldRecord } from '../../shared/model/worlds';
import { spawnPosition } from '../../shared/model/placement';
import { ParticipantState, WorldState } from '../../shared/schema/WorldState';
import type { BlobStore } from '../adapters/storage/BlobStore';
import type { Store } from '../adapters/storage/Store';
import type { AuditLog } from '../audit/AuditLog';
import { auditIntent } from '../audit/intentAudit';
import type { Logger } from '../log';
import { newId } from '../worlds';
import { PREVIEW_CHARS, applyEffect, setPose, toAnnotationState, toDocumentState } from './stateSync';
import { SESSION_ENDED_CHANNEL, worldChannel, type SessionEnded, type WorldEvent } from './worldEvents';
import { WorldWriter } from './WorldWriter';
import { setWorkflow } from './workflowSync';
import { runSummary } from '../../shared/model/runs';
import { STEP_KIND } from '../../shared/model/stepKinds';
import { TokenBucket } from './rateLimit';
import { MalformedFrames } from './malformedFrames';
import type { WorkflowService } from '../workflows/WorkflowService';
import type { WorkflowQuota } from '../http/workflowQuota';
import type { Engine } from '../workflows/engine/Engine';
import type { WorkflowStore } from '../adapters/storage/WorkflowStore';
import { AppError } from '../errors';
import { serial } from '../serial';
import type { BenchProbe } from '../bench/probe';
import { Interest, type InterestOptions } from './interest';
import type { NeuralService } from '../neural/NeuralService';

export interface WorldRoomDeps {
  store: Store;
  blobs: BlobStore;
  log: Logger;
  reconnectSeconds: number;
  holdLeaseMs: number;
  /** Intents per second a client may send on average. */
  intentRate: number;
  /** Milliseconds between state patches (20 a second by default). */
  patchIntervalMs?: number;
  /** Full-rate poses only from the nearest people in crowded worlds; absent: everyone, always. */
  interest?: InterestOptions;
  /** Benchmarks only: times every patch fan-out. */
  probe?: BenchProbe;
  workflows: WorkflowService;
  workflowStore: WorkflowStore;
  engine: Engine;
  audit: AuditLog;
  /** Whether guests may join, and who an access token belongs to (refused with an AppError). */
  auth: {
    guestAccess: boolean;
    identify(token: string): Promise<{ userId: string; username: string; familyId: string }>;
    /** Whether the sign-in a person joined with is still live. */
    sessionLive(userId: string, familyId: string): Promise<boolean>;
  };
  /** The role a person (null: a guest) has in a world, or null when they are not let in. */
  access: { roleIn(world: WorldRecord, who: { userId: string; username: string } | null): Promise<WorldRole | null> };
  /** Hands neural commands to the runs waiting for them and keeps who streams what. */
  neural: NeuralService;
  /** How many runs a person may start a minute; runs started in a world count as over REST. */
  quota: Pick<WorkflowQuota, 'charge'>;
}

/** Who a client joined as, and their role: `client.auth` once the room's auth hook let it in. */
type JoinIdentity = ({ kind: 'guest'; address: string } | { kind: 'user'; userId: string; username: string; familyId: string }) & { role: WorldRole };

type Command = Extract<Effect, { op: 'runStart' | 'runCancel' | 'runAnswer' }>;
const isCommand = (e: Effect): e is Command => e.op === 'runStart' || e.op === 'runCancel' || e.op === 'runAnswer';
type NeuralEffect = Extract<Effect, { op: 'neuralCommand' | 'neuralSources' }>;
const isNeural = (e: Effect): e is NeuralEffect => e.op === 'neuralCommand' || e.op === 'neuralSources';

/**
 * Numeric codes of refused joins. They are HTTP statuses because a refusal in onCreate travels back
 * as the matchmaking HTTP response; the message starts with our protocol error code.
 */
export const JoinErrorStatus = {
  [ErrorCode.INVALID_JOIN]: 400,
  [ErrorCode.WORLD_NOT_FOUND]: 404,
  [ErrorCode.PROTOCOL_MISMATCH]: 426,
  [ErrorCode.WORLD_FULL]: 429,
  [ErrorCode.UNAUTHORIZED]: 401,
  [ErrorCode.FORBIDDEN]: 403,
} as const;

function joinError(code: keyof typeof JoinErrorStatus, message: string): ServerError {
  return new ServerError(JoinErrorStatus[code], `${code}: ${message}`);
}

const FLUSH_INTERVAL_MS = 500;
const LEASE_CHECK_MS = 1000;
/** World events kept while a room opens (a busy world makes a few a second; opening takes well under one). */
const MAX_EVENTS_WHILE_OPENING = 1000;
const AVATAR_COLOURS = ['#e6194b', '#3cb44b', '#4363d8', '#f58231', '#911eb4', '#46f0f0', '#f032e6', '#bcf60c'];

/** The start of a text document, for the state's preview field. */
async function readPreview(blobs: BlobStore, doc: DocumentRecord): Promise<string> {
  if (doc.kind !== 'markdown' && doc.kind !== 'text') return '';
  const blob = await blobs.read(doc.contentHash);
  if (!blob) return '';
  let text = '';
  for await (const chunk of blob.stream) {
    text += (chunk as Buffer).toString('utf8');
    if (text.length >= PREVIEW_CHARS) break;
  }
  blob.stream.destroy();
  return text.slice(0, PREVIEW_CHARS);
}

export class WorldRoom extends Room<{ state: WorldState }> {
  /** Set by {@link defineWorldRoomClass}; Colyseus constructs rooms itself. */
  protected deps!: WorldRoomDeps;
  private log!: Logger;
  private world!: WorldRecord;
  private writer!: WorldWriter;
  /** When each participant last sent anything: a hold lapses when its holder goes silent. */
  private readonly lastHeard = new Map<string, number>();
  /** Where each held document was when it was taken, for the audit entry of its release. */
  private readonly takenFrom = new Map<string, [number, number, number]>();
  private readonly buckets = new Map<string, TokenBucket>();
  /** When each client was last told it is over the rate, so it is told once a second, not per message. */
  private readonly warned = new Map<string, number>();
  /** Clients cut off for flooding: they do not get their seat held for a reconnection. */
  private readonly cutOff = new Set<string>();
  private joinedCount = 0;
  private interest!: Interest;
  private frames!: MalformedFrames;
  private readonly view: WorldView = {
    document: (id) => this.state.documents.get(id),
    note: (id) => this.state.annotations.get(id),
    workflow: (id) => this.state.workflows.get(id),
    run: (id) => this.state.runs.get(id),
  };
  /**
   * Events that arrive while the room is still reading the world from the store; applied once it
   * has. Listening starts before the reading, so a run that changes in between is not missed.
   */
  private eventsWhileOpening: WorldEvent[] | null = [];
  private readonly onWorldEvent = (event: WorldEvent) => {
    if (this.eventsWhileOpening) {
      const pending = this.eventsWhileOpening;
      // a run's latest summary replaces an earlier one still waiting, so a busy run cannot crowd out the rest
      const earlier = event.type === 'runChanged' ? pending.findIndex((e) => e.type === 'runChanged' && e.run.id === event.run.id) : -1;
      if (earlier >= 0) pending.splice(earlier, 1);
      if (pending.length < MAX_EVENTS_WHILE_OPENING) pending.push(event);
      else this.log.warn({ event: event.type }, 'a world event arrived while the room was opening and past its backlog; it was dropped');
      return;
    }
    this.handleWorldEvent(event).catch((err: unknown) => this.log.error({ err, event: event.type }, 'applying a world event failed'));
  };
  private readonly onSessionEnded = (ended: SessionEnded) => this.signOut(ended);

  override async onCreate(options: unknown): Promise<void> {
    const id = EntityId.safeParse((options as { worldId?: unknown } | undefined)?.worldId);
    if (!id.success) throw joinError(ErrorCode.INVALID_JOIN, 'Say which world to join (worldId).');
    const world = await this.deps.store.getWorld(id.data);
    if (!world) throw joinError(ErrorCode.WORLD_NOT_FOUND, `There is no world "${id.data}". Pick one from the lobby.`);
    this.world = world;
    this.log = this.deps.log.child({ worldId: world.id, roomId: this.roomId });
    this.metadata = { worldId: world.id, name: world.name };

    const state = new WorldState();
    state.worldId = world.id;
    state.name = world.name;
    state.template = world.template;
    this.writer = new WorldWriter(world.id, state, this.deps.store, this.log);
    await this.presence.subscribe(worldChannel(world.id), this.onWorldEvent);
    for (const doc of await this.deps.store.listDocuments(world.id)) {
      state.documents.set(doc.id, toDocumentState(doc, await readPreview(this.deps.blobs, doc)));
    }
    for (const note of await this.deps.store.listAnnotations(world.id)) {
      state.annotations.set(note.id, toAnnotationState(note));
      this.writer.knowNote(note);
    }
    for (const workflow of await this.deps.workflows.list(world.id)) {
      await this.loadWorkflow(state, workflow.id);
      for (const run of await this.deps.workflowStore.listRuns(workflow.id, 5)) applyEffect(state, { op: 'runProgress', run: runSummary(run) });
    }
    this.setState(state);
    this.interest = new Interest(this.deps.interest ?? { nearest: 0, above: 0, radius: 1, summaryMs: 1000 });

    this.patchRate = this.deps.patchIntervalMs ?? 50;
    // a backstop far above the per-client limit below, for clients that flood faster than we can answer
    this.maxMessagesPerSecond = Math.max(1000, this.deps.intentRate * 20);
    this.onMessage('*', (client: Client, type: string | number, message: unknown) => this.onIntent(client, type, message));
    this.countMalformedFrames();
    this.clock.setInterval(() => this.writer.flush().catch((err: unknown) => this.log.error({ err }, 'saving the world failed')), FLUSH_INTERVAL_MS);
    this.clock.setInterval(() => this.expireHolds(), LEASE_CHECK_MS);
    await this.presence.subscribe(SESSION_ENDED_CHANNEL, this.onSessionEnded);
    const pending = this.eventsWhileOpening ?? [];
    this.eventsWhileOpening = null;
    for (const event of pending) this.onWorldEvent(event);
    this.log.info({ documents: state.documents.size, notes: state.annotations.size }, 'world room opened');
  }

  /**
   * Colyseus hands every frame to this (internal) method of the room; each runs under its sender's
   * name, so a frame that does not decode is logged once per client, not once per frame.
   */
  private countMalformedFrames(): void {
    this.frames = new MalformedFrames(this.log);
    const room = this as unknown as { _onMessage(client: Client, buffer: Uint8Array): void };
    const dispatch = room._onMessage.bind(this);
    room._onMessage = (client, buffer) => this.frames.dispatch(client.sessionId, () => dispatch(client, buffer), () => client.leave(CloseCode.WITH_ERROR));
  }

  /** Sends the state's changes (and in a crowded world, the near poses) to every client; timed when a benchmark probes the server. */
  override broadcastPatch(): boolean {
    const probe = this.deps.probe;
    return probe ? probe.time(() => this.patchAndPoses()) : this.patchAndPoses();
  }

  private patchAndPoses(): boolean {
    const changed = super.broadcastPatch();
    this.interest?.afterPatch(this.state, this.clients, { broadcast: (type, bytes) => this.broadcastBytes(type, bytes, {}) }, Date.now());
    return changed;
  }

  /**
   * Joining with an access token names the participant after the account; a bad token is refused.
   * The world's roles decide whether they are let in at all, and as what.
   */
  override async onAuth(client: Client, options: unknown, context?: AuthContext): Promise<JoinIdentity> {
    const token = (options as { token?: unknown } | undefined)?.token;
    try {
      let who: { userId: string; username: string } | null = null;
      let familyId = '';
      if (token === undefined) {
        if (!this.deps.auth.guestAccess) throw new AppError(ErrorCode.UNAUTHORIZED, 'This server lets in only people who are signed in: sign in, then join with your access token.', 401);
      } else {
        if (typeof token !== 'string' || token.length > 4096) throw new AppError(ErrorCode.UNAUTHORIZED, 'The access token is not valid.', 401);
        const user = await this.deps.auth.identify(token);
        who = { userId: user.userId, username: user.username };
        familyId = user.familyId;
      }
      const role = await this.deps.access.roleIn(this.world, who);
      if (!role) {
        throw who
          ? new AppError(ErrorCode.FORBIDDEN, `"${this.world.name}" is private and you have not been invited. Ask its owner for an invite link.`, 403)
          : new AppError(ErrorCode.UNAUTHORIZED, `"${this.world.name}" is private: sign in with an account its owner invited.`, 401);
      }
      return who ? { kind: 'user', ...who, familyId, role } : { kind: 'guest', address: context?.ip ?? 'unknown', role };
    } catch (err) {
      const refusal = err instanceof AppError ? joinError(err.code === ErrorCode.FORBIDDEN ? ErrorCode.FORBIDDEN : ErrorCode.UNAUTHORIZED, err.message) : err;
      this.record(client, 'join', 'refused', { detail: refusal instanceof Error ? refusal.message.slice(0, 300) : 'refused' });
      throw refusal;
    }
  }

  override onJoin(client: Client, options: unknown): void {
    try {
      this.admitJoin(client, options);
    } catch (err) {
      const name = typeof (options as { name?: unknown })?.name === 'string' ? String((options as { name: string }).name).slice(0, 64) : undefined;
      this.record(client, 'join', 'refused', { detail: err instanceof Error ? err.message.slice(0, 300) : 'refused', ...(name ? { name } : {}) });
      throw err;
    }
    this.record(client, 'join', 'accepted', {});
  }

  private admitJoin(client: Client, options: unknown): void {
    const parsed = JoinOptions.safeParse(options);
    if (!parsed.success) throw joinError(ErrorCode.INVALID_JOIN, describeIssues(parsed.error));
    const join = parsed.data;
    if (join.protocol !== PROTOCOL_VERSION) {
      throw joinError(
        ErrorCode.PROTOCOL_MISMATCH,
        `This page speaks protocol ${join.protocol} but the server speaks ${PROTOCOL_VERSION}. Reload the page to get the current version.`,
      );
    }
    if (this.state.participants.size >= this.world.capacity) {
      throw joinError(ErrorCode.WORLD_FULL, `"${this.world.name}" is full (${this.world.capacity} people). Try again later.`);
    }

    const p = new ParticipantState();
    p.id = client.sessionId;
    const identity = client.auth as JoinIdentity | undefined;
    p.name = identity?.kind === 'user' ? identity.username : join.name;
    p.role = identity?.role ?? 'editor';
    p.colour = join.colour ?? AVATAR_COLOURS[this.joinedCount++ % AVATAR_COLOURS.length]!;
    p.device = join.device;
    p.n = this.interest.numberFor(client.sessionId);
    // arrive clear of everyone already here, facing the front wall, at standing eye height
    const heads = [...this.state.participants.values()].map((o) => [o.head.px, o.head.py, o.head.pz] as Vec3);
    setPose(p.head, [...spawnPosition(heads), 0, 0, 0, 1]);
    setPose(p.left, null);
    setPose(p.right, null);
    this.state.participants.set(client.sessionId, p);
    this.lastHeard.set(client.sessionId, Date.now());
    this.log.info({ participant: client.sessionId, device: p.device }, 'participant joined');
  }

  override async onDrop(client: Client): Promise<void> {
    const p = this.state.participants.get(client.sessionId);
    if (p) p.connected = false;
    this.applyAll(releaseAllHeldBy(this.state.documents.entries(), client.sessionId));
    this.log.info({ participant: client.sessionId }, 'participant dropped; waiting for reconnection');
    // without a held seat, Colyseus goes on to onLeave, which removes the participant. A client
    // whose join was refused never had a seat: Colyseus calls onDrop for it all the same.
    if (!p || this.deps.reconnectSeconds <= 0 || this.cutOff.has(client.sessionId)) return;
    // the promise settles when the client is back, or is rejected when its time runs out
    this.allowReconnection(client, this.deps.reconnectSeconds).catch((err: unknown) => {
      if (err !== false) this.log.warn({ err, participant: client.sessionId }, 'holding a seat for a reconnection failed');
    });
  }

  /** A seat held for someone whose sign-in has since ended is not theirs to take back. */
  override async onReconnect(client: Client): Promise<void> {
    const identity = client.auth as JoinIdentity | undefined;
    if (identity?.kind === 'user' && !(await this.deps.auth.sessionLive(identity.userId, identity.familyId))) {
      this.record(client, 'reconnect', 'refused', { detail: `${ErrorCode.UNAUTHORIZED}: the sign-in has ended` });
      throw joinError(ErrorCode.UNAUTHORIZED, 'Your sign-in has ended; sign in again to rejoin.');
    }
    const p = this.state.participants.get(client.sessionId);
    if (p) p.connected = true;
    this.lastHeard.set(client.sessionId, Date.now());
    this.log.info({ participant: client.sessionId }, 'participant reconnected');
  }

  override onLeave(client: Client): void {
    // a client whose join was refused never became a participant, and so never leaves
    if (this.state.participants.has(client.sessionId)) this.record(client, 'leave', 'accepted', {});
    this.applyAll(releaseAllHeldBy(this.state.documents.entries(), client.sessionId));
    this.state.participants.delete(client.sessionId);
    this.deps.neural.forget(this.world.id, client.sessionId);
    this.lastHeard.delete(client.sessionId);
    this.buckets.delete(client.sessionId);
    this.warned.delete(client.sessionId);
    this.cutOff.delete(client.sessionId);
    this.interest.forget(client.sessionId);
    this.frames.forget(client.sessionId);
    this.log.info({ participant: client.sessionId }, 'participant left');
  }

  /**
   * A bug in a handler must cost one message, not the process and every world in it: log it,
   * tell the participant who sent it, and carry on.
   */
  override onUncaughtException(error: RoomException, methodName: string): void {
    const cause = (error as { cause?: unknown }).cause ?? error;
    // a refused join is thrown on purpose and already answered; everything else is a bug
    if (cause instanceof ServerError) return;
    this.log.error({ err: cause, method: methodName }, 'uncaught error in the world room');
    if (error instanceof OnMessageException && error.client) {
      this.refuse(error.client as Client, ErrorCode.INTERNAL, 'The server could not handle that message; it has been logged.', null);
    }
  }

  override async onDispose(): Promise<void> {
    await this.presence.unsubscribe(worldChannel(this.world?.id ?? ''), this.onWorldEvent);
    await this.presence.unsubscribe(SESSION_ENDED_CHANNEL, this.onSessionEnded);
    await this.writer?.flush();
    this.log?.info('world room closed');
  }

  private onIntent(client: Client, type: string | number, message: unknown): void {
    const participant = this.state.participants.get(client.sessionId);
    if (!participant) return;
    const now = Date.now();
    if (!this.admit(client, now)) return;
    this.lastHeard.set(client.sessionId, now);
    if (!isIntentType(type)) return this.refuse(client, ErrorCode.UNKNOWN_INTENT, `Unknown intent "${String(type).slice(0, 40)}".`, null);
    // the role table in shared/model/roles decides, before anything is read from the message
    const role = participant.role as WorldRole;
    if (!allowed(role, type)) return this.refuse(client, ErrorCode.FORBIDDEN, explainRefusal(role, type), type);
    const parsed = Intent.safeParse(message);
    if (!parsed.success) return this.refuse(client, ErrorCode.INVALID_INTENT, `Invalid ${type}: ${describeIssues(parsed.error)}`, type);
    if (parsed.data.type !== type) return this.refuse(client, ErrorCode.INVALID_INTENT, `The ${type} message carries a ${parsed.data.type} intent.`, type);

    const actor: Actor = { id: client.sessionId, name: participant.name, colour: participant.colour, newId: () => newId() };
    const decision = decide(this.view, actor, parsed.data);
    if (!decision.ok) return this.refuse(client, decision.code, decision.message, type);
    const audited = auditIntent(parsed.data, decision.effects, this.state, this.takenFrom);
    this.applyAll(decision.effects, client);
    if (audited) this.record(client, parsed.data.type, 'accepted', audited);
  }

  /** One audit entry about a participant (who may not have joined yet). */
  private record(client: Client, action: string, outcome: 'accepted' | 'refused', extra: { name?: string; target?: { type: string; id: string }; before?: unknown; after?: unknown; detail?: string }): void {
    const { name, ...rest } = extra;
    const who = name ?? this.state.participants.get(client.sessionId)?.name;
    this.deps.audit.record({
      worldId: this.world?.id ?? null,
      actor: { kind: 'participant', id: client.sessionId, ...(who ? { name: who } : {}) },
      action,
      outcome,
      ...rest,
    });
  }

  /** Hands a workflow command to the engine; a failure goes back to the participant who asked. */
  private async command(effect: Command, client?: Client): Promise<void> {
    try {
      switch (effect.op) {
        case 'runStart': {
          const identity = client?.auth as JoinIdentity | undefined;
          if (identity) await this.deps.quota.charge(identity.kind === 'user' ? { kind: 'account', userId: identity.userId } : { kind: 'guest', address: identity.address }, 1);
          const input: Record<string, unknown> = { worldId: this.world.id, startedBy: effect.by };
          if (effect.documentId) input.documentId = effect.documentId;
          const [run] = await this.deps.workflows.startRuns(effect.workflowId, { input, priority: effect.priority });
          if (run) this.applyAll([{ op: 'runProgress', run: runSummary(run) }]);
          return;
        }
        case 'runCancel':
          await this.deps.engine.cancel(effect.runId);
          return;
        case 'runAnswer': {
          const waiting = this.state.runs.get(effect.runId)?.steps.find((s) => s.status === 'waiting');
          const done = waiting && (await this.deps.engine.signal(effect.runId, waiting.id, { approved: effect.approved, by: this.answeredBy(effect.by, client), comment: effect.comment }, STEP_KIND.APPROVAL));
          if (!done && client) this.refuse(client, ErrorCode.RUN_NOT_WAITING, 'That run is no longer waiting for an answer.', 'runAnswer');
          return;
        }
        default: {
          const unreachable: never = effect;
          throw new Error(`unknown command ${JSON.stringify(unreachable)}`);
        }
      }
    } catch (err) {
      this.log.warn({ err, op: effect.op }, 'workflow command refused');
      if (client) {
        const message = err instanceof AppError ? err.message : 'The workflow could not do that; it has been logged.';
        this.refuse(client, err instanceof AppError ? err.code : ErrorCode.INTERNAL, message, effect.op);
      }
    }
  }

  /** Who an answer is recorded as: an account by its name, a guest marked as one, so no guest passes for an account. */
  private answeredBy(name: string, client?: Client): string {
    const identity = client?.auth as JoinIdentity | undefined;
    return identity?.kind === 'user' ? identity.username : `${name.slice(0, 56)} (guest)`;
  }

  /** Neural commands are judged one at a time, in the order they came. */
  private readonly neuralTurns = serial();

  /** A neural command goes to the waiting runs, which judge it; the sender hears either way. */
  private async neural(effect: NeuralEffect, client?: Client): Promise<void> {
    const participant = client && this.state.participants.get(client.sessionId);
    if (!client || !participant) return;
    const identity = client.auth as JoinIdentity | undefined;
    const who = { name: participant.name, ...(identity?.kind === 'user' ? { userId: identity.userId } : {}), role: participant.role as WorldRole };
    if (effect.op === 'neuralSources') {
      this.deps.neural.reportSources({ worldId: this.world.id, participantId: client.sessionId, ...who, sources: effect.sources });
      return;
    }
    try {
      const result = await this.deps.neural.command({ worldId: this.world.id, who, command: effect.command, confidence: effect.confidence, source: effect.source, ...(effect.runId ? { runId: effect.runId } : {}) });
      if (!result.ok) return this.refuse(client, result.code, result.message, 'neuralCommand');
      this.record(client, 'neuralCommand', 'accepted', { target: { type: 'run', id: result.runIds[0]! }, after: { command: effect.command, confidence: effect.confidence, source: effect.source, runs: result.runIds } });
      const accepted: NeuralAccepted = { command: effect.command, runIds: result.runIds };
      client.send(ServerEvent.NEURAL_ACCEPTED, accepted);
    } catch (err) {
      this.log.warn({ err }, 'neural command failed');
      this.refuse(client, ErrorCode.INTERNAL, 'The server could not handle that command; it has been logged.', 'neuralCommand');
    }
  }

  private async loadWorkflow(state: WorldState, workflowId: string): Promise<void> {
    try {
      const { workflow, current } = await this.deps.workflows.get(workflowId);
      if (workflow.worldId === this.world.id) setWorkflow(state, workflow, current);
      else state.workflows.delete(workflowId);
    } catch (err) {
      if (err instanceof AppError && err.status === 404) state.workflows.delete(workflowId);
      else throw err;
    }
  }

  /** Applies the client's rate limit: false when the message is dropped (or the client cut off). */
  private admit(client: Client, now: number): boolean {
    let bucket = this.buckets.get(client.sessionId);
    if (!bucket) {
      bucket = new TokenBucket({ rate: this.deps.intentRate, burst: this.deps.intentRate * 2, patienceMs: 3000 }, now);
      this.buckets.set(client.sessionId, bucket);
    }
    const verdict = bucket.take(now);
    if (verdict === 'accept') return true;
    if (verdict === 'disconnect') {
      this.log.warn({ participant: client.sessionId }, 'disconnecting a client that kept flooding');
      this.buckets.delete(client.sessionId);
      this.cutOff.add(client.sessionId);
      this.record(client, 'disconnect', 'refused', { detail: `${ErrorCode.RATE_LIMITED}: cut off for flooding` });
      client.leave(WorldClose.FLOODING, 'Too many messages; reconnect and slow down.');
      return false;
    }
    if (now - (this.warned.get(client.sessionId) ?? 0) >= 1000) {
      this.warned.set(client.sessionId, now);
      this.refuse(client, ErrorCode.RATE_LIMITED, `Slow down: more than ${this.deps.intentRate} messages a second are being dropped.`, null);
    }
    return false;
  }

  private refuse(client: Client, code: IntentError['code'], message: string, intent: string | null): void {
    this.record(client, intent ?? 'message', 'refused', { detail: `${code}: ${message.slice(0, 300)}` });
    const error: IntentError = { code, message, intent };
    client.send(ServerEvent.ERROR, error);
  }

  private applyAll(effects: Effect[], client?: Client): void {
    for (const effect of effects) {
      if (isCommand(effect)) this.command(effect, client).catch((err: unknown) => this.log.error({ err, op: effect.op }, 'workflow command failed'));
      else if (effect.op === 'pose' && this.interest.take(effect, this.state)) continue;
      // one after another, so each sender hears its answers in the order it gave the commands
      else if (isNeural(effect)) this.neuralTurns(() => this.neural(effect, client)).catch((err: unknown) => this.log.warn({ err }, 'neural command failed'));
      else this.writer.persist(applyEffect(this.state, effect));
    }
  }

  private expireHolds(): void {
    const leases: Array<[string, HoldLease]> = [];
    this.state.documents.forEach((d, id) => {
      if (d.heldBy) leases.push([id, { holder: d.heldBy, lastActivity: this.lastHeard.get(d.heldBy) ?? 0 }]);
    });
    const expired = expiredHolds(leases, Date.now(), this.deps.holdLeaseMs);
    if (expired.length) this.log.info({ documents: expired.length }, 'released holds whose holder went silent');
    for (const e of expired) {
      if (e.op !== 'hold') continue;
      this.takenFrom.delete(e.docId);
      this.deps.audit.record({ worldId: this.world.id, actor: { kind: 'system', id: 'server' }, action: 'release', outcome: 'accepted', target: { type: 'document', id: e.docId }, detail: 'the holder went silent past the lease' });
    }
    this.applyAll(expired);
  }

  /** A sign-in ended: the connections opened under it close now, with the reason, and keep no seat. */
  private signOut(ended: SessionEnded): void {
    for (const client of this.clients) {
      const id = client.auth as JoinIdentity | undefined;
      if (id?.kind !== 'user' || id.userId !== ended.userId || id.familyId !== ended.familyId) continue;
      this.cutOff.add(client.sessionId);
      this.record(client, 'disconnect', 'accepted', { detail: 'the sign-in ended' });
      client.leave(WorldClose.SIGNED_OUT, 'Your sign-in has ended (signed out, or the password changed); sign in again to rejoin.');
    }
  }

  /**
   * A membership changed: the person's connected clients get their new role at once (in the state
   * and as a message saying so), or are disconnected with the reason when they were removed.
   */
  private async applyAccess(userId: string, removed: boolean): Promise<void> {
    const clients = this.clients.filter((c) => {
      const id = c.auth as JoinIdentity | undefined;
      return id?.kind === 'user' && id.userId === userId;
    });
    if (clients.length === 0) return;
    const identity = clients[0]!.auth as Extract<JoinIdentity, { kind: 'user' }>;
    const role = removed ? null : await this.deps.access.roleIn(this.world, { userId, username: identity.username });
    for (const client of clients) {
      const p = this.state.participants.get(client.sessionId);
      if (!role) {
        this.cutOff.add(client.sessionId);
        this.record(client, 'disconnect', 'accepted', { detail: 'removed from the world by its owner' });
        client.leave(WorldClose.REMOVED, `The owner removed you from "${this.world.name}".`);
        continue;
      }
      (client.auth as JoinIdentity).role = role;
      if (p && p.role !== role) {
        p.role = role;
        // holding is editing: someone who may no longer edit puts down what they hold
        if (!allowed(role, 'release')) this.applyAll(releaseAllHeldBy(this.state.documents.entries(), client.sessionId));
        const change: RoleChange = { role, message: role === 'viewer' ? 'You are now a viewer: you can look and talk, but not move, annotate, edit or run anything.' : `You are now ${role === 'editor' ? 'an editor' : 'the owner'}: you can move, annotate, edit and run things here.` };
        client.send(ServerEvent.ROLE, change);
      }
    }
  }

  private async handleWorldEvent(event: WorldEvent): Promise<void> {
    switch (event.type) {
      case 'documentAdded': {
        const next = toDocumentState(event.document, await readPreview(this.deps.blobs, event.document));
        const draft = this.state.documents.get(event.document.id);
        // a finished draft keeps its place (someone may have moved it) and takes on its content
        if (draft) Object.assign(draft, { title: next.title, kind: next.kind, mime: next.mime, size: next.size, contentHash: next.contentHash, body: next.body });
        else this.state.documents.set(event.document.id, next);
        return;
      }
      case 'documentDraft': {
        const draft = this.state.documents.get(event.document.id);
        if (draft) draft.body = event.body;
        else this.state.documents.set(event.document.id, toDocumentState(event.document, event.body));
        return;
      }
      case 'documentRemoved': {
        this.state.documents.delete(event.documentId);
        this.writer.forget(event.documentId);
        const notes: string[] = [];
        this.state.annotations.forEach((n, id) => n.documentId === event.documentId && notes.push(id));
        for (const id of notes) this.state.annotations.delete(id);
        return;
      }
      case 'workflowChanged':
        await this.loadWorkflow(this.state, event.workflowId);
        return;
      case 'runChanged':
        this.applyAll([{ op: 'runProgress', run: event.run }]);
        return;
      case 'accessChanged':
        await this.applyAccess(event.userId, event.removed);
        return;
      default: {
        const unreachable: never = event;
        this.log.warn({ event: unreachable }, 'unknown world event');
      }
    }
  }
}

/** A WorldRoom class bound to its dependencies, for registration with the Colyseus server. */
export function defineWorldRoomClass(deps: WorldRoomDeps): typeof WorldRoom {
  return class BoundWorldRoom extends WorldRoom {
    protected override deps = deps;
  };
}
