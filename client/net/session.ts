/**
 * One participant's connection to one world: joins the room, sends intents at sensible rates and
 * reports refusals. Only the server changes shared state; everything here is a request.
 */
import { Callbacks, Client, type Room } from '@colyseus/sdk';
import {
  MAX_SCALE,
  MIN_SCALE,
  PROTOCOL_VERSION,
  ServerEvent,
  WORLD_ROOM,
  type AvatarLook,
  type Intent,
  type Device,
  type NeuralSourceKind,
  type IntentError,
  type JoinOptions,
  type Pose,
  type Quat,
  type Reaction,
  type VoiceConfig,
  type Vec3,
} from '../../shared/protocol';
import { WorldState } from '../../shared/schema/WorldState';
import { serverUrl } from './endpoint';
import { freshAccount } from './account';
import { throttle, type Throttled } from './throttle';
import { SocialChannel } from './social';
import { encodePoseUplink } from '../../shared/protocol/poseWire';

/** Poses go out at most this often (and only when they changed). */
const POSE_INTERVAL_MS = 60;
/** Moves of a held document go out at most this often. */
const MOVE_INTERVAL_MS = 40;
const LOOK_INTERVAL_MS = 250;
/** How long leaving waits for the server to confirm before the page moves on anyway. */
const LEAVE_WAIT_MS = 2000;

export type WorldRoom = Room<any, WorldState>;
export type StateCallbacks = ReturnType<typeof Callbacks.get<WorldState>>;

export interface PoseUpdate {
  head: Pose;
  left: Pose | null;
  right: Pose | null;
  /** What the pose comes from, when it differs from what the participant joined with (e.g. 'vr'). */
  device?: Device;
}

type MoveIntent = Extract<Intent, { type: 'move' }>;

/** A refused join, with a message meant for the person who tried. */
export class JoinError extends Error {
  override name = 'JoinError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The server's join refusals read "CODE: message"; anything else (no server, network down) gets a
 * message that says what to check.
 */
export function describeJoinError(err: unknown): JoinError {
  const text = err instanceof Error ? err.message : String(err);
  const m = /^([A-Z_]+): (.+)$/s.exec(text);
  if (m) return new JoinError(m[1]!, m[2]!);
  if (!text || /fetch|network|ECONNREFUSED|Failed/i.test(text)) {
    return new JoinError('NETWORK', 'Cannot reach the world server. Check that it is running, then try again.');
  }
  return new JoinError('UNKNOWN', text);
}

/** Rounds a pose so that sensor noise below a millimetre does not count as a change. */
function quantise(p: Pose | null): string {
  return p ? p.map((v, i) => (i < 3 ? v.toFixed(3) : v.toFixed(4))).join(',') : '-';
}

export class WorldSession {
  private readonly pose: Throttled<PoseUpdate>;
  private readonly moves: Throttled<MoveIntent>;
  private readonly looks: Throttled<AvatarLook>;
  private lastPoseKey = '';
  private readonly errorListeners = new Set<(e: IntentError) => void>();
  private left = false;
  /** The room's connection ended for good (it may have been replaced by a new session). */
  private ended = false;
  /** The last head pose this page sent: where to stand again after a rejoin. */
  private head: Pose | null = null;
  /** The world's chat, reactions and mute-all, heard from the moment of joining. */
  readonly social: SocialChannel;
  /** The STUN/TURN servers the server gave for voice (none on a LAN). */
  iceServers: RTCIceServer[] = [];

