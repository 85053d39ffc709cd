/**
 * The wire protocol between the client and the world room: intents (client → server), events
 * (server → client), error codes and the protocol version. Both sides import this file; the server
 * validates every intent with these schemas before anything changes.
 */
import { z } from 'zod';
import { MAX_NOTE_LENGTH, MAX_SPREAD } from '../model/documents';

/** Bumped whenever an intent, event, close code or state field changes shape. Checked at join. */
export const PROTOCOL_VERSION = 8;

/** Room name the world rooms are registered under. */
export const WORLD_ROOM = 'world';

export const ErrorCode = {
  INVALID_INTENT: 'INVALID_INTENT',
  UNKNOWN_INTENT: 'UNKNOWN_INTENT',
  DOCUMENT_NOT_FOUND: 'DOCUMENT_NOT_FOUND',
  HELD_BY_OTHER: 'HELD_BY_OTHER',
  NOT_HOLDER: 'NOT_HOLDER',
  NOTE_NOT_FOUND: 'NOTE_NOT_FOUND',
  WORKFLOW_NOT_FOUND: 'WORKFLOW_NOT_FOUND',
  RUN_NOT_FOUND: 'RUN_NOT_FOUND',
  RUN_NOT_WAITING: 'RUN_NOT_WAITING',
  UNSUPPORTED_TYPE: 'UNSUPPORTED_TYPE',
  TOO_LARGE: 'TOO_LARGE',
  PROTOCOL_MISMATCH: 'PROTOCOL_MISMATCH',
  INVALID_JOIN: 'INVALID_JOIN',
  WORLD_NOT_FOUND: 'WORLD_NOT_FOUND',
  WORLD_FULL: 'WORLD_FULL',
  BAD_REQUEST: 'BAD_REQUEST',
  RATE_LIMITED: 'RATE_LIMITED',
  CONFLICT: 'CONFLICT',
  NOT_FOUND: 'NOT_FOUND',
  INTERNAL: 'INTERNAL',
  /** A part of the site is moving between server processes; the same request succeeds in a few seconds. */
  UNAVAILABLE: 'UNAVAILABLE',
  /** Every AI provider a request named failed; the reply lists how each one did. */
  AI_FAILED: 'AI_FAILED',
  /** A token or API key was presented and is not valid, or none was and guests are not let in. */
  UNAUTHORIZED: 'UNAUTHORIZED',
  /** The password was right; the account also needs the code from its authenticator app. */
  TOTP_REQUIRED: 'TOTP_REQUIRED',
  /** Who is asking is known, and their world role (or API key scope) does not allow it. */
  FORBIDDEN: 'FORBIDDEN',
  /** A neural command from someone the waiting step does not wait for. */
  NEURAL_NOT_PERMITTED: 'NEURAL_NOT_PERMITTED',
  /** A neural command the waiting step does not accept. */
  NEURAL_UNKNOWN_COMMAND: 'NEURAL_UNKNOWN_COMMAND',
  /** A neural command recognised less surely than the waiting step needs. */
  NEURAL_LOW_CONFIDENCE: 'NEURAL_LOW_CONFIDENCE',
  PROP_NOT_FOUND: 'PROP_NOT_FOUND',
  /** A prop kind that is neither in the catalogue nor one of the world's uploaded models. */
  PROP_KIND_UNKNOWN: 'PROP_KIND_UNKNOWN',
  /** The world holds as many props (or uploaded models) as it may. */
  LAYOUT_FULL: 'LAYOUT_FULL',
  NOTHING_TO_UNDO: 'NOTHING_TO_UNDO',
  /** Voice signalling to someone who is not in this world (or to oneself). */
  VOICE_PEER_UNKNOWN: 'VOICE_PEER_UNKNOWN',
  /** A voice call offered to someone out of earshot, or an answer or candidate with no call between the two. */
  VOICE_NOT_LINKED: 'VOICE_NOT_LINKED',
  /** A chat message or reaction sent faster than a person may send them. */
  CHAT_TOO_FAST: 'CHAT_TOO_FAST',
  /** The chat could not be kept (the store failed); the message was not sent. */
  CHAT_NOT_KEPT: 'CHAT_NOT_KEPT',
  /** A megaphone given to someone who is not in this world. */
  PARTICIPANT_NOT_FOUND: 'PARTICIPANT_NOT_FOUND',
  /** Every seat of the event is taken. */
  EVENT_FULL: 'EVENT_FULL',
  /** The event is over or cancelled: it can no longer be changed or RSVP'd. */
  EVENT_CLOSED: 'EVENT_CLOSED',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Largest distance from the world origin anything may be placed at, in metres. */
export const WORLD_EXTENT = 500;
export const MIN_SCALE = 0.25;
export const MAX_SCALE = 4;
export const MAX_NAME_LENGTH = 32;

const coord = z.number().min(-WORLD_EXTENT).max(WORLD_EXTENT);
/** How far past ±1 a rotation component may be (rounding on the sender's side); the server normalises. */
export const UNIT_LIMIT = 1.0001;
const unit = z.number().min(-UNIT_LIMIT).max(UNIT_LIMIT);
/** Position as [x, y, z] in metres. */
export const Vec3 = z.tuple([coord, coord, coord]);
/** Rotation as a quaternion [x, y, z, w]; the server normalises it. */
export const Quat = z.tuple([unit, unit, unit, unit]);
/** A tracked pose as 7 numbers: position then rotation quaternion. */
export const Pose = z.tuple([coord, coord, coord, unit, unit, unit, unit]);
export type Vec3 = z.infer<typeof Vec3>;
export type Quat = z.infer<typeof Quat>;
export type Pose = z.infer<typeof Pose>;

export const Colour = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour like #33aaff');
export const EntityId = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, - and _ only');

/** What a participant is using right now; shown on their name tag. */
export const Device = z.enum(['desktop', 'vr', 'ar', 'mobile']);
export type Device = z.infer<typeof Device>;

export const PoseIntent = z.strictObject({
  type: z.literal('pose'),
  head: Pose,
  left: Pose.nullable(),
  right: Pose.nullable(),
  /** Sent with every pose, so entering or leaving VR/AR shows without a separate message. */
  device: Device.optional(),
});
export const GrabIntent = z.strictObject({ type: z.literal('grab'), docId: EntityId });
export const MoveIntent = z.strictObject({
  type: z.literal('move'),
  docId: EntityId,
  position: Vec3,
  rotation: Quat.optional(),
  scale: z.number().min(MIN_SCALE).max(MAX_SCALE).optional(),
});
export const ReleaseIntent = z.strictObject({ type: z.literal('release'), docId: EntityId });

/** Page turning is shared: everyone in the world sees the page the last person turned to. */
export const PageIntent = z.strictObject({
  type: z.literal('page'),
  docId: EntityId,
  page: z.number().int().min(1).max(100_000),
  spread: z.number().int().min(1).max(MAX_SPREAD).optional(),
});

const NoteText = z
  .string()
  .transform((s) => s.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '').trim())
  .pipe(z.string().min(1, 'a note needs some text').max(MAX_NOTE_LENGTH));
