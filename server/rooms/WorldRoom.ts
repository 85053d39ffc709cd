/**
 * One world's realtime room: a thin shell around the pure rules in shared/model/world.ts. It
 * validates every intent at the boundary, asks the rules what changes, applies that to the
 * synchronised state and persists document placements.
 */
import { Room, ServerError, type Client } from '@colyseus/core';
import {
  EntityId,
  ErrorCode,
  Intent,
  JoinOptions,
  PROTOCOL_VERSION,
  ServerEvent,
  describeIssues,
  isIntentType,
  type IntentError,
  type Pose,
} from '../../shared/protocol';
import { decide, releaseAllHeldBy, type Effect, type WorldView } from '../../shared/model/world';
import { type Placement, type PlacedDocument, type WorldRecord } from '../../shared/model/worlds';
import { DocumentState, ParticipantState, WorldState, type PoseState } from '../../shared/schema/WorldState';
import type { Store } from '../adapters/storage/Store';
import type { Logger } from '../log';

export interface WorldRoomDeps {
  store: Store;
  log: Logger;
  reconnectSeconds: number;
}

/**
 * Numeric codes of refused joins. They are HTTP statuses because a refusal in onCreate travels back
 * as the matchmaking HTTP response; the message starts with our protocol error code.
 */
export const JoinErrorStatus = {
  [ErrorCode.INVALID_JOIN]: 400,
  [ErrorCode.WORLD_NOT_FOUND]: 404,
  [ErrorCode.PROTOCOL_MISMATCH]: 426,
  [ErrorCode.WORLD_FULL]: 429,
} as const;

function joinError(code: keyof typeof JoinErrorStatus, message: string): ServerError {
  return new ServerError(JoinErrorStatus[code], `${code}: ${message}`);
}

const FLUSH_INTERVAL_MS = 500;
const AVATAR_COLOURS = ['#e6194b', '#3cb44b', '#4363d8', '#f58231', '#911eb4', '#46f0f0', '#f032e6', '#bcf60c'];

function setPose(target: PoseState, pose: Pose | null): void {
  target.tracked = pose !== null;
  if (!pose) return;
  [target.px, target.py, target.pz, target.qx, target.qy, target.qz, target.qw] = pose;
}

export class WorldRoom extends Room<{ state: WorldState }> {
  /** Set by {@link defineWorldRoomClass}; Colyseus constructs rooms itself. */
  protected deps!: WorldRoomDeps;
  private log!: Logger;
  private world!: WorldRecord;
  private readonly dirty = new Set<string>();
  private flushing: Promise<void> = Promise.resolve();
  private readonly view: WorldView = { document: (id) => this.state.documents.get(id) };
  private joinedCount = 0;

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
    for (const doc of await this.deps.store.listDocuments(world.id)) state.documents.set(doc.id, toDocumentState(doc));
    this.setState(state);