  private constructor(readonly room: WorldRoom) {
    this.social = new SocialChannel(room);
    room.onMessage(ServerEvent.VOICE_CONFIG, (c: VoiceConfig) => {
      if (Array.isArray(c?.iceServers)) this.iceServers = c.iceServers;
    });
    room.onLeave(() => {
      this.ended = true;
    });
    // the busiest message there is goes as 35 bytes of fixed places, not some 200 of numbers to decode
    this.pose = throttle(POSE_INTERVAL_MS, (p) => {
      if (this.open) this.room.sendBytes('pose', encodePoseUplink(p));
    });
    this.moves = throttle(MOVE_INTERVAL_MS, (m) => this.send(m));
    // a person clicking through swatches changes their look many times a second; others need the last
    this.looks = throttle(LOOK_INTERVAL_MS, (look) => this.send({ type: 'avatar', look }));
    room.onMessage(ServerEvent.ERROR, (e: IntentError) => {
      for (const listener of this.errorListeners) listener(e);
    });
  }

  /** Joins a world; rejects with a {@link JoinError} whose message can be shown as is. */
  static async join(options: Omit<JoinOptions, 'protocol'>): Promise<WorldSession> {
    const client = new Client(serverUrl());
    // a signed-in browser joins as its account, with that account's role in the world
    const account = await freshAccount();
    const joinOptions: JoinOptions = { protocol: PROTOCOL_VERSION, ...options, ...(account ? { token: account.accessToken } : {}) };
    try {
      const room = await client.joinOrCreate(WORLD_ROOM, joinOptions, WorldState);
      return new WorldSession(room);
    } catch (err) {
      throw describeJoinError(err);
    }
  }

  get sessionId(): string {
    return this.room.sessionId;
  }

  get state(): WorldState {
    return this.room.state;
  }