const PagePoint = z.number().min(0).max(1);

export const NoteAddIntent = z.strictObject({
  type: z.literal('noteAdd'),
  docId: EntityId,
  page: z.number().int().min(1).max(100_000),
  u: PagePoint,
  v: PagePoint,
  text: NoteText,
  colour: Colour.optional(),
});
export const NoteEditIntent = z.strictObject({
  type: z.literal('noteEdit'),
  noteId: EntityId,
  text: NoteText.optional(),
  colour: Colour.optional(),
  u: PagePoint.optional(),
  v: PagePoint.optional(),
});
export const NoteDeleteIntent = z.strictObject({ type: z.literal('noteDelete'), noteId: EntityId });

export const RunStartIntent = z.strictObject({
  type: z.literal('runStart'),
  workflowId: EntityId,
  /** The document to run it on, e.g. the one dropped on the chain's start node. */
  documentId: EntityId.optional(),
  priority: z.enum(['low', 'normal', 'high', 'critical']).default('normal'),
});
export const RunCancelIntent = z.strictObject({ type: z.literal('runCancel'), runId: EntityId });
/** An approve/reject for a run waiting at an approval step. */
export const RunAnswerIntent = z.strictObject({
  type: z.literal('runAnswer'),
  runId: EntityId,
  approved: z.boolean(),
  comment: z.string().max(1000).default(''),
});

