/**
 * One world's realtime rules without the transport: who comes in and goes, what each intent
 * changes, how fast a client may send, when a silent holder loses their hold, and what changes made
 * elsewhere mean for the people here. It is told who sent what and when, changes the synchronised
 * state, hands changes to the writer to persist and answers through a {@link RoomPort}; the pure
 * rules in shared/model/world.ts decide every intent.
 */
import { ErrorCode, Intent, ServerEvent, WORLD_EXTENT, WorldClose, describeIssues, isIntentType, type AlertNotice, type IntentError, type VoiceConfig, type VoiceSignal } from '../../../shared/protocol';
import { fastPoseIntent } from '../../../shared/protocol/poseIntent';
import { decodePoseUplink } from '../../../shared/protocol/poseWire';
import { allowed, explainRefusal, type WorldRole } from '../../../shared/model/roles';
import { isCatalogueKind } from '../../../shared/model/props';
import { decide, expiredHolds, releaseAllHeldBy, releasePropsHeldBy, type Actor, type Effect, type HoldLease, type WorldView } from '../../../shared/model/world';
import { onStage, stageOf, type WorldRecord } from '../../../shared/model/worlds';
import { WorldState } from '../../../shared/schema/WorldState';
import { auditIntent } from '../../audit/intentAudit';
import type { Logger } from '../../log';
import { failed } from '../../tracing/Tracing';
import { serial } from '../../serial';
import { newId } from '../../worlds';
import { Interest, type PoseOutlet } from '../interest';
import { toPropRecord } from '../propSync';
import { applyEffect, applyPoseWrite } from '../stateSync';
import type { SessionEnded, WorldEvent } from '../worldEvents';
import { WorldWriter } from '../WorldWriter';
import { AVATAR_COLOURS, admit, askedName, identify, joinError } from './admission';
import { isCommand, isNeural, neuralCommand, runCommand } from './commands';
import { VoiceCalls } from './voiceCalls';
import { Social } from './social';
import { handleWorldEvent, keepWhileOpening, signOut } from './events';
import { loadWorld } from './load';
import { PropUndo } from './PropUndo';
import { RateGate } from './rateGate';
import type { AuditExtra, CoreContext, JoinIdentity, Peer, RoomPort, WorldCoreDeps } from './types';

/** A new id for what an intent makes; one function for every intent, not a closure made per intent. */
const freshId = (): string => newId();

export class WorldCore implements CoreContext {
  readonly state = new WorldState();
  readonly writer: WorldWriter;
  /** When each participant last sent anything: a hold lapses when its holder goes silent. */
  private readonly lastHeard = new Map<string, number>();
  /** Where each held document was when it was taken, for the audit entry of its release. */
  private readonly takenFrom = new Map<string, [number, number, number]>();
  private readonly gate: RateGate;
  private readonly interest: Interest;
  private joinedCount = 0;
  /** The id of the last intent taken (ids count up from 1 in each room). */
  lastIntent = 0;
  /** Neural commands are judged one at a time, in the order they came. */
  private readonly neuralTurns = serial();
  private readonly view: WorldView = {
    document: (id) => this.state.documents.get(id),
    note: (id) => this.state.annotations.get(id),
    workflow: (id) => this.state.workflows.get(id),
    run: (id) => this.state.runs.get(id),
    prop: (id) => this.state.props.get(id),
    propKind: (kind) => isCatalogueKind(kind) || this.state.propModels.has(kind),
    propCount: () => this.state.props.size,
    lastChange: (participantId) => this.undo.last(participantId),
    headOf: (participantId) => this.interest.headOf(participantId, this.state),
    voiceOffered: (from, to) => this.calls.offered(from, to),
    voiceCalls: (participantId) => this.calls.count(participantId),
    heardEverywhere: (participantId) => {
      const p = this.state.participants.get(participantId);
      if (!p) return false;
      const head = this.interest.headOf(participantId, this.state);
      return p.megaphone || (!!head && onStage(this.stage, head));
    },
  };
  private readonly stage = stageOf(this.world.template);
  /** Chat, reactions and muting everyone. */
  private readonly social = new Social(this);
  /** Voice calls offered between people here, as their signalling passed through. */
  private readonly calls = new VoiceCalls();
  /** Each person's own changes to the layout, for their undo. */
  private readonly undo = new PropUndo();
  /** Stops the metrics counting this world's people (set once it is open). */
  private unwatch: (() => void) | null = null;
  /** Events that arrive while the world is read from the store (null once it is open). */
  private opening: WorldEvent[] | null = [];

