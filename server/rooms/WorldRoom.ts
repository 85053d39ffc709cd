/**
 * One world's realtime room: the Colyseus shell around the world's core (core/WorldCore.ts). It
 * opens the room, hands every join, message, drop and world event to the core with the time, and
 * carries the core's answers to the clients; the core validates, decides and applies.
 */
import { CloseCode, OnMessageException, Protocol, Room, ServerError, getMessageBytes, type AuthContext, type Client, type RoomException } from '@colyseus/core';
import { EntityId, ErrorCode } from '../../shared/protocol';
import type { WorldState } from '../../shared/schema/WorldState';
import type { Logger } from '../log';
import type { BenchProbe } from '../bench/probe';
import { ALERT_CHANNEL, SESSION_ENDED_CHANNEL, worldChannel } from './worldEvents';
import { MalformedFrames } from './malformedFrames';
import { joinError } from './core/admission';
import { WorldCore } from './core/WorldCore';
import type { JoinIdentity, Peer, RoomPort, WorldCoreDeps } from './core/types';

export interface WorldRoomDeps extends WorldCoreDeps {
  log: Logger;
  /** Milliseconds between state patches (20 a second by default). */
  patchIntervalMs?: number;
  /** Benchmarks only: times every patch fan-out. */
  probe?: BenchProbe;
}

const FLUSH_INTERVAL_MS = 500;
const LEASE_CHECK_MS = 1000;

const peer = (client: Client): Peer => ({ id: client.sessionId, identity: client.auth as JoinIdentity | undefined });
function* sessionIds(clients: Iterable<Client>): Iterable<string> {
  for (const client of clients) yield client.sessionId;
}

export class WorldRoom extends Room<{ state: WorldState }> {
  /** Set by {@link defineWorldRoomClass}; Colyseus constructs rooms itself. */
  protected deps!: WorldRoomDeps;
  private log!: Logger;
  private core!: WorldCore;
  private frames!: MalformedFrames;

  /** How the core reaches the clients. */
  private readonly port: RoomPort = {
    send: (id, type, message) => this.clients.getById(id)?.send(type, message),
    sendBytes: (id, type, bytes) => this.clients.getById(id)?.sendBytes(type, bytes),
    // the busiest message of a crowded world: laid straight into its frame, one copy, no joining first
    sendParts: (id, type, parts, length) => {
      const client = this.clients.getById(id);
      if (!client) return;
      const header = frameHeader(type);
      const frame = Buffer.allocUnsafe(header.byteLength + length);
      frame.set(header, 0);
      let o = header.byteLength;
      for (const part of parts) {
        frame.set(part, o);
        o += part.byteLength;
      }
      client.enqueueRaw(frame);
    },
    broadcast: (type, message) => this.broadcast(type, message),
    broadcastBytes: (type, bytes) => this.broadcastBytes(type, bytes, {}),
    leave: (id, code, reason) => this.clients.getById(id)?.leave(code, reason),
    peers: () => Array.from(this.clients, peer),
    bytesSent: () => {
      let total = this.sentToGone;
      for (const c of this.clients) if (!this.counted.has(c)) total += wireBytes(c);
      return total;
    },
  };
  /** Bytes written to connections that have since closed (each counted once: a drop, then a leave, is one connection). */
  private sentToGone = 0;
  private readonly counted = new WeakSet<Client>();

  /** A connection is going: what it was sent stays counted. */
  private keepSent(client: Client): void {
    if (this.counted.has(client)) return;
    this.counted.add(client);
    this.sentToGone += wireBytes(client);
  }

