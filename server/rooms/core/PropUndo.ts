/**
 * Each person's own recent changes to a world's layout, newest last, so they can take them back one
 * at a time: an add (undone by removing the prop), a move from grab to release (undone by putting
 * the prop back) and a removal (undone by putting it back). Kept while the person is in the world.
 */
import { UNDO_DEPTH, type PropRecord } from '../../../shared/model/props';
import type { Effect, UndoStep } from '../../../shared/model/world';

type PropEffect = Extract<Effect, { op: 'propPut' | 'propHold' | 'propDelete' }>;

const same = (a: PropRecord, b: PropRecord): boolean =>
  a.kind === b.kind && a.scale === b.scale && a.position.every((v, i) => v === b.position[i]) && a.rotation.every((v, i) => v === b.rotation[i]);

export class PropUndo {
  private readonly steps = new Map<string, UndoStep[]>();
  /** The step a move opened, by mover: dropped at the release when the prop did not move. */
  private readonly moving = new Map<string, UndoStep>();

  constructor(private readonly depth = UNDO_DEPTH) {}

  /** The person's newest step not yet undone. */
  last(personId: string): UndoStep | undefined {
    const list = this.steps.get(personId);
    return list?.[list.length - 1];
  }

  /**
   * Notes an effect about to be applied. `now` is the prop as it is before the effect (undefined:
   * there is none) and `holder` whoever holds it.
   */
  record(effect: PropEffect, now: PropRecord | undefined, holder: string): void {
    switch (effect.op) {
      case 'propPut':
        if (effect.undo) this.pop(effect.by);
        else if (!now) this.push(effect.by, { propId: effect.prop.id, before: null });
        return;
      case 'propHold':
        if (effect.holder && now) {
          const step: UndoStep = { propId: effect.propId, before: now };
          this.moving.set(effect.holder, step);
          this.push(effect.holder, step);
        } else if (!effect.holder && holder) {
          this.endMove(holder, effect.propId, now);
        }
        return;
      case 'propDelete':
        if (effect.undo) return this.pop(effect.by);
        this.endMove(effect.by, effect.propId, now);
        if (now) this.push(effect.by, { propId: effect.propId, before: now });
        return;
    }
  }

  /** Forgets a person's history (they left the world). */
  forget(personId: string): void {
    this.steps.delete(personId);
    this.moving.delete(personId);
  }

  /** A move ends: a grab that changed nothing leaves no step to undo. */
  private endMove(personId: string, propId: string, now: PropRecord | undefined): void {
    const step = this.moving.get(personId);
    if (!step || step.propId !== propId) return;
    this.moving.delete(personId);
    const list = this.steps.get(personId);
    if (now && step.before && list?.[list.length - 1] === step && same(step.before, now)) list.pop();
  }

  private push(personId: string, step: UndoStep): void {
    const list = this.steps.get(personId) ?? [];
    list.push(step);
    if (list.length > this.depth) list.splice(0, list.length - this.depth);
    this.steps.set(personId, list);
  }

  private pop(personId: string): void {
    const list = this.steps.get(personId);
    const step = list?.pop();
    // the undone step may be a move still open (undone while held): it has nothing left to end
    if (step && this.moving.get(personId) === step) this.moving.delete(personId);
  }
}