  constructor(
    readonly deps: WorldCoreDeps,
    readonly world: WorldRecord,
    readonly port: RoomPort,
    readonly log: Logger,
  ) {
    this.state.worldId = world.id;
    this.state.name = world.name;
    this.state.template = world.template;
    this.writer = new WorldWriter(world.id, this.state, deps.store, log);
    this.gate = new RateGate(deps.intentRate);
    this.interest = new Interest(deps.interest ?? { nearest: 0, above: 0, radius: 1, summaryMs: 1000 });
  }

  /** Reads the world from the store. Listen for world events before this, so none is missed. */
  load(): Promise<void> {
    return loadWorld(this.deps, this.world.id, this.world.template, this.state, this.writer);
  }

  /** The world is read: the events that came meanwhile are applied, and the next ones at once. */
  open(): void {
    this.unwatch = this.deps.metrics?.watchWorld({ devices: () => this.connectedDevices(), bytesSent: () => this.port.bytesSent?.() ?? 0 }) ?? null;
    const pending = this.opening ?? [];
    this.opening = null;
    for (const event of pending) this.worldEvent(event);
  }

  /** A change made outside the room. */
  readonly worldEvent = (event: WorldEvent): void => {
    if (this.opening) {
      if (!keepWhileOpening(this.opening, event)) this.log.warn({ event: event.type }, 'a world event arrived while the room was opening and past its backlog; it was dropped');
      return;
    }
    handleWorldEvent(this, event).catch((err: unknown) => this.log.error({ err, event: event.type }, 'applying a world event failed'));
  };

  readonly sessionEnded = (ended: SessionEnded): void => signOut(this, ended);
  /** An alert's notice goes to the administrators here, and no one else. */
  readonly alertNotice = (notice: AlertNotice): void => {
    for (const peer of this.port.peers()) {
      const id = peer.identity;
      if (id?.kind === 'user' && this.deps.access.isAdmin({ userId: id.userId, username: id.username })) this.port.send(peer.id, ServerEvent.ALERT, notice);
    }
  };

  /** Who a client joining with `options` is, and their role here; throws (and records) the refusal. */
  async authorize(clientId: string, options: unknown, address: string | undefined): Promise<JoinIdentity> {
    try {
      return await identify(this.deps, this.world, (options as { token?: unknown } | undefined)?.token, address);
    } catch (err) {
      this.record(clientId, 'join', 'refused', { detail: err instanceof Error ? err.message.slice(0, 300) : 'refused' });
      throw err;
    }
  }

  /** Seats a client that was let in; throws (and records) the refusal of a join that is not valid. */
  join(peer: Peer, options: unknown, now: number): void {
    try {
      const p = admit(this.state, this.world, {
        clientId: peer.id,
        identity: peer.identity,
        options,
        nextColour: () => AVATAR_COLOURS[this.joinedCount++ % AVATAR_COLOURS.length]!,
        numberFor: (id) => this.interest.numberFor(id),
      });
      this.state.participants.set(peer.id, p);
      this.lastHeard.set(peer.id, now);
      this.deps.sessions?.started(this.world.id, peer.id, p.device);
      this.log.info({ participant: peer.id, device: p.device }, 'participant joined');
    } catch (err) {
      const name = askedName(options);
      this.record(peer.id, 'join', 'refused', { detail: err instanceof Error ? err.message.slice(0, 300) : 'refused', ...(name ? { name } : {}) });
      throw err;
    }
    this.record(peer.id, 'join', 'accepted', {});
    const userId = peer.identity?.kind === 'user' ? peer.identity.userId : undefined;
    this.deps.attendance?.joined(this.world.id, { participantId: peer.id, userId, name: this.state.participants.get(peer.id)!.name }, now).catch((err: unknown) => this.log.warn({ err, participant: peer.id }, 'recording attendance at an event failed'));
    const voice: VoiceConfig = { iceServers: [...(this.deps.iceServers ?? [])] };
    this.port.send(peer.id, ServerEvent.VOICE_CONFIG, voice);
    this.social.welcome(peer.id, now).catch((err: unknown) => this.log.warn({ err, participant: peer.id }, 'reading the chat for someone joining failed'));
  }

