/**
 * What the audit log says about an accepted intent: its target and the relevant fields before and
 * after. Poses and the moves of a drag are not entries of their own (dozens a second); a drag is
 * one entry at its release, from where the document was taken to where it was put down.
 */
import type { Intent } from '../../shared/protocol';
import type { Effect } from '../../shared/model/world';
import type { WorldState } from '../../shared/schema/WorldState';

export interface IntentAudit {
  target: { type: string; id: string };
  before?: unknown;
  after?: unknown;
}

type Vec3 = [number, number, number];
const round = (n: number) => Math.round(n * 1000) / 1000;

export function auditIntent(intent: Intent, effects: readonly Effect[], state: WorldState, takenFrom: Map<string, Vec3>): IntentAudit | null {
  const placeOf = (docId: string): Vec3 | undefined => {
    const d = state.documents.get(docId);
    return d ? [round(d.x), round(d.y), round(d.z)] : undefined;
  };
  switch (intent.type) {
    case 'pose':
    case 'move':
      return null;
    case 'grab': {
      const at = placeOf(intent.docId);
      if (at) takenFrom.set(intent.docId, at);
      return { target: { type: 'document', id: intent.docId }, after: { heldAt: at } };
    }
    case 'release': {
      const from = takenFrom.get(intent.docId);
      takenFrom.delete(intent.docId);
      return { target: { type: 'document', id: intent.docId }, before: { position: from }, after: { position: placeOf(intent.docId) } };
    }
    case 'page': {
      const d = state.documents.get(intent.docId);
      return { target: { type: 'document', id: intent.docId }, before: { page: d?.page, spread: d?.spread }, after: { page: intent.page, spread: intent.spread ?? d?.spread } };
    }
    case 'noteAdd': {
      const added = effects.find((e): e is Extract<Effect, { op: 'noteAdd' }> => e.op === 'noteAdd');
      return { target: { type: 'note', id: added?.note.id ?? '' }, after: { documentId: intent.docId, page: intent.page, text: intent.text } };
    }
    case 'noteEdit':
    case 'noteDelete': {
      const n = state.annotations.get(intent.noteId);
      const before = n ? { text: n.text, colour: n.colour } : undefined;
      const after = intent.type === 'noteEdit' ? { text: intent.text ?? n?.text, colour: intent.colour ?? n?.colour } : undefined;
      return { target: { type: 'note', id: intent.noteId }, ...(before ? { before } : {}), ...(after ? { after } : {}) };
    }
    case 'runStart':
      return { target: { type: 'workflow', id: intent.workflowId }, after: { documentId: intent.documentId, priority: intent.priority } };
    case 'runCancel':
      return { target: { type: 'run', id: intent.runId } };
    case 'runAnswer':
      return { target: { type: 'run', id: intent.runId }, after: { approved: intent.approved, comment: intent.comment } };
    case 'neuralCommand':
    case 'neuralSources':
      // recorded by the room once the waiting runs have judged it (accepted or refused, with why)
      return null;
    case 'voiceSignal':
      // call set-up changes nothing in the world, and dozens of candidates would drown the log
      return null;
    case 'chat':
    case 'react':
    case 'hand':
      // conversation, not changes: the chat is kept by itself, within its retention
      return null;
    case 'megaphone':
      return { target: { type: 'participant', id: intent.participantId }, after: { megaphone: intent.on } };
    case 'muteAll':
      return { target: { type: 'participant', id: '*' }, after: { muted: true } };
    case 'propAdd':
    case 'propGrab':
    case 'propMove':
    case 'propRelease':
    case 'propDelete':
    case 'propUndo':
    case 'avatar':
      return auditPropIntent(intent, effects, state, takenFrom);
  }
}

/** Props as documents: a move is one entry at its release, from where it was taken to where it was put. */
function auditPropIntent(intent: Extract<Intent, { type: `prop${string}` | 'avatar' }>, effects: readonly Effect[], state: WorldState, takenFrom: Map<string, Vec3>): IntentAudit | null {
  const placeOf = (propId: string): { kind: string; position: Vec3 } | undefined => {
    const p = state.props.get(propId);
    return p ? { kind: p.kind, position: [round(p.x), round(p.y), round(p.z)] } : undefined;
  };
  // documents' and props' ids share the map, so props' are marked
  const key = (propId: string) => `prop:${propId}`;
  const target = (id: string) => ({ type: 'prop', id });
  switch (intent.type) {
    case 'propMove':
      return null;
    case 'propAdd': {
      const put = effects.find((e): e is Extract<Effect, { op: 'propPut' }> => e.op === 'propPut');
      return { target: target(put?.prop.id ?? ''), after: { kind: intent.kind, position: intent.position.map(round) } };
    }
    case 'propGrab': {
      const at = placeOf(intent.propId);
      if (at) takenFrom.set(key(intent.propId), at.position);
      return { target: target(intent.propId), after: { heldAt: at?.position } };
    }
    case 'propRelease': {
      const from = takenFrom.get(key(intent.propId));
      takenFrom.delete(key(intent.propId));
      return { target: target(intent.propId), before: { position: from }, after: { position: placeOf(intent.propId)?.position } };
    }
    case 'propDelete':
      takenFrom.delete(key(intent.propId));
      return { target: target(intent.propId), before: placeOf(intent.propId) };
    case 'propUndo': {
      const put = effects.find((e): e is Extract<Effect, { op: 'propPut' }> => e.op === 'propPut');
      const removed = effects.find((e): e is Extract<Effect, { op: 'propDelete' }> => e.op === 'propDelete');
      const id = put?.prop.id ?? removed?.propId ?? '';
      return { target: target(id), before: placeOf(id), ...(put ? { after: { kind: put.prop.kind, position: put.prop.position.map(round) } } : {}) };
    }
    case 'avatar': {
      const look = effects.find((e): e is Extract<Effect, { op: 'look' }> => e.op === 'look');
      return { target: { type: 'participant', id: look?.participantId ?? '' }, after: intent.look };
    }
  }
}