    this.patchRate = 50;
    this.onMessage('*', (client: Client, type: string | number, message: unknown) => this.onIntent(client, type, message));
    this.clock.setInterval(() => void this.flush(), FLUSH_INTERVAL_MS);
    this.log.info({ documents: state.documents.size }, 'world room opened');
  }

  override onJoin(client: Client, options: unknown): void {
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
    p.name = join.name;
    p.colour = join.colour ?? AVATAR_COLOURS[this.joinedCount++ % AVATAR_COLOURS.length]!;
    p.device = join.device;
    // spawn near the middle of the room, facing the front wall, at standing eye height
    setPose(p.head, [(Math.random() - 0.5) * 2, 1.6, 2 + Math.random(), 0, 0, 0, 1]);
    setPose(p.left, null);
    setPose(p.right, null);
    this.state.participants.set(client.sessionId, p);
    this.log.info({ participant: client.sessionId, device: p.device }, 'participant joined');
  }

  override async onDrop(client: Client): Promise<void> {
    const p = this.state.participants.get(client.sessionId);
    if (p) p.connected = false;
    this.applyAll(releaseAllHeldBy(this.state.documents.entries(), client.sessionId));
    this.log.info({ participant: client.sessionId }, 'participant dropped; waiting for reconnection');
    if (this.deps.reconnectSeconds > 0) this.allowReconnection(client, this.deps.reconnectSeconds);
  }

  override onReconnect(client: Client): void {
    const p = this.state.participants.get(client.sessionId);
    if (p) p.connected = true;
    this.log.info({ participant: client.sessionId }, 'participant reconnected');
  }

  override onLeave(client: Client): void {
    this.applyAll(releaseAllHeldBy(this.state.documents.entries(), client.sessionId));
    this.state.participants.delete(client.sessionId);
    this.log.info({ participant: client.sessionId }, 'participant left');
  }

  override async onDispose(): Promise<void> {
    await this.flush();
    this.log?.info('world room closed');
  }

  private onIntent(client: Client, type: string | number, message: unknown): void {
    if (!this.state.participants.has(client.sessionId)) return;
    if (!isIntentType(type)) return this.refuse(client, ErrorCode.UNKNOWN_INTENT, `Unknown intent "${String(type).slice(0, 40)}".`, null);
    const parsed = Intent.safeParse(message);
    if (!parsed.success) return this.refuse(client, ErrorCode.INVALID_INTENT, `Invalid ${type}: ${describeIssues(parsed.error)}`, type);
    if (parsed.data.type !== type) return this.refuse(client, ErrorCode.INVALID_INTENT, `The ${type} message carries a ${parsed.data.type} intent.`, type);

    const decision = decide(this.view, client.sessionId, parsed.data);
    if (!decision.ok) return this.refuse(client, decision.code, decision.message, type);
    this.applyAll(decision.effects);
  }

  private refuse(client: Client, code: IntentError['code'], message: string, intent: string | null): void {
    const error: IntentError = { code, message, intent };
    client.send(ServerEvent.ERROR, error);
  }

  private applyAll(effects: Effect[]): void {
    for (const effect of effects) this.apply(effect);
  }

  private apply(effect: Effect): void {
    switch (effect.op) {
      case 'pose': {
        const p = this.state.participants.get(effect.participantId);
        if (!p) return;
        setPose(p.head, effect.head);
        setPose(p.left, effect.left);
        setPose(p.right, effect.right);
        return;
      }
      case 'hold': {
        const doc = this.state.documents.get(effect.docId);
        if (!doc) return;
        doc.heldBy = effect.holder;
        // a drop is the moment a placement matters most: persist it now rather than on the tick
        if (!effect.holder) void this.flush();
        return;
      }
      case 'transform': {
        const doc = this.state.documents.get(effect.docId);
        if (!doc) return;
        [doc.x, doc.y, doc.z] = effect.position;
        if (effect.rotation) [doc.qx, doc.qy, doc.qz, doc.qw] = effect.rotation;
        if (effect.scale !== undefined) doc.scale = effect.scale;
        this.dirty.add(effect.docId);
        return;
      }
      default: {
        const unreachable: never = effect;
        throw new Error(`unhandled effect ${JSON.stringify(unreachable)}`);
      }
    }
  }

  /** Writes changed placements to the store; writes are serialised so they land in order. */
  private flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      if (this.dirty.size === 0) return;
      const placements: Placement[] = [];
      for (const id of this.dirty) {
        const d = this.state.documents.get(id);
        if (d) placements.push({ id, position: [d.x, d.y, d.z], rotation: [d.qx, d.qy, d.qz, d.qw], scale: d.scale });
      }
      this.dirty.clear();
      try {
        await this.deps.store.savePlacements(this.world.id, placements);
      } catch (err) {
        for (const p of placements) this.dirty.add(p.id);
        this.log.error({ err }, 'could not save document placements; will retry');
      }
    });
    return this.flushing;
  }
}

function toDocumentState(doc: PlacedDocument): DocumentState {
  const d = new DocumentState();
  d.id = doc.id;
  d.title = doc.title;
  d.kind = doc.kind;
  d.body = doc.body;
  [d.x, d.y, d.z] = doc.position;
  [d.qx, d.qy, d.qz, d.qw] = doc.rotation;
  d.scale = doc.scale;
  d.heldBy = '';
  return d;
}

/** A WorldRoom class bound to its dependencies, for registration with the Colyseus server. */
export function defineWorldRoomClass(deps: WorldRoomDeps): typeof WorldRoom {
  return class BoundWorldRoom extends WorldRoom {
    protected override deps = deps;
  };
}

