import { describe, expect, it } from 'vitest';
import type { PropRecord } from '../../../shared/model/props';
import { PropUndo } from './PropUndo';

const chair = (x: number): PropRecord => ({ id: 'p1', kind: 'chair', position: [x, 0, 0], rotation: [0, 0, 0, 1], scale: 1 });

describe('each person\'s undo history', () => {
  it('PROP-4: keeps an add, a move and a removal, newest last, and pops on an undo', () => {
    const u = new PropUndo();
    u.record({ op: 'propPut', prop: { ...chair(0), id: 'p9' }, by: 'ann' }, undefined, '');
    u.record({ op: 'propHold', propId: 'p1', holder: 'ann' }, chair(0), '');
    u.record({ op: 'propHold', propId: 'p1', holder: '' }, chair(2), 'ann');
    u.record({ op: 'propDelete', propId: 'p1', by: 'ann' }, chair(2), '');
    expect(u.last('ann')).toEqual({ propId: 'p1', before: chair(2) });
    u.record({ op: 'propPut', prop: chair(2), by: 'ann', undo: true }, undefined, '');
    expect(u.last('ann')).toEqual({ propId: 'p1', before: chair(0) });
    u.record({ op: 'propPut', prop: chair(0), by: 'ann', undo: true }, chair(2), '');
    expect(u.last('ann')).toEqual({ propId: 'p9', before: null });
    u.record({ op: 'propDelete', propId: 'p9', by: 'ann', undo: true }, chair(0), '');
    expect(u.last('ann')).toBeUndefined();
  });

  it('PROP-4: leaves no step for a grab put down where it was', () => {
    const u = new PropUndo();
    u.record({ op: 'propHold', propId: 'p1', holder: 'ann' }, chair(0), '');
    expect(u.last('ann')).toBeDefined();
    u.record({ op: 'propHold', propId: 'p1', holder: '' }, chair(0), 'ann');
    expect(u.last('ann')).toBeUndefined();
  });

  it('PROP-4: a grab that ends in the prop\'s removal leaves only the removal', () => {
    const u = new PropUndo();
    u.record({ op: 'propHold', propId: 'p1', holder: 'ann' }, chair(0), '');
    u.record({ op: 'propDelete', propId: 'p1', by: 'ann' }, chair(0), 'ann');
    expect(u.last('ann')).toEqual({ propId: 'p1', before: chair(0) });
    u.record({ op: 'propPut', prop: chair(0), by: 'ann', undo: true }, undefined, '');
    expect(u.last('ann')).toBeUndefined();
  });

  it('keeps each person\'s own steps apart, and forgets them when they leave', () => {
    const u = new PropUndo();
    u.record({ op: 'propPut', prop: chair(0), by: 'ann' }, undefined, '');
    u.record({ op: 'propDelete', propId: 'p1', by: 'bob' }, chair(0), '');
    expect(u.last('ann')).toEqual({ propId: 'p1', before: null });
    expect(u.last('bob')).toEqual({ propId: 'p1', before: chair(0) });
    u.forget('ann');
    expect(u.last('ann')).toBeUndefined();
    expect(u.last('bob')).toBeDefined();
  });

  it('keeps at most its depth of steps, dropping the oldest', () => {
    const u = new PropUndo(3);
    for (let i = 0; i < 5; i++) u.record({ op: 'propPut', prop: { ...chair(i), id: `p${i}` }, by: 'ann' }, undefined, '');
    const ids: string[] = [];
    for (let step = u.last('ann'); step; step = u.last('ann')) {
      ids.push(step.propId);
      u.record({ op: 'propDelete', propId: step.propId, by: 'ann', undo: true }, undefined, '');
    }
    expect(ids).toEqual(['p4', 'p3', 'p2']);
  });
});