  override async onCreate(options: unknown): Promise<void> {
    const id = EntityId.safeParse((options as { worldId?: unknown } | undefined)?.worldId);
    if (!id.success) throw joinError(ErrorCode.INVALID_JOIN, 'Say which world to join (worldId).');
    const world = await this.deps.store.getWorld(id.data);
    if (!world) throw joinError(ErrorCode.WORLD_NOT_FOUND, `There is no world "${id.data}". Pick one from the lobby.`);
    this.log = this.deps.log.child({ worldId: world.id, roomId: this.roomId });
    this.metadata = { worldId: world.id, name: world.name };
    this.core = new WorldCore(this.deps, world, this.port, this.log);
    // listening starts before the reading, so a run that changes in between is not missed
    await this.presence.subscribe(worldChannel(world.id), this.core.worldEvent);
    await this.core.load();
    this.setState(this.core.state);

    this.patchRate = this.deps.patchIntervalMs ?? 50;
    // a backstop far above the per-client limit in the core, for clients that flood faster than we can answer
    this.maxMessagesPerSecond = Math.max(1000, this.deps.intentRate * 20);
    this.onMessage('*', (client: Client, type: string | number, message: unknown) => this.core.intent(peer(client), type, message, Date.now()));
    this.countMalformedFrames();
    this.clock.setInterval(() => this.core.flush().catch((err: unknown) => this.log.error({ err }, 'saving the world failed')), FLUSH_INTERVAL_MS);
    this.clock.setInterval(() => this.core.tick(Date.now()), LEASE_CHECK_MS);
    await this.presence.subscribe(SESSION_ENDED_CHANNEL, this.core.sessionEnded);
    await this.presence.subscribe(ALERT_CHANNEL, this.core.alertNotice);
    this.core.open();
    this.log.info({ documents: this.state.documents.size, notes: this.state.annotations.size }, 'world room opened');
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
    this.core?.afterPatch(sessionIds(this.clients), Date.now());
    return changed;
  }

  /** Who a client is and their role here; a refusal is thrown back to the client. */
  override onAuth(client: Client, options: unknown, context?: AuthContext): Promise<JoinIdentity> {
    return this.core.authorize(client.sessionId, options, context?.ip);
  }

  override onJoin(client: Client, options: unknown): void {
    this.core.join(peer(client), options, Date.now());
  }

  override async onDrop(client: Client): Promise<void> {
    this.keepSent(client);
    // without a held seat, Colyseus goes on to onLeave, which removes the participant. A client
    // whose join was refused never had a seat: Colyseus calls onDrop for it all the same.
    if (!this.core.drop(client.sessionId)) return;
    // the promise settles when the client is back, or is rejected when its time runs out
    this.allowReconnection(client, this.deps.reconnectSeconds).catch((err: unknown) => {
      if (err !== false) this.log.warn({ err, participant: client.sessionId }, 'holding a seat for a reconnection failed');
    });
  }

  override async onReconnect(client: Client): Promise<void> {
    await this.core.reconnect(peer(client), Date.now());
  }

  override onLeave(client: Client): void {
    this.keepSent(client);
    this.core.leave(client.sessionId);
    this.frames.forget(client.sessionId);
  }

  /**
   * A bug in a handler must cost one message, not the process and every world in it: log it,
   * tell the participant who sent it, and carry on.
   */
  override onUncaughtException(error: RoomException, methodName: string): void {
    const cause = (error as { cause?: unknown }).cause ?? error;
    // a refused join is thrown on purpose and already answered; everything else is a bug
    if (cause instanceof ServerError) return;
    // a message's handler runs at once, so the last intent taken is the one that threw
    this.log.error({ err: cause, method: methodName, ...(error instanceof OnMessageException ? { intentId: this.core?.lastIntent } : {}) }, 'uncaught error in the world room');
    if (error instanceof OnMessageException && error.client) {
      this.core.refuse((error.client as Client).sessionId, ErrorCode.INTERNAL, 'The server could not handle that message; it has been logged.', null);
    }
  }

  override async onDispose(): Promise<void> {
    if (this.core) {
      this.core.close();
      await this.presence.unsubscribe(worldChannel(this.core.world.id), this.core.worldEvent);
      await this.presence.unsubscribe(SESSION_ENDED_CHANNEL, this.core.sessionEnded);
      await this.presence.unsubscribe(ALERT_CHANNEL, this.core.alertNotice);
      await this.core.flush();
    }
    this.log?.info('world room closed');
  }
}

/** A WorldRoom class bound to its dependencies, for registration with the Colyseus server. */
export function defineWorldRoomClass(deps: WorldRoomDeps): typeof WorldRoom {
  return class BoundWorldRoom extends WorldRoom {
    protected override deps = deps;
  };
}

const headers = new Map<string, Buffer>();

/** The bytes Colyseus puts before a binary message of this type (as its sendBytes would), made once per type. */
function frameHeader(type: string): Buffer {
  let header = headers.get(type);
  if (!header) headers.set(type, (header = Buffer.from(getMessageBytes.raw(Protocol.ROOM_DATA_BYTES, type, undefined, new Uint8Array(0)))));
  return header;
}

/** Bytes written to a client's socket so far (0 where the transport does not say). */
function wireBytes(client: Client): number {
  const written = (client as unknown as { ref?: { _socket?: { bytesWritten?: unknown } } }).ref?._socket?.bytesWritten;
  return typeof written === 'number' ? written : 0;
}
