import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../shared/model/runs';
import { DocumentState, ParticipantState, WorldState } from '../../shared/schema/WorldState';
import { applyEffect } from './stateSync';
import { RECENT_RUNS } from './workflowSync';

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

const summary = (id: string, status: string, updatedAt: number, steps: RunSummary['steps']): RunSummary => ({
  id,
  workflowId: 'wf1',
  version: 1,
  status,
  priority: 'normal',
  documentId: 'd1',
  updatedAt,
  steps,
});

const plain = (state: WorldState, id: string) => {
  const r = state.runs.get(id)!;
  return { status: r.status, documentId: r.documentId, updatedAt: r.updatedAt, steps: r.steps.map((s) => ({ ...s.toJSON() })) };
};

describe('applyEffect runProgress', () => {
  it('adds a run the world has not seen, then follows its steps, asking nothing of storage', () => {
    const state = new WorldState();
    const first = applyEffect(state, {
      op: 'runProgress',
      run: summary('r1', 'waiting', 10, [
        { id: 'a', status: 'succeeded', attempt: 1 },
        { id: 'b', status: 'waiting', attempt: 1, waitingFor: { kind: 'approval', prompt: 'Approve?' }, detail: 'Approve?' },
      ]),
    });
    expect(first).toEqual({ kind: 'none' });
    expect(plain(state, 'r1')).toEqual({
      status: 'waiting',
      documentId: 'd1',
      updatedAt: 10,
      steps: [
        { id: 'a', status: 'succeeded', attempt: 1, detail: '', waitingFor: '', documentId: '' },
        { id: 'b', status: 'waiting', attempt: 1, detail: 'Approve?', waitingFor: 'approval', documentId: '' },
      ],
    });

    applyEffect(state, {
      op: 'runProgress',
      run: summary('r1', 'succeeded', 20, [
        { id: 'a', status: 'succeeded', attempt: 1 },
        { id: 'b', status: 'succeeded', attempt: 1, documentId: 'made' },
      ]),
    });
    expect(plain(state, 'r1').steps[1]).toEqual({ id: 'b', status: 'succeeded', attempt: 1, detail: '', waitingFor: '', documentId: 'made' });
    expect(state.runs.get('r1')!.status).toBe('succeeded');
  });

  it('SYNC-3: ignores a summary older than the one it shows (read from the store while a newer event was on its way)', () => {
    const state = new WorldState();
    applyEffect(state, { op: 'runProgress', run: summary('r1', 'succeeded', 20, [{ id: 'a', status: 'succeeded', attempt: 1 }]) });
    applyEffect(state, { op: 'runProgress', run: summary('r1', 'waiting', 10, [{ id: 'a', status: 'waiting', attempt: 1 }]) });
    expect(plain(state, 'r1')).toMatchObject({ status: 'succeeded', updatedAt: 20, steps: [{ status: 'succeeded' }] });
  });

  it('keeps the recent runs only, dropping the oldest finished ones first', () => {
    const state = new WorldState();
    applyEffect(state, { op: 'runProgress', run: summary('open', 'running', 0, []) });
    for (let i = 1; i <= RECENT_RUNS + 2; i++) applyEffect(state, { op: 'runProgress', run: summary(`done${i}`, 'succeeded', i, []) });
    expect(state.runs.size).toBe(RECENT_RUNS);
    expect(state.runs.has('open')).toBe(true);
    expect(['done1', 'done2', 'done3'].filter((id) => state.runs.has(id))).toEqual([]);
  });
});

describe('applying prop effects', () => {
  const chair = { id: 'p1', kind: 'chair', position: [1, 0, 2] as [number, number, number], rotation: [0, 1, 0, 0] as [number, number, number, number], scale: 1.5 };

  it('places a prop, moves it while held (written on the flush), and removes it (written at once)', () => {
    const state = new WorldState();
    expect(applyEffect(state, { op: 'propPut', prop: chair, by: 'ann' })).toEqual({ kind: 'layout', now: true });
    expect(state.props.get('p1')).toMatchObject({ kind: 'chair', x: 1, z: 2, qy: 1, scale: 1.5, heldBy: '' });
    expect(applyEffect(state, { op: 'propHold', propId: 'p1', holder: 'ann' })).toEqual({ kind: 'none' });
    expect(applyEffect(state, { op: 'propTransform', propId: 'p1', position: [3, 0, 3] })).toEqual({ kind: 'layout', now: false });
    expect(state.props.get('p1')).toMatchObject({ x: 3, qy: 1, heldBy: 'ann' });
    expect(applyEffect(state, { op: 'propHold', propId: 'p1', holder: '' })).toEqual({ kind: 'layout', now: true });
    expect(applyEffect(state, { op: 'propDelete', propId: 'p1', by: 'ann' })).toEqual({ kind: 'layout', now: true });
    expect(state.props.has('p1')).toBe(false);
    expect(applyEffect(state, { op: 'propTransform', propId: 'p1', position: [3, 0, 3] })).toEqual({ kind: 'none' });
  });

  it('puts a prop back (an undo) in its mover\'s hands only when the mover undid it', () => {
    const state = new WorldState();
    applyEffect(state, { op: 'propPut', prop: chair, by: 'ann' });
    applyEffect(state, { op: 'propHold', propId: 'p1', holder: 'ann' });
    applyEffect(state, { op: 'propPut', prop: { ...chair, position: [0, 0, 0] }, by: 'ann', undo: true });
    expect(state.props.get('p1')).toMatchObject({ x: 0, heldBy: 'ann' });
    applyEffect(state, { op: 'propPut', prop: chair, by: 'bob', undo: true });
    expect(state.props.get('p1')).toMatchObject({ x: 1, heldBy: '' });
  });

  it('keeps a look as JSON', () => {
    const state = new WorldState();
    state.participants.set('a', new ParticipantState());
    const look = { body: '#112233', skin: '#aa8866', hair: 'bun', hairColour: '#000000', headwear: 'none', glasses: 'none' } as const;
    expect(applyEffect(state, { op: 'look', participantId: 'a', look })).toEqual({ kind: 'none' });
    expect(JSON.parse(state.participants.get('a')!.look)).toEqual(look);
  });
});