  /** Resolves once the first state that includes this participant has arrived. */
  whenPresent(timeoutMs = 10_000): Promise<void> {
    const present = () => this.room.state?.participants?.has(this.sessionId) === true;
    if (present()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!present()) return;
        clearTimeout(timer);
        this.room.onStateChange.remove(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.room.onStateChange.remove(check);
        reject(new JoinError('TIMEOUT', 'Joined, but the world did not arrive in time. Reload to try again.'));
      }, timeoutMs);
      this.room.onStateChange(check);
    });
  }

  /** The state callbacks API of this room (onAdd/onRemove/listen/onChange). */
  callbacks(): StateCallbacks {
    return Callbacks.get(this.room);
  }

  /** Display name of a participant, for messages such as "held by Ann". */
  nameOf(participantId: string): string {
    return this.room.state.participants.get(participantId)?.name ?? 'someone';
  }

  /** Call every frame with the current pose; it is sent only when it changed, at a capped rate. */
  updatePose(update: PoseUpdate): void {
    const key = `${quantise(update.head)}|${quantise(update.left)}|${quantise(update.right)}|${update.device ?? ''}`;
    if (key === this.lastPoseKey) return;
    this.lastPoseKey = key;
    this.head = update.head;
    this.pose.push(update);
  }

  /** Where this page last stood (null before the first pose went out). */
  get lastHead(): Pose | null {
    return this.head;
  }

  /**
   * Stands where a previous session of this page stood, and waits (briefly) until the state says so,
   * so that a view built afterwards starts there. A crowded world keeps poses out of the state: the
   * view then starts at the spawn point, which is no worse than before.
   */
  async standAt(head: Pose, timeoutMs = 1500): Promise<void> {
    this.send({ type: 'pose', head, left: null, right: null });
    const there = () => {
      const me = this.room.state.participants.get(this.sessionId)?.head;
      return !!me && Math.abs(me.px - head[0]) < 0.01 && Math.abs(me.pz - head[2]) < 0.01;
    };
    const deadline = Date.now() + timeoutMs;
    while (!there() && Date.now() < deadline && !this.ended) await new Promise((r) => setTimeout(r, 50));
  }

  grab(docId: string): void {
    this.send({ type: 'grab', docId });
  }

  move(docId: string, position: Vec3, rotation?: Quat, scale?: number): void {
    const intent: MoveIntent = { type: 'move', docId, position };
    if (rotation) intent.rotation = rotation;
    if (scale !== undefined) intent.scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, scale));
    this.moves.push(intent);
  }

  /** Releases a held document after its last move went out, so it lands where it was dropped. */
  release(docId: string): void {
    this.moves.flush();
    this.send({ type: 'release', docId });
  }

  /** Shows `page` (and `spread` pages side by side) to everyone; the caller clamps to the page count. */
  turnPage(docId: string, page: number, spread?: number): void {
    this.send(spread === undefined ? { type: 'page', docId, page } : { type: 'page', docId, page, spread });
  }

  addNote(note: { docId: string; page: number; u: number; v: number; text: string; colour?: string }): void {
    this.send({ type: 'noteAdd', ...note });
  }

  editNote(noteId: string, changes: { text?: string; colour?: string }): void {
    this.send({ type: 'noteEdit', noteId, ...changes });
  }

  /** Changes how this person looks to everyone (sent at most a few times a second; the last one always). */
  setLook(look: AvatarLook): void {
    this.looks.push(look);
  }

  deleteNote(noteId: string): void {
    this.send({ type: 'noteDelete', noteId });
  }

  /** Starts a run of one of this world's workflows, on a document when one is given. */
  startRun(workflowId: string, documentId?: string): void {
    this.send(documentId ? { type: 'runStart', workflowId, documentId, priority: 'normal' } : { type: 'runStart', workflowId, priority: 'normal' });
  }

  cancelRun(runId: string): void {
    this.send({ type: 'runCancel', runId });
  }

  /** Approves or rejects a run waiting at an approval step. */
  answerRun(runId: string, approved: boolean, comment = ''): void {
    this.send({ type: 'runAnswer', runId, approved, comment });
  }

  /** Sends a command the neural channel's policy let through; the waiting runs judge it. */
  sendNeuralCommand(command: { command: string; confidence: number; source: NeuralSourceKind; runId?: string }): void {
    this.send({ type: 'neuralCommand', ...command });
  }

  /** Tells the world which neural sources are on here (for who-streams-what). */
  reportNeuralSources(sources: NeuralSourceKind[]): void {
    this.send({ type: 'neuralSources', sources });
  }

  /** Says something in the world's chat. */
  say(text: string): void {
    this.send({ type: 'chat', text });
  }

  react(reaction: Reaction): void {
    this.send({ type: 'react', reaction });
  }

  raiseHand(raised: boolean): void {
    this.send({ type: 'hand', raised });
  }

  /** The owner gives someone the megaphone, or takes it back. */
  setMegaphone(participantId: string, on: boolean): void {
    this.send({ type: 'megaphone', participantId, on });
  }

  /** The owner mutes everyone else's microphone. */
  muteAll(): void {
    this.send({ type: 'muteAll' });
  }

  /** Sends an intent a feature module builds itself (props: see propIntents.ts). */
  sendIntent(intent: Intent): void {
    this.send(intent);
  }

  onIntentError(listener: (e: IntentError) => void): () => void {
    this.errorListeners.add(listener);
    return () => this.errorListeners.delete(listener);
  }

  async leave(): Promise<void> {
    if (this.left) return;
    // a look chosen just before leaving still goes out
    this.looks.flush();
    this.left = true;
    this.pose.cancel();
    this.moves.cancel();
    this.errorListeners.clear();
    this.social.dispose();
    // a room whose connection already ended would never answer a leave
    if (this.ended) return;
    // while the connection is down (the SDK retrying) nothing answers: do not wait for it for ever
    const answered = this.room.leave(true).catch(() => undefined);
    await Promise.race([answered, new Promise((resolve) => setTimeout(resolve, LEAVE_WAIT_MS))]);
  }

  /** Whether messages may still go to the room (not left, not ended by the server). */
  private get open(): boolean {
    return !this.left && !this.ended;
  }

  private send(intent: Intent): void {
    if (!this.open) return;
    this.room.send(intent.type, intent);
  }
}