  /** A connection dropped: what they held is put down. True when their seat is kept for a reconnection. */
  drop(clientId: string): boolean {
    const p = this.state.participants.get(clientId);
    if (p) p.connected = false;
    this.putDownAll(clientId);
    this.log.info({ participant: clientId }, 'participant dropped; waiting for reconnection');
    // a client whose join was refused never had a seat, nor does one that was cut off
    return !!p && this.deps.reconnectSeconds > 0 && !this.gate.isCutOff(clientId);
  }

  /** A seat held for someone whose sign-in has since ended is not theirs to take back. */
  async reconnect(peer: Peer, now: number): Promise<void> {
    const identity = peer.identity;
    if (identity?.kind === 'user' && !(await this.deps.auth.sessionLive(identity.userId, identity.familyId))) {
      this.record(peer.id, 'reconnect', 'refused', { detail: `${ErrorCode.UNAUTHORIZED}: the sign-in has ended` });
      throw joinError(ErrorCode.UNAUTHORIZED, 'Your sign-in has ended; sign in again to rejoin.');
    }
    const p = this.state.participants.get(peer.id);
    if (p) p.connected = true;
    this.lastHeard.set(peer.id, now);
    this.log.info({ participant: peer.id }, 'participant reconnected');
  }

  leave(clientId: string): void {
    // a client whose join was refused never became a participant, and so never leaves
    if (this.state.participants.has(clientId)) {
      this.record(clientId, 'leave', 'accepted', {});
      this.deps.sessions?.ended(this.world.id, clientId);
      this.deps.attendance?.left(this.world.id, clientId, Date.now()).catch((err: unknown) => this.log.warn({ err, participant: clientId }, 'recording attendance at an event failed'));
    }
    this.putDownAll(clientId);
    this.undo.forget(clientId);
    this.state.participants.delete(clientId);
    this.deps.neural.forget(this.world.id, clientId);
    this.lastHeard.delete(clientId);
    this.gate.forget(clientId);
    this.interest.forget(clientId);
    this.calls.forget(clientId);
    this.social.forget(clientId);
    this.log.info({ participant: clientId }, 'participant left');
  }

  /** Puts down every document and prop a participant holds. */
  putDownAll(clientId: string): void {
    this.applyAll([...releaseAllHeldBy(this.state.documents.entries(), clientId), ...releasePropsHeldBy(this.state.props.entries(), clientId)]);
  }

  /**
   * One message from a participant: rate-gated, validated at the boundary, then decided by the
   * rules. Each gets the next id of this room's, named in the logs about it; with tracing on, each
   * but a pose (many a second, and nothing to follow) is a span.
   */
  intent(from: Peer, type: string | number, message: unknown, now: number): void {
    const id = ++this.lastIntent;
    const tracing = this.deps.tracing;
    if (!tracing?.on || type === 'pose') {
      this.handle(from, type, message, now);
      return;
    }
    const span = tracing.start(`intent ${isIntentType(type) ? type : 'unknown'}`, { 'dwc.world.id': this.world.id, 'dwc.intent.id': id });
    try {
      const outcome = this.handle(from, type, message, now);
      span.setAttribute('dwc.outcome', outcome === 'accepted' || outcome === 'dropped' ? outcome : 'refused');
      if (outcome !== 'accepted' && outcome !== 'dropped') failed(span, outcome);
    } finally {
      span.end();
    }
  }

