/**
 * Applies decided effects to a world's synchronised state, and converts stored records to state.
 * Returns what each change means for storage so the room can persist it.
 */
import type { Effect } from '../../shared/model/world';
import type { AnnotationRecord, DocumentRecord } from '../../shared/model/documents';
import type { Device, Pose } from '../../shared/protocol';
import { AnnotationState, DocumentState, type PoseState, type WorldState } from '../../shared/schema/WorldState';
import { applyPropEffect } from './propSync';
import { setRun } from './workflowSync';

/** What an applied effect asks of storage. */
export type Persist =
  | { kind: 'none' }
  | { kind: 'placement'; docId: string }
  | { kind: 'dropped'; docId: string }
  | { kind: 'view'; docId: string }
  | { kind: 'notePut'; noteId: string }
  | { kind: 'noteDelete'; noteId: string }
  /** The world's layout changed: written at once, or (while a prop is dragged) on the next flush. */
  | { kind: 'layout'; now: boolean };

const NONE: Persist = { kind: 'none' };
/** How much of a text document travels in the state as a preview. */
export const PREVIEW_CHARS = 400;

export function setPose(target: PoseState, pose: Pose | null): void {
  target.tracked = pose !== null;
  if (!pose) return;
  [target.px, target.py, target.pz, target.qx, target.qy, target.qz, target.qw] = pose;
}

/** What of a participant's pose goes into the state: the parts given (a pose, or only the device). */
export interface PoseWrite {
  participantId: string;
  head?: Pose;
  left?: Pose | null;
  right?: Pose | null;
  device?: Device;
}

export function applyPoseWrite(state: WorldState, write: PoseWrite): void {
  const p = state.participants.get(write.participantId);
  if (!p) return;
  if (write.head) setPose(p.head, write.head);
  if (write.left !== undefined) setPose(p.left, write.left);
  if (write.right !== undefined) setPose(p.right, write.right);
  if (write.device && p.device !== write.device) p.device = write.device;
}

export function applyEffect(state: WorldState, effect: Effect): Persist {
  switch (effect.op) {
    case 'pose':
      applyPoseWrite(state, effect);
      return NONE;
    case 'hold': {
      const doc = state.documents.get(effect.docId);
      if (!doc) return NONE;
      doc.heldBy = effect.holder;
      return effect.holder ? NONE : { kind: 'dropped', docId: effect.docId };
    }
    case 'transform': {
      const doc = state.documents.get(effect.docId);
      if (!doc) return NONE;
      [doc.x, doc.y, doc.z] = effect.position;
      if (effect.rotation) [doc.qx, doc.qy, doc.qz, doc.qw] = effect.rotation;
      if (effect.scale !== undefined) doc.scale = effect.scale;
      return { kind: 'placement', docId: effect.docId };
    }
    case 'page': {
      const doc = state.documents.get(effect.docId);
      if (!doc) return NONE;
      doc.page = effect.page;
      if (effect.spread !== undefined) doc.spread = effect.spread;
      return { kind: 'view', docId: effect.docId };
    }
    case 'noteAdd': {
      const n = new AnnotationState();
      Object.assign(n, effect.note);
      state.annotations.set(n.id, n);
      return { kind: 'notePut', noteId: n.id };
    }
    case 'noteEdit': {
      const n = state.annotations.get(effect.noteId);
      if (!n) return NONE;
      if (effect.text !== undefined) n.text = effect.text;
      if (effect.colour !== undefined) n.colour = effect.colour;
      if (effect.u !== undefined) n.u = effect.u;
      if (effect.v !== undefined) n.v = effect.v;
      return { kind: 'notePut', noteId: n.id };
    }
    case 'noteDelete':
      state.annotations.delete(effect.noteId);
      return { kind: 'noteDelete', noteId: effect.noteId };
    case 'runProgress':
      // runs are stored by the engine; the world shows only the recent ones
      setRun(state, effect.run);
      return NONE;
    case 'runStart':
    case 'runCancel':
    case 'runAnswer':
    case 'neuralCommand':
    case 'neuralSources':
      // commands for the workflow engine: the room carries them out; the state follows the run
      return NONE;
    case 'voiceSignal':
    case 'chat':
    case 'react':
    case 'muteAll':
      // messages the room passes on (chat is kept by the room's chat log); nothing in the state
      return NONE;
    case 'hand': {
      const p = state.participants.get(effect.participantId);
      if (p) p.hand = effect.raised;
      return NONE;
    }
    case 'megaphone': {
      const p = state.participants.get(effect.participantId);
      if (p) p.megaphone = effect.on;
      return NONE;
    }
    case 'propPut':
    case 'propTransform':
    case 'propHold':
    case 'propDelete':
      return applyPropEffect(state, effect);
    case 'look': {
      const p = state.participants.get(effect.participantId);
      if (p) p.look = JSON.stringify(effect.look);
      return NONE;
    }
    default: {
      const unreachable: never = effect;
      throw new Error(`unhandled effect ${JSON.stringify(unreachable)}`);
    }
  }
}

export function toDocumentState(doc: DocumentRecord, preview: string): DocumentState {
  const d = new DocumentState();
  d.id = doc.id;
  d.title = doc.title;
  d.kind = doc.kind;
  d.mime = doc.mime;
  d.size = doc.size;
  d.contentHash = doc.contentHash;
  d.body = preview;
  [d.x, d.y, d.z] = doc.position;
  [d.qx, d.qy, d.qz, d.qw] = doc.rotation;
  d.scale = doc.scale;
  d.page = doc.page;
  d.spread = doc.spread;
  d.heldBy = '';
  return d;
}

export function toAnnotationState(note: AnnotationRecord): AnnotationState {
  const n = new AnnotationState();
  const { worldId: _w, createdAt: _c, updatedAt: _u, ...fields } = note;
  Object.assign(n, fields);
  return n;
}
