import { describe, expect, it } from 'vitest';
import { DocumentState, WorldState } from '../../shared/schema/WorldState';
import { applyEffect } from './stateSync';

function worldWithDoc(): { state: WorldState; doc: DocumentState } {
  const state = new WorldState();
  const doc = new DocumentState();
  doc.id = 'd1';
  [doc.x, doc.y, doc.z] = [1, 1, 1];
  [doc.qx, doc.qy, doc.qz, doc.qw] = [0, 1, 0, 0];
  doc.scale = 2;
  doc.page = 4;
  doc.spread = 2;
  state.documents.set('d1', doc);
  return { state, doc };
}

const place = (d: DocumentState) => ({ position: [d.x, d.y, d.z], rotation: [d.qx, d.qy, d.qz, d.qw], scale: d.scale });

describe('applying decided changes to the shared state', () => {
  it('LWW-1: a move sets the position and only the other properties it carries, the last move winning each', () => {
    const { state, doc } = worldWithDoc();
    expect(applyEffect(state, { op: 'transform', docId: 'd1', position: [0.5, 1.5, -2] })).toEqual({ kind: 'placement', docId: 'd1' });
    expect(place(doc)).toEqual({ position: [0.5, 1.5, -2], rotation: [0, 1, 0, 0], scale: 2 });
    applyEffect(state, { op: 'transform', docId: 'd1', position: [0, 0, 0], scale: 0.5 });
    expect(place(doc)).toEqual({ position: [0, 0, 0], rotation: [0, 1, 0, 0], scale: 0.5 });
    applyEffect(state, { op: 'transform', docId: 'd1', position: [3, 2, 1], rotation: [0, 0, 0, 1] });
    expect(place(doc)).toEqual({ position: [3, 2, 1], rotation: [0, 0, 0, 1], scale: 0.5 });
  });

  it('PAGE-3: a page turn without a spread keeps the current spread', () => {
    const { state, doc } = worldWithDoc();
    expect(applyEffect(state, { op: 'page', docId: 'd1', page: 7 })).toEqual({ kind: 'view', docId: 'd1' });
    expect([doc.page, doc.spread]).toEqual([7, 2]);
    applyEffect(state, { op: 'page', docId: 'd1', page: 1, spread: 3 });
    expect([doc.page, doc.spread]).toEqual([1, 3]);
  });

  it('NOTE-4: a note edit changes only the fields it carries', () => {
    const { state } = worldWithDoc();
    const note = { id: 'n1', documentId: 'd1', page: 2, u: 0.25, v: 0.75, text: 'first', colour: '#ffd54f', author: 'Ann' };
    applyEffect(state, { op: 'noteAdd', note });
    const seen = () => state.annotations.get('n1')!.toJSON();
    expect(seen()).toEqual(note);
    expect(applyEffect(state, { op: 'noteEdit', noteId: 'n1', text: 'second' })).toEqual({ kind: 'notePut', noteId: 'n1' });
    expect(seen()).toEqual({ ...note, text: 'second' });
    applyEffect(state, { op: 'noteEdit', noteId: 'n1', colour: '#112233', u: 0.5 });
    expect(seen()).toEqual({ ...note, text: 'second', colour: '#112233', u: 0.5 });
  });
});