  /** How an intent ended: accepted, dropped by the rate limit, or refused with this code. */
  private handle(from: Peer, type: string | number, message: unknown, now: number): 'accepted' | 'dropped' | IntentError['code'] {
    const participant = this.state.participants.get(from.id);
    if (!participant || !this.admitMessage(from.id, now)) return 'dropped';
    this.lastHeard.set(from.id, now);
    if (!isIntentType(type)) return this.refuse(from.id, ErrorCode.UNKNOWN_INTENT, `Unknown intent "${String(type).slice(0, 40)}".`, null);
    // the role table in shared/model/roles decides, before anything is read from the message
    const role = participant.role as WorldRole;
    if (!allowed(role, type)) return this.refuse(from.id, ErrorCode.FORBIDDEN, explainRefusal(role, type), type);
    // a pose (tens of thousands a second in a crowd) comes as bytes or is read by hand when sound;
    // anything else, or a pose in doubt, is read by the schema, which says what is wrong
    let intent: Intent | undefined;
    if (type === 'pose' && message instanceof Uint8Array) {
      // the binary pose clients send: fixed places, nothing else to read
      const pose = decodePoseUplink(message, WORLD_EXTENT);
      if (typeof pose === 'string') return this.refuse(from.id, ErrorCode.INVALID_INTENT, `Invalid pose: ${pose}.`, type);
      intent = { type: 'pose', ...pose };
    } else if (type === 'pose') intent = fastPoseIntent(message);
    if (!intent) {
      const parsed = Intent.safeParse(message);
      if (!parsed.success) return this.refuse(from.id, ErrorCode.INVALID_INTENT, `Invalid ${type}: ${describeIssues(parsed.error)}`, type);
      intent = parsed.data;
    }
    if (intent.type !== type) return this.refuse(from.id, ErrorCode.INVALID_INTENT, `The ${type} message carries a ${intent.type} intent.`, type);

    const actor: Actor = { id: from.id, name: participant.name, colour: participant.colour, newId: freshId };
    const decision = decide(this.view, actor, intent);
    if (!decision.ok) return this.refuse(from.id, decision.code, decision.message, type);
    const audited = auditIntent(intent, decision.effects, this.state, this.takenFrom);
    // a pose that names another device (a page entering VR) moves the session on to it; the others cost a comparison
    const newDevice = intent.type === 'pose' && intent.device && intent.device !== participant.device ? intent.device : null;
    this.applyAll(decision.effects, from, now);
    this.deps.metrics?.intent(type, 'accepted');
    if (newDevice) this.deps.sessions?.device(this.world.id, from.id, newDevice);
    if (audited) this.record(from.id, intent.type, 'accepted', audited);
    return 'accepted';
  }

  /** Applies the client's rate limit: false when the message is dropped (or the client cut off). */
  private admitMessage(clientId: string, now: number): boolean {
    const gate = this.gate.take(clientId, now);
    if (gate === 'disconnect') {
      this.log.warn({ participant: clientId }, 'disconnecting a client that kept flooding');
      this.record(clientId, 'disconnect', 'refused', { detail: `${ErrorCode.RATE_LIMITED}: cut off for flooding` });
      this.port.leave(clientId, WorldClose.FLOODING, 'Too many messages; reconnect and slow down.');
    } else if (gate === 'warn') {
      this.refuse(clientId, ErrorCode.RATE_LIMITED, `Slow down: more than ${this.deps.intentRate} messages a second are being dropped.`, null);
    }
    return gate === 'accept';
  }

  /** The room's clock: holds whose holder has been silent past the lease are released. */
  tick(now: number): void {
    const leases: Array<[string, HoldLease]> = [];
    this.state.documents.forEach((d, id) => {
      if (d.heldBy) leases.push([id, { holder: d.heldBy, lastActivity: this.lastHeard.get(d.heldBy) ?? 0 }]);
    });
    const expired = expiredHolds(leases, now, this.deps.holdLeaseMs);
    if (expired.length) this.log.info({ documents: expired.length }, 'released holds whose holder went silent');
    for (const e of expired) {
      if (e.op !== 'hold') continue;
      this.takenFrom.delete(e.docId);
      this.deps.audit.record({ worldId: this.world.id, actor: { kind: 'system', id: 'server' }, action: 'release', outcome: 'accepted', target: { type: 'document', id: e.docId }, detail: 'the holder went silent past the lease' });
    }
    this.applyAll(expired);
    const propLeases: Array<[string, HoldLease]> = [];
    this.state.props.forEach((p, id) => {
      if (p.heldBy) propLeases.push([id, { holder: p.heldBy, lastActivity: this.lastHeard.get(p.heldBy) ?? 0 }]);
    });
    // the rule is the same for props; its effects name documents, so they are turned into props'
    const expiredProps = expiredHolds(propLeases, now, this.deps.holdLeaseMs).flatMap((e): Effect[] => (e.op === 'hold' ? [{ op: 'propHold', propId: e.docId, holder: '' }] : []));
    if (expiredProps.length) this.log.info({ props: expiredProps.length }, 'released props whose holder went silent');
    this.applyAll(expiredProps);
  }

  /** The room is going: its people no longer count. */
  close(): void {
    this.unwatch?.();
    this.unwatch = null;
  }