/** Where a neural command came from: the browser's sources, or a device bridge over REST. */
export const NeuralSourceKind = z.enum(['camera', 'xr-hands', 'eeg', 'bridge']);
export type NeuralSourceKind = z.infer<typeof NeuralSourceKind>;
export const NeuralCommandName = z.string().min(1).max(40).regex(/^[a-z][a-z0-9_]*$/, 'lower-case letters, digits and _, starting with a letter');
/** A command a participant's neural-input channel recognised and let through its policy. */
export const NeuralCommandIntent = z.strictObject({
  type: z.literal('neuralCommand'),
  command: NeuralCommandName,
  confidence: z.number().min(0).max(1),
  source: NeuralSourceKind,
  /** The run it answers; absent: every run in the world waiting for a neural command. */
  runId: EntityId.optional(),
});
/** Which neural sources this participant has on right now (empty when all are off). */
export const NeuralSourcesIntent = z.strictObject({
  type: z.literal('neuralSources'),
  sources: z.array(NeuralSourceKind).max(4),
});

/** One ICE candidate as the browser gives it (RTCIceCandidateInit). */
export const VoiceCandidate = z.strictObject({
  candidate: z.string().max(1024),
  sdpMid: z.string().max(64).nullable().optional(),
  sdpMLineIndex: z.number().int().min(0).max(64).nullable().optional(),
  usernameFragment: z.string().max(256).nullable().optional(),
});
/** The largest session description relayed: an audio-only offer is a few kilobytes. */
export const MAX_SDP_CHARS = 16_384;
/**
 * WebRTC signalling for voice, relayed by the server to one other person in the same world: an
 * offer (only to someone within earshot), its answer, ICE candidates, or a hang-up.
 */
export const VoiceSignalIntent = z
  .strictObject({
    type: z.literal('voiceSignal'),
    /** The session id of the person it is for. */
    to: EntityId,
    kind: z.enum(['offer', 'answer', 'candidate', 'bye']),
    sdp: z.string().min(1).max(MAX_SDP_CHARS).optional(),
    candidate: VoiceCandidate.optional(),
  })
  .refine((s) => (s.kind === 'offer' || s.kind === 'answer' ? s.sdp !== undefined && s.candidate === undefined : s.sdp === undefined), {
    message: 'an offer or answer carries an sdp, a candidate or bye does not',
  })
  .refine((s) => (s.kind === 'candidate') === (s.candidate !== undefined), { message: 'a candidate carries a candidate, and nothing else does' });
export type VoiceSignalIntent = z.infer<typeof VoiceSignalIntent>;
/** A relayed signal as its receiver gets it: who it is from, and what they sent. */
export type VoiceSignal = Omit<VoiceSignalIntent, 'type' | 'to'> & { from: string };

/** The longest chat message, in characters. */
export const MAX_CHAT_CHARS = 500;
/** Chat text: control characters other than line breaks removed, trimmed, then 1 to {@link MAX_CHAT_CHARS} characters. */
export const ChatText = z
  .string()
  .max(MAX_CHAT_CHARS * 4)
  .transform((s) => s.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0009\u000b-\u001f\u007f]/g, '').replace(/\n{3,}/g, '\n\n').trim())
  .pipe(z.string().min(1, 'say something').max(MAX_CHAT_CHARS, `at most ${MAX_CHAT_CHARS} characters`));
/** A message to everyone in the world, kept with the world for a while. */
export const ChatIntent = z.strictObject({ type: z.literal('chat'), text: ChatText });
/** The reactions a person can send: names on the wire, drawn as emoji by the client. */
export const REACTIONS = ['agree', 'heart', 'laugh', 'wow', 'party', 'question'] as const;
export type Reaction = (typeof REACTIONS)[number];
/** A short burst above the sender's avatar, seen by everyone here; not kept. */
export const ReactIntent = z.strictObject({ type: z.literal('react'), reaction: z.enum(REACTIONS) });
/** Raises or lowers the sender's hand: shown above their avatar and beside their name. */
export const HandIntent = z.strictObject({ type: z.literal('hand'), raised: z.boolean() });
/** The owner gives or takes a megaphone: its holder is heard by everyone in the world, not only nearby. */
export const MegaphoneIntent = z.strictObject({ type: z.literal('megaphone'), participantId: EntityId, on: z.boolean() });
/** The owner mutes every microphone in the world but their own; each person may unmute again. */
export const MuteAllIntent = z.strictObject({ type: z.literal('muteAll') });

