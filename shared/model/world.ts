/**
 * Pure rules of a world: given what the world looks like and an intent from a participant, decide
 * what changes or why nothing may. No I/O here; the room applies the decision to its state.
 */
import { ErrorCode, type AvatarLook, type Device, type Intent, type NeuralSourceKind, type Pose, type Quat, type Reaction, type Vec3, type VoiceSignal } from '../protocol';
import { VOICE_MAX_LISTENERS, VOICE_MAX_PEERS, withinEarshot } from './voice';
import type { AnnotationRecord } from './documents';
import { MAX_PROPS, type PropRecord } from './props';
import type { RunSummary } from './runs';

/** What the rules need to know about a document. */
export interface DocumentView {
  readonly heldBy: string;
}

export interface NoteView {
  readonly documentId: string;
}

export interface RunView {
  readonly status: string;
}

/** What the rules need to know about a prop. */
export interface PropView {
  readonly heldBy: string;
}

/** One change to the layout a person can take back: the prop as it was before (null: it did not exist). */
export interface UndoStep {
  propId: string;
  before: PropRecord | null;
}

/** What the rules need to know about a world. */
export interface WorldView {
  document(id: string): DocumentView | undefined;
  note(id: string): NoteView | undefined;
  workflow(id: string): object | undefined;
  run(id: string): RunView | undefined;
  prop(id: string): PropView | undefined;
  /** Whether props of this kind may be placed here: a catalogue kind or one of the world's uploaded models. */
  propKind(kind: string): boolean;
  propCount(): number;
  /** The participant's most recent change to the layout that they have not undone. */
  lastChange(participantId: string): UndoStep | undefined;
  /** Where a participant's head is (undefined: not in this world). */
  headOf(participantId: string): readonly number[] | undefined;
  /** Whether `from` has offered `to` a voice call that neither has hung up. */
  voiceOffered(from: string, to: string): boolean;
  /** How many voice calls a participant has offered or been offered. */
  voiceCalls(participantId: string): number;
  /** Whether a participant is heard by everyone in the world (they hold the megaphone or stand on the stage). */
  heardEverywhere(participantId: string): boolean;
}

/** Who is acting, and what the rules may need from the room to act (new ids). */
export interface Actor {
  id: string;
  name: string;
  colour: string;
  newId(): string;
}

/** A note as the rules create it; the room adds where and when it is stored. */
export type NewNote = Omit<AnnotationRecord, 'worldId' | 'createdAt' | 'updatedAt'>;

export type Effect =
  | { op: 'pose'; participantId: string; head: Pose; left: Pose | null; right: Pose | null; device?: Device }
  | { op: 'hold'; docId: string; holder: string }
  | { op: 'transform'; docId: string; position: Vec3; rotation?: Quat; scale?: number }
  | { op: 'page'; docId: string; page: number; spread?: number }
  | { op: 'noteAdd'; note: NewNote }
  | { op: 'noteEdit'; noteId: string; text?: string; colour?: string; u?: number; v?: number }
  | { op: 'noteDelete'; noteId: string }
  /** Work the room hands to the workflow engine; its progress comes back as `runProgress`. */
  | { op: 'runStart'; workflowId: string; documentId?: string; priority: 'low' | 'normal' | 'high' | 'critical'; by: string }
  | { op: 'runCancel'; runId: string; by: string }
  | { op: 'runAnswer'; runId: string; approved: boolean; comment: string; by: string }
  /** A neural command for the room to hand to the waiting runs; `by` is the participant id. */
  | { op: 'neuralCommand'; command: string; confidence: number; source: NeuralSourceKind; runId?: string; by: string }
  | { op: 'neuralSources'; sources: NeuralSourceKind[]; by: string }
  /** Where a run of one of the world's workflows has got to, as the engine recorded it. */
  | { op: 'runProgress'; run: RunSummary }
  /**
   * A prop placed (or put back as it was). `by` made the change; the room keeps it for their undo,
   * unless `undo` says this change takes one back.
   */
  | { op: 'propPut'; prop: PropRecord; by: string; undo?: true }
  | { op: 'propTransform'; propId: string; position: Vec3; rotation?: Quat; scale?: number }
  /** Taking hold of a prop starts an undoable change (the move); letting go ends it. */
  | { op: 'propHold'; propId: string; holder: string }
  | { op: 'propDelete'; propId: string; by: string; undo?: true }
  | { op: 'look'; participantId: string; look: AvatarLook }
  /** Voice signalling for the room to relay to `to` alone; an offer opens a call between the two, a bye ends it. */
  | { op: 'voiceSignal'; to: string; signal: VoiceSignal }
  /** A chat message for the room to keep with the world and then pass to everyone here. */
  | { op: 'chat'; from: string; name: string; colour: string; text: string }
  /** A reaction for the room to pass to everyone here; nothing is kept. */
  | { op: 'react'; from: string; reaction: Reaction }
  | { op: 'hand'; participantId: string; raised: boolean }
  | { op: 'megaphone'; participantId: string; on: boolean }
  /** Everyone but `by` is told to mute their microphone. */
  | { op: 'muteAll'; by: string; name: string };