  private *connectedDevices(): Iterable<string> {
    for (const p of this.state.participants.values()) if (p.connected) yield p.device;
  }

  /** Writes what is waiting to be written (dragged documents' placements). */
  flush(): Promise<void> {
    return this.writer.flush();
  }

  /** Where interest management's messages go: made once, used every patch. */
  private readonly poseOutlet: PoseOutlet = {
    sendBytes: (id, type, bytes) => this.port.sendBytes(id, type, bytes),
    sendParts: this.port.sendParts?.bind(this.port),
    broadcast: (type, bytes) => this.port.broadcastBytes(type, bytes),
  };

  /** After each state patch: in a crowded world, the near poses and the crowd summary. */
  afterPatch(clientIds: Iterable<string>, now: number): void {
    for (const write of this.interest.afterPatch(this.state, clientIds, this.poseOutlet, now)) applyPoseWrite(this.state, write);
  }

  /** The log for what an intent set going: naming the intent, when a participant's intent did. */
  private intentLog(from: Peer | undefined): Logger {
    // effects come with their sender only from intent(), so the last intent is the one they came from
    return from ? this.log.child({ intentId: this.lastIntent }) : this.log;
  }

  applyAll(effects: Effect[], from?: Peer, now = Date.now()): void {
    for (const effect of effects) {
      if (isCommand(effect)) {
        const log = this.intentLog(from);
        runCommand(this, effect, from, log).catch((err: unknown) => log.error({ err, op: effect.op }, 'workflow command failed'));
      }
      else if (effect.op === 'pose') {
        const write = this.interest.take(effect, this.state);
        if (write) applyPoseWrite(this.state, write);
      }
      // one after another, so each sender hears its answers in the order it gave the commands
      else if (isNeural(effect)) {
        const log = this.intentLog(from);
        this.neuralTurns(() => neuralCommand(this, effect, from, log)).catch((err: unknown) => log.warn({ err }, 'neural command failed'));
      }
      else if (effect.op === 'voiceSignal') this.relayVoice(effect);
      else if (effect.op === 'chat') this.social.chat(effect, now);
      else if (effect.op === 'react') this.social.react(effect, now);
      else if (effect.op === 'muteAll') this.social.muteAll(effect, now);
      else {
        if (effect.op === 'propPut' || effect.op === 'propHold' || effect.op === 'propDelete') {
          const id = effect.op === 'propPut' ? effect.prop.id : effect.propId;
          const prop = this.state.props.get(id);
          this.undo.record(effect, prop && toPropRecord(prop), prop?.heldBy ?? '');
        }
        this.writer.persist(applyEffect(this.state, effect));
      }
    }
  }

  /** Voice signalling goes to its one receiver; offers and hang-ups open and close the call. */
  private relayVoice(effect: Extract<Effect, { op: 'voiceSignal' }>): void {
    const { to, signal } = effect;
    if (signal.kind === 'offer') this.calls.offer(signal.from, to);
    else if (signal.kind === 'bye') this.calls.hangUp(signal.from, to);
    const message: VoiceSignal = signal;
    this.port.send(to, ServerEvent.VOICE_SIGNAL, message);
  }

  /** Tells the sender, counts and records the refusal; returns its code, for how the intent ended. */
  refuse(clientId: string, code: IntentError['code'], message: string, intent: string | null): IntentError['code'] {
    this.deps.metrics?.intent(intent, 'refused', code);
    this.record(clientId, intent ?? 'message', 'refused', { detail: `${code}: ${message.slice(0, 300)}` });
    const error: IntentError = { code, message, intent };
    this.port.send(clientId, ServerEvent.ERROR, error);
    return code;
  }

  record(clientId: string, action: string, outcome: 'accepted' | 'refused', extra: AuditExtra): void {
    const { name, ...rest } = extra;
    const who = name ?? this.state.participants.get(clientId)?.name;
    this.deps.audit.record({ worldId: this.world.id, actor: { kind: 'participant', id: clientId, ...(who ? { name: who } : {}) }, action, outcome, ...rest });
  }

  disconnect(clientId: string, code: number, reason: string, detail: string): void {
    this.gate.cutOff(clientId);
    this.record(clientId, 'disconnect', 'accepted', { detail });
    this.port.leave(clientId, code, reason);
  }
}