/** A catalogue kind (shared/model/props) or the id of one of the world's uploaded models. */
export const PropKindId = z.string().min(1).max(40).regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and -');
const PropScale = z.number().min(MIN_SCALE).max(MAX_SCALE);
/** Places a new prop; editors and owners only. The server gives it an id. */
export const PropAddIntent = z.strictObject({
  type: z.literal('propAdd'),
  kind: PropKindId,
  position: Vec3,
  rotation: Quat.optional(),
  scale: PropScale.optional(),
});
/** Takes hold of a prop to move it, as with documents: one holder at a time, granted by the server. */
export const PropGrabIntent = z.strictObject({ type: z.literal('propGrab'), propId: EntityId });
export const PropMoveIntent = z.strictObject({
  type: z.literal('propMove'),
  propId: EntityId,
  position: Vec3,
  rotation: Quat.optional(),
  scale: PropScale.optional(),
});
export const PropReleaseIntent = z.strictObject({ type: z.literal('propRelease'), propId: EntityId });
export const PropDeleteIntent = z.strictObject({ type: z.literal('propDelete'), propId: EntityId });
/** Takes back the sender's own last change to the layout (an add, a move from grab to release, a delete). */
export const PropUndoIntent = z.strictObject({ type: z.literal('propUndo') });

/** How a person looks: stylised, chosen in the lobby or the world, kept with the account (or the browser). */
export const AvatarLook = z.strictObject({
  /** Shirt and hands' sleeve colour. */
  body: Colour,
  skin: Colour,
  hair: z.enum(['none', 'short', 'long', 'curly', 'bun']),
  hairColour: Colour,
  headwear: z.enum(['none', 'cap', 'beanie', 'headphones']),
  glasses: z.enum(['none', 'round', 'square', 'shades']),
});
export type AvatarLook = z.infer<typeof AvatarLook>;
/** Changes how the sender looks to everyone; their own appearance only. */
export const AvatarIntent = z.strictObject({ type: z.literal('avatar'), look: AvatarLook });

export const Intent = z.discriminatedUnion('type', [
  PoseIntent,
  GrabIntent,
  MoveIntent,
  ReleaseIntent,
  PageIntent,
  NoteAddIntent,
  NoteEditIntent,
  NoteDeleteIntent,
  RunStartIntent,
  RunCancelIntent,
  RunAnswerIntent,
  NeuralCommandIntent,
  NeuralSourcesIntent,
  PropAddIntent,
  PropGrabIntent,
  PropMoveIntent,
  PropReleaseIntent,
  PropDeleteIntent,
  PropUndoIntent,
  AvatarIntent,
  VoiceSignalIntent,
  ChatIntent,
  ReactIntent,
  HandIntent,
  MegaphoneIntent,
  MuteAllIntent,
]);
export type Intent = z.infer<typeof Intent>;
export type IntentType = Intent['type'];
export const INTENT_TYPES: readonly IntentType[] = [
  'pose',
  'grab',
  'move',
  'release',
  'page',
  'noteAdd',
  'noteEdit',
  'noteDelete',
  'runStart',
  'runCancel',
  'runAnswer',
  'neuralCommand',
  'neuralSources',
  'propAdd',
  'propGrab',
  'propMove',
  'propRelease',
  'propDelete',
  'propUndo',
  'avatar',
  'voiceSignal',
  'chat',
  'react',
  'hand',
  'megaphone',
  'muteAll',
];

export function isIntentType(type: unknown): type is IntentType {
  return typeof type === 'string' && (INTENT_TYPES as readonly string[]).includes(type);
}

export const DisplayName = z
  .string()
  .transform((s) => s.replace(/[\u0000-\u001f\u007f]/g, '').trim())
  .pipe(z.string().min(1, 'a display name is required').max(MAX_NAME_LENGTH));