export type Decision =
  | { ok: true; effects: Effect[] }
  | { ok: false; code: ErrorCode; message: string };

const refuse = (code: ErrorCode, message: string): Decision => ({ ok: false, code, message });
const accept = (...effects: Effect[]): Decision => ({ ok: true, effects });

/** Returns the quaternion scaled to unit length; a degenerate one becomes the identity. */
export function normaliseQuat(q: readonly number[]): Quat {
  const [x = 0, y = 0, z = 0, w = 1] = q;
  const len = Math.hypot(x, y, z, w);
  if (!(len > 1e-6)) return [0, 0, 0, 1];
  return [x / len, y / len, z / len, w / len];
}

function normalisePose(p: Pose): Pose {
  const [qx, qy, qz, qw] = normaliseQuat(p.slice(3));
  return [p[0], p[1], p[2], qx, qy, qz, qw];
}

const NOTE_COLOUR = '#ffd54f';

/** Decides the effect of an already-validated intent sent by `who`. */
export function decide(world: WorldView, who: Actor, intent: Intent): Decision {
  const actor = who.id;
  switch (intent.type) {
    case 'pose': {
      const effect: Effect = {
        op: 'pose',
        participantId: actor,
        head: normalisePose(intent.head),
        left: intent.left && normalisePose(intent.left),
        right: intent.right && normalisePose(intent.right),
      };
      if (intent.device) effect.device = intent.device;
      return accept(effect);
    }
    case 'grab': {
      const doc = world.document(intent.docId);
      if (!doc) return refuse(ErrorCode.DOCUMENT_NOT_FOUND, `No document "${intent.docId}" in this world.`);
      if (doc.heldBy === actor) return accept();
      if (doc.heldBy) return refuse(ErrorCode.HELD_BY_OTHER, 'Someone else is holding this document.');
      return accept({ op: 'hold', docId: intent.docId, holder: actor });
    }
    case 'move': {
      const doc = world.document(intent.docId);
      if (!doc) return refuse(ErrorCode.DOCUMENT_NOT_FOUND, `No document "${intent.docId}" in this world.`);
      if (doc.heldBy !== actor) return refuse(ErrorCode.NOT_HOLDER, 'Grab the document before moving it.');
      const effect: Effect = { op: 'transform', docId: intent.docId, position: intent.position };
      if (intent.rotation) effect.rotation = normaliseQuat(intent.rotation);
      if (intent.scale !== undefined) effect.scale = intent.scale;
      return accept(effect);
    }
    case 'release': {
      const doc = world.document(intent.docId);
      if (!doc) return refuse(ErrorCode.DOCUMENT_NOT_FOUND, `No document "${intent.docId}" in this world.`);
      if (doc.heldBy !== actor) return refuse(ErrorCode.NOT_HOLDER, 'You are not holding this document.');
      return accept({ op: 'hold', docId: intent.docId, holder: '' });
    }
    case 'page': {
      if (!world.document(intent.docId)) return refuse(ErrorCode.DOCUMENT_NOT_FOUND, `No document "${intent.docId}" in this world.`);
      const effect: Effect = { op: 'page', docId: intent.docId, page: intent.page };
      if (intent.spread !== undefined) effect.spread = intent.spread;
      return accept(effect);
    }
    case 'noteAdd': {
      if (!world.document(intent.docId)) return refuse(ErrorCode.DOCUMENT_NOT_FOUND, `No document "${intent.docId}" in this world.`);
      const { docId, page, u, v, text, colour } = intent;
      return accept({
        op: 'noteAdd',
        note: { id: who.newId(), documentId: docId, page, u, v, text, colour: colour ?? NOTE_COLOUR, author: who.name },
      });
    }
    case 'noteEdit': {
      if (!world.note(intent.noteId)) return refuse(ErrorCode.NOTE_NOT_FOUND, 'That note has been deleted.');
      const { type: _type, ...changes } = intent;
      return accept({ op: 'noteEdit', ...changes });
    }
    case 'noteDelete': {
      if (!world.note(intent.noteId)) return refuse(ErrorCode.NOTE_NOT_FOUND, 'That note has already been deleted.');
      return accept({ op: 'noteDelete', noteId: intent.noteId });
    }
    case 'runStart': {
      if (!world.workflow(intent.workflowId)) return refuse(ErrorCode.WORKFLOW_NOT_FOUND, 'That workflow is not in this world.');
      if (intent.documentId !== undefined && !world.document(intent.documentId)) {
        return refuse(ErrorCode.DOCUMENT_NOT_FOUND, `No document "${intent.documentId}" in this world.`);
      }
      const effect: Effect = { op: 'runStart', workflowId: intent.workflowId, priority: intent.priority, by: who.name };
      if (intent.documentId !== undefined) effect.documentId = intent.documentId;
      return accept(effect);
    }
    case 'runCancel': {
      const run = world.run(intent.runId);
      if (!run) return refuse(ErrorCode.RUN_NOT_FOUND, 'That run is not in this world.');
      if (['succeeded', 'failed', 'cancelled'].includes(run.status)) return refuse(ErrorCode.RUN_NOT_WAITING, `That run has already ${run.status}.`);
      return accept({ op: 'runCancel', runId: intent.runId, by: who.name });
    }
    case 'runAnswer': {
      const run = world.run(intent.runId);
      if (!run) return refuse(ErrorCode.RUN_NOT_FOUND, 'That run is not in this world.');
      if (run.status !== 'waiting') return refuse(ErrorCode.RUN_NOT_WAITING, 'That run is not waiting for an answer.');
      return accept({ op: 'runAnswer', runId: intent.runId, approved: intent.approved, comment: intent.comment, by: who.name });
    }
    case 'neuralCommand': {
      const { type: _type, ...command } = intent;
      if (command.runId !== undefined) {
        const run = world.run(command.runId);
        if (!run) return refuse(ErrorCode.RUN_NOT_FOUND, 'That run is not in this world.');
        if (run.status !== 'waiting') return refuse(ErrorCode.RUN_NOT_WAITING, 'That run is not waiting for a command.');
      }
      return accept({ op: 'neuralCommand', ...command, by: who.id });
    }
    case 'neuralSources':
      return accept({ op: 'neuralSources', sources: [...new Set(intent.sources)], by: who.id });
    case 'propAdd': {
      if (!world.propKind(intent.kind)) return refuse(ErrorCode.PROP_KIND_UNKNOWN, `There is no prop "${intent.kind}" in the catalogue or among this world's models.`);
      if (world.propCount() >= MAX_PROPS) return refuse(ErrorCode.LAYOUT_FULL, `This world already holds ${MAX_PROPS} props, as many as it may; remove some first.`);
      const prop: PropRecord = { id: who.newId(), kind: intent.kind, position: intent.position, rotation: normaliseQuat(intent.rotation ?? [0, 0, 0, 1]), scale: intent.scale ?? 1 };
      return accept({ op: 'propPut', prop, by: actor });
    }
    case 'propGrab': {
      const prop = world.prop(intent.propId);
      if (!prop) return refuse(ErrorCode.PROP_NOT_FOUND, 'That prop has been removed.');
      if (prop.heldBy === actor) return accept();
      if (prop.heldBy) return refuse(ErrorCode.HELD_BY_OTHER, 'Someone else is moving this prop.');
      return accept({ op: 'propHold', propId: intent.propId, holder: actor });
    }
    case 'propMove': {
      const prop = world.prop(intent.propId);
      if (!prop) return refuse(ErrorCode.PROP_NOT_FOUND, 'That prop has been removed.');
      if (prop.heldBy !== actor) return refuse(ErrorCode.NOT_HOLDER, 'Grab the prop before moving it.');
      const effect: Effect = { op: 'propTransform', propId: intent.propId, position: intent.position };
      if (intent.rotation) effect.rotation = normaliseQuat(intent.rotation);
      if (intent.scale !== undefined) effect.scale = intent.scale;
      return accept(effect);
    }
    case 'propRelease': {
      const prop = world.prop(intent.propId);
      if (!prop) return refuse(ErrorCode.PROP_NOT_FOUND, 'That prop has been removed.');
      if (prop.heldBy !== actor) return refuse(ErrorCode.NOT_HOLDER, 'You are not holding this prop.');
      return accept({ op: 'propHold', propId: intent.propId, holder: '' });
    }
    case 'propDelete': {
      const prop = world.prop(intent.propId);
      if (!prop) return refuse(ErrorCode.PROP_NOT_FOUND, 'That prop has already been removed.');
      if (prop.heldBy && prop.heldBy !== actor) return refuse(ErrorCode.HELD_BY_OTHER, 'Someone else is moving this prop.');
      return accept({ op: 'propDelete', propId: intent.propId, by: actor });
    }
    case 'propUndo': {
      const step = world.lastChange(actor);
      if (!step) return refuse(ErrorCode.NOTHING_TO_UNDO, 'You have no changes to the room left to undo.');
      const now = world.prop(step.propId);
      if (now?.heldBy && now.heldBy !== actor) return refuse(ErrorCode.HELD_BY_OTHER, 'Someone else is moving that prop now; undo when they let go.');
      // an undo that finds the prop already as it should be still takes the step off the list
      if (step.before) return accept({ op: 'propPut', prop: step.before, by: actor, undo: true });
      return accept({ op: 'propDelete', propId: step.propId, by: actor, undo: true });
    }
    case 'avatar':
      return accept({ op: 'look', participantId: actor, look: intent.look });
    case 'voiceSignal':
      return decideVoice(world, actor, intent);
    case 'chat':
      return accept({ op: 'chat', from: actor, name: who.name, colour: who.colour, text: intent.text });
    case 'react':
      return accept({ op: 'react', from: actor, reaction: intent.reaction });
    case 'hand':
      return accept({ op: 'hand', participantId: actor, raised: intent.raised });
    case 'megaphone':
      if (!world.headOf(intent.participantId)) return refuse(ErrorCode.PARTICIPANT_NOT_FOUND, 'That person is no longer in this world.');
      return accept({ op: 'megaphone', participantId: intent.participantId, on: intent.on });
    case 'muteAll':
      return accept({ op: 'muteAll', by: actor, name: who.name });
    default: {
      const unreachable: never = intent;
      return refuse(ErrorCode.UNKNOWN_INTENT, `Unknown intent ${JSON.stringify(unreachable)}`);
    }
  }
}

