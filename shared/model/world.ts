/**
 * Pure rules of a world: given what the world looks like and an intent from a participant, decide
 * what changes or why nothing may. No I/O here; the room applies the decision to its state.
 */
import { ErrorCode, type Intent, type Pose, type Quat, type Vec3 } from '../protocol';

/** What the rules need to know about a document. */
export interface DocumentView {
  readonly heldBy: string;
}

/** What the rules need to know about a world. */
export interface WorldView {
  document(id: string): DocumentView | undefined;
}

export type Effect =
  | { op: 'pose'; participantId: string; head: Pose; left: Pose | null; right: Pose | null }
  | { op: 'hold'; docId: string; holder: string }
  | { op: 'transform'; docId: string; position: Vec3; rotation?: Quat; scale?: number };

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

/** Decides the effect of an already-validated intent sent by `actor`. */
export function decide(world: WorldView, actor: string, intent: Intent): Decision {
  switch (intent.type) {
    case 'pose':
      return accept({
        op: 'pose',
        participantId: actor,
        head: normalisePose(intent.head),
        left: intent.left && normalisePose(intent.left),
        right: intent.right && normalisePose(intent.right),
      });
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
    default: {
      const unreachable: never = intent;
      return refuse(ErrorCode.UNKNOWN_INTENT, `Unknown intent ${JSON.stringify(unreachable)}`);
    }
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
