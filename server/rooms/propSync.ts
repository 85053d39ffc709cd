/**
 * Props in a world's synchronised state: applying the prop effects the rules decide, and converting
 * between the state and the stored layout (one record of every prop).
 */
import type { PropRecord } from '../../shared/model/props';
import type { Effect } from '../../shared/model/world';
import { PropModelState, PropState, type WorldState } from '../../shared/schema/WorldState';
import type { UploadedPropKind } from '../../shared/model/props';

type PropEffect = Extract<Effect, { op: 'propPut' | 'propTransform' | 'propHold' | 'propDelete' }>;

/** What a prop change asks of storage: the layout now or on the next flush (while it is dragged). */
export type LayoutPersist = { kind: 'none' } | { kind: 'layout'; now: boolean };

const NONE: LayoutPersist = { kind: 'none' };

export function toPropState(prop: PropRecord, heldBy = ''): PropState {
  const p = new PropState();
  p.id = prop.id;
  p.kind = prop.kind;
  [p.x, p.y, p.z] = prop.position;
  [p.qx, p.qy, p.qz, p.qw] = prop.rotation;
  p.scale = prop.scale;
  p.heldBy = heldBy;
  return p;
}

export function toPropRecord(p: PropState): PropRecord {
  return { id: p.id, kind: p.kind, position: [p.x, p.y, p.z], rotation: [p.qx, p.qy, p.qz, p.qw], scale: p.scale };
}

/** The world's whole layout as it is stored. */
export function layoutOf(state: WorldState): PropRecord[] {
  return [...state.props.values()].map(toPropRecord);
}

export function toPropModelState(model: UploadedPropKind): PropModelState {
  const m = new PropModelState();
  m.id = model.id;
  m.name = model.name;
  m.contentHash = model.contentHash;
  return m;
}

export function applyPropEffect(state: WorldState, effect: PropEffect): LayoutPersist {
  switch (effect.op) {
    case 'propPut': {
      const was = state.props.get(effect.prop.id);
      // putting a prop back (an undo) does not take it out of its mover's hands
      const heldBy = was && was.heldBy === effect.by ? was.heldBy : '';
      if (was) {
        Object.assign(was, toPropRecordFields(effect.prop), { heldBy });
      } else {
        state.props.set(effect.prop.id, toPropState(effect.prop, heldBy));
      }
      return { kind: 'layout', now: true };
    }
    case 'propTransform': {
      const p = state.props.get(effect.propId);
      if (!p) return NONE;
      [p.x, p.y, p.z] = effect.position;
      if (effect.rotation) [p.qx, p.qy, p.qz, p.qw] = effect.rotation;
      if (effect.scale !== undefined) p.scale = effect.scale;
      return { kind: 'layout', now: false };
    }
    case 'propHold': {
      const p = state.props.get(effect.propId);
      if (!p) return NONE;
      p.heldBy = effect.holder;
      return effect.holder ? NONE : { kind: 'layout', now: true };
    }
    case 'propDelete':
      if (!state.props.has(effect.propId)) return NONE;
      state.props.delete(effect.propId);
      return { kind: 'layout', now: true };
  }
}

function toPropRecordFields(prop: PropRecord) {
  const [x, y, z] = prop.position;
  const [qx, qy, qz, qw] = prop.rotation;
  return { kind: prop.kind, x, y, z, qx, qy, qz, qw, scale: prop.scale };
}