/**
 * Voice signalling goes only between two people in this world: a call is offered only to someone
 * within earshot (or between anyone and a person heard everywhere), and only a little more than
 * the mesh's share of calls at once (a person heard everywhere may call as many listeners as the
 * mesh allows them); an answer only to whoever offered; candidates only within a call. A hang-up is
 * always let through.
 */
function decideVoice(world: WorldView, actor: string, intent: Extract<Intent, { type: 'voiceSignal' }>): Decision {
  const { type: _type, to, ...signal } = intent;
  const relay = () => accept({ op: 'voiceSignal', to, signal: { ...signal, from: actor } });
  if (to === actor) return refuse(ErrorCode.VOICE_PEER_UNKNOWN, 'A voice call needs someone else.');
  const theirs = world.headOf(to);
  if (!theirs) return refuse(ErrorCode.VOICE_PEER_UNKNOWN, 'That person is not in this world.');
  const inCall = world.voiceOffered(actor, to) || world.voiceOffered(to, actor);
  switch (signal.kind) {
    case 'offer': {
      const mine = world.headOf(actor);
      const loud = world.heardEverywhere(actor);
      if (!mine || !(loud || world.heardEverywhere(to) || withinEarshot(mine, theirs))) return refuse(ErrorCode.VOICE_NOT_LINKED, 'That person is out of earshot: walk closer to talk.');
      const cap = loud ? VOICE_MAX_LISTENERS : 2 * VOICE_MAX_PEERS;
      if (!inCall && world.voiceCalls(actor) >= cap) return refuse(ErrorCode.VOICE_NOT_LINKED, `You are in ${cap} voice calls already; hang up one first.`);
      return relay();
    }
    case 'answer':
      return world.voiceOffered(to, actor) ? relay() : refuse(ErrorCode.VOICE_NOT_LINKED, 'That person has not offered you a voice call.');
    case 'candidate':
      return inCall ? relay() : refuse(ErrorCode.VOICE_NOT_LINKED, 'There is no voice call between you and that person.');
    case 'bye':
      return inCall ? relay() : accept();
  }
}

/** Effects that free every document held by a participant who left or dropped. */
export function releaseAllHeldBy(docs: Iterable<[string, DocumentView]>, participantId: string): Effect[] {
  const effects: Effect[] = [];
  for (const [docId, doc] of docs) {
    if (doc.heldBy === participantId) effects.push({ op: 'hold', docId, holder: '' });
  }
  return effects;
}

/** Effects that free every prop held by a participant who left or dropped. */
export function releasePropsHeldBy(props: Iterable<[string, PropView]>, participantId: string): Effect[] {
  const effects: Effect[] = [];
  for (const [propId, prop] of props) {
    if (prop.heldBy === participantId) effects.push({ op: 'propHold', propId, holder: '' });
  }
  return effects;
}

/** A hold and when its holder last did anything with the document. */
export interface HoldLease {
  holder: string;
  lastActivity: number;
}

/** Effects that free documents whose holder has been silent for longer than the lease. */
export function expiredHolds(leases: Iterable<[string, HoldLease]>, now: number, leaseMs: number): Effect[] {
  const effects: Effect[] = [];
  for (const [docId, lease] of leases) {
    if (lease.holder && now - lease.lastActivity > leaseMs) effects.push({ op: 'hold', docId, holder: '' });
  }
  return effects;
}