/** Options a client passes when joining a world room. */
export const JoinOptions = z.object({
  protocol: z.number().int(),
  worldId: EntityId,
  name: DisplayName,
  colour: Colour.optional(),
  device: Device.default('desktop'),
  /** An access token: the participant joins as that account, named after it. Absent: a guest. */
  token: z.string().min(1).max(4096).optional(),
  /** How this person looks; absent: a look made from their colour. */
  look: AvatarLook.optional(),
});
export type JoinOptions = z.input<typeof JoinOptions>;

/**
 * Close codes of the connections this server ends on purpose, each with a reason the client shows.
 * They live in 4900–4999, a range Colyseus does not use: its own codes (4000 consented, 4001 server
 * shutdown, 4002 error, 4003 failed to reconnect, 4010 may try to reconnect) mean the connection
 * failed, not that a person was sent away, and reading one as ours would tell someone who merely
 * lost the network that they were removed.
 */
export const WorldClose = {
  /** The world's owner removed this person: they may not come back unless invited again. */
  REMOVED: 4900,
  /** The client sent far more messages than allowed and kept on; it may join again, slower. */
  FLOODING: 4901,
  /** The sign-in the connection was opened with has ended (signed out, or the password changed). */
  SIGNED_OUT: 4902,
} as const;
export type WorldClose = (typeof WorldClose)[keyof typeof WorldClose];

/** Server → client events sent as room messages. */
export const ServerEvent = {
  ERROR: 'error',
  /** Your role in this world changed: `RoleChange`. */
  ROLE: 'role',
  NEURAL_ACCEPTED: 'neuralAccepted',
  /** Voice signalling from another person in the world: `VoiceSignal`. */
  VOICE_SIGNAL: 'voiceSignal',
  /** A chat message said in the world: `ChatMessage`. */
  CHAT: 'chat',
  /** The world's recent chat, sent once on joining: `ChatHistory`. */
  CHAT_HISTORY: 'chatHistory',
  /** Someone reacted: `ReactionEvent`. */
  REACTION: 'reaction',
  /** The owner muted everyone: `MutedEvent`. */
  MUTED: 'muted',
  /** How to reach the others' browsers for voice, sent on joining: `VoiceConfig`. */
  VOICE_CONFIG: 'voiceConfig',
  /** To administrators only: an alert fired, escalated or resolved: `AlertNotice`. */
  ALERT: 'alert',
} as const;

/** What an administrator in a world is told of an alert (the dashboard has the rest). */
export interface AlertNotice {
  kind: 'fired' | 'escalated' | 'resolved';
  severity: 'warning' | 'critical';
  message: string;
}

/** A STUN or TURN server for WebRTC, as RTCIceServer has it. */
export const IceServer = z.strictObject({
  urls: z.union([z.string(), z.array(z.string()).min(1).max(8)]).refine((u) => (Array.isArray(u) ? u : [u]).every((x) => /^(stun|stuns|turn|turns):[^\s]{1,250}$/.test(x)), {
    message: 'each url starts with stun:, stuns:, turn: or turns:',
  }),
  username: z.string().max(256).optional(),
  credential: z.string().max(256).optional(),
});
export type IceServer = z.infer<typeof IceServer>;

/** The STUN/TURN servers voice uses (none on a LAN). */
export interface VoiceConfig {
  iceServers: IceServer[];
}

/** One chat message as everyone sees it. The text is plain text: clients show it as text, never as markup. */
export interface ChatMessage {
  id: string;
  /** The sender's session id when they sent it. */
  from: string;
  name: string;
  colour: string;
  text: string;
  /** When the server took it, in milliseconds since the epoch. */
  at: number;
}

export interface ChatHistory {
  messages: ChatMessage[];
}

export interface ReactionEvent {
  from: string;
  reaction: Reaction;
}

/** Told to everyone but the owner who muted them; they may unmute again. */
export interface MutedEvent {
  by: string;
  message: string;
}

/** Sent to a participant whose role the owner changed; it applies from this moment. */
export interface RoleChange {
  role: 'owner' | 'editor' | 'viewer';
  message: string;
}

/** Told to the participant whose neural command a waiting run took. */
export interface NeuralAccepted {
  command: string;
  runIds: string[];
}

/** Answer to an intent that was refused; nothing changed. */
export interface IntentError {
  code: ErrorCode;
  message: string;
  /** The intent type that was refused, when it could be read. */
  intent: string | null;
}

/** Human-readable summary of a zod failure: the first few issues with their paths. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
}
