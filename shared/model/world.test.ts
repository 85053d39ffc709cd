import { describe, expect, it } from 'vitest';
import { ErrorCode, Intent } from '../protocol';
import { MAX_PROPS, isCatalogueKind, type PropRecord } from './props';
import { decide as decideAs, expiredHolds, normaliseQuat, releaseAllHeldBy, releasePropsHeldBy, type DocumentView, type UndoStep, type WorldView } from './world';

function world(docs: Record<string, string>, notes: Record<string, string> = {}): WorldView {
  const map = new Map<string, DocumentView>(Object.entries(docs).map(([id, heldBy]) => [id, { heldBy }]));
  return {
    document: (id) => map.get(id),
    note: (id) => (notes[id] ? { documentId: notes[id]! } : undefined),
    workflow: (id) => (id === 'wf1' ? {} : undefined),
    run: (id) => ({ r1: { status: 'waiting' }, r2: { status: 'running' }, r3: { status: 'succeeded' } })[id],
    prop: () => undefined,
    propKind: () => false,
    propCount: () => 0,
    lastChange: () => undefined,
    headOf: () => undefined,
    voiceOffered: () => false,
    voiceCalls: () => 0,
    heardEverywhere: () => false,
  };
}

let nextId = 0;
const decide = (w: WorldView, actor: string, intent: Intent) =>
  decideAs(w, { id: actor, name: actor.toUpperCase(), colour: '#123456', newId: () => `n${++nextId}` }, intent);

describe('hold rules', () => {
  it('HOLD-1: grants a free document to the first participant who grabs it', () => {
    expect(decide(world({ d1: '' }), 'ann', { type: 'grab', docId: 'd1' })).toEqual({
      ok: true,
      effects: [{ op: 'hold', docId: 'd1', holder: 'ann' }],
    });
  });

  it('HOLD-1: refuses a grab of a document someone else holds', () => {
    const d = decide(world({ d1: 'ann' }), 'bob', { type: 'grab', docId: 'd1' });
    expect(d).toMatchObject({ ok: false, code: ErrorCode.HELD_BY_OTHER });
  });

  it('HOLD-1: treats a repeated grab by the holder as a no-op', () => {
    expect(decide(world({ d1: 'ann' }), 'ann', { type: 'grab', docId: 'd1' })).toEqual({ ok: true, effects: [] });
  });

  it('INTENT-2: refuses a grab of a document that does not exist', () => {
    expect(decide(world({}), 'ann', { type: 'grab', docId: 'zz' })).toMatchObject({ ok: false, code: ErrorCode.DOCUMENT_NOT_FOUND });
  });

  it('HOLD-2: lets only the holder move a document', () => {
    const move: Intent = { type: 'move', docId: 'd1', position: [1, 2, 3] };
    expect(decide(world({ d1: 'ann' }), 'ann', move)).toEqual({
      ok: true,
      effects: [{ op: 'transform', docId: 'd1', position: [1, 2, 3] }],
    });
    expect(decide(world({ d1: 'ann' }), 'bob', move)).toMatchObject({ ok: false, code: ErrorCode.NOT_HOLDER });
    expect(decide(world({ d1: '' }), 'bob', move)).toMatchObject({ ok: false, code: ErrorCode.NOT_HOLDER });
  });

  it('LWW-2: normalises the rotation of a move and keeps the scale', () => {
    const d = decide(world({ d1: 'ann' }), 'ann', { type: 'move', docId: 'd1', position: [0, 0, 0], rotation: [0, 0, 0, 0.5], scale: 2 });
    expect(d).toEqual({ ok: true, effects: [{ op: 'transform', docId: 'd1', position: [0, 0, 0], rotation: [0, 0, 0, 1], scale: 2 }] });
  });

  it('HOLD-2: lets only the holder release a document', () => {
    expect(decide(world({ d1: 'ann' }), 'ann', { type: 'release', docId: 'd1' })).toEqual({
      ok: true,
      effects: [{ op: 'hold', docId: 'd1', holder: '' }],
    });
    expect(decide(world({ d1: 'ann' }), 'bob', { type: 'release', docId: 'd1' })).toMatchObject({ ok: false, code: ErrorCode.NOT_HOLDER });
  });

  it('HOLD-4: releases every document a departing participant held, and only those', () => {
    const docs: Array<[string, DocumentView]> = [
      ['d1', { heldBy: 'ann' }],
      ['d2', { heldBy: 'bob' }],
      ['d3', { heldBy: 'ann' }],
      ['d4', { heldBy: '' }],
    ];
    expect(releaseAllHeldBy(docs, 'ann')).toEqual([
      { op: 'hold', docId: 'd1', holder: '' },
      { op: 'hold', docId: 'd3', holder: '' },
    ]);
  });
});

describe('pages and notes', () => {
  it('PAGE-1, INTENT-2: turns the page of any document, holder or not', () => {
    expect(decide(world({ d1: 'ann' }), 'bob', { type: 'page', docId: 'd1', page: 3, spread: 2 })).toEqual({
      ok: true,
      effects: [{ op: 'page', docId: 'd1', page: 3, spread: 2 }],
    });
    expect(decide(world({}), 'bob', { type: 'page', docId: 'd9', page: 1 })).toMatchObject({ ok: false, code: ErrorCode.DOCUMENT_NOT_FOUND });
  });

  it('PAGE-2: takes a whole page from 1 and a spread from 1 to 4, and refuses anything else', () => {
    const page = (p: unknown, spread?: unknown) => Intent.safeParse({ type: 'page', docId: 'd1', page: p, ...(spread === undefined ? {} : { spread }) }).success;
    expect([page(1), page(100_000), page(2, 1), page(2, 4)]).toEqual([true, true, true, true]);
    expect([page(0), page(-1), page(1.5), page(100_001), page(NaN), page('2')]).toEqual([false, false, false, false, false, false]);
    expect([page(1, 0), page(1, 5), page(1, 1.5)]).toEqual([false, false, false]);
  });

  it('NOTE-1: pins a note with a fresh id, the author name and a default colour', () => {
    const d = decide(world({ d1: '' }), 'ann', { type: 'noteAdd', docId: 'd1', page: 2, u: 0.25, v: 0.5, text: 'check this' });
    expect(d.ok && d.effects[0]).toMatchObject({
      op: 'noteAdd',
      note: { documentId: 'd1', page: 2, u: 0.25, v: 0.5, text: 'check this', author: 'ANN', colour: expect.stringMatching(/^#/) },
    });
    expect(d.ok && d.effects[0]?.op === 'noteAdd' && d.effects[0].note.id).toMatch(/^n\d+$/);
  });

  it('NOTE-3: edits and deletes notes that exist, and refuses ones that do not', () => {
    const w = world({ d1: '' }, { n1: 'd1' });
    expect(decide(w, 'bob', { type: 'noteEdit', noteId: 'n1', text: 'done' })).toEqual({ ok: true, effects: [{ op: 'noteEdit', noteId: 'n1', text: 'done' }] });
    expect(decide(w, 'bob', { type: 'noteDelete', noteId: 'n1' })).toEqual({ ok: true, effects: [{ op: 'noteDelete', noteId: 'n1' }] });
    expect(decide(w, 'bob', { type: 'noteEdit', noteId: 'n2', text: 'x' })).toMatchObject({ ok: false, code: ErrorCode.NOTE_NOT_FOUND });
    expect(decide(w, 'bob', { type: 'noteDelete', noteId: 'n2' })).toMatchObject({ ok: false, code: ErrorCode.NOTE_NOT_FOUND });
  });

  it('NOTE-2: strips control characters from note text and refuses an empty or huge note', () => {
    const parsed = Intent.parse({ type: 'noteAdd', docId: 'd1', page: 1, u: 0, v: 0, text: ' hi\u0007 there ' });
    expect(parsed.type === 'noteAdd' && parsed.text).toBe('hi there');
    expect(Intent.safeParse({ type: 'noteAdd', docId: 'd1', page: 1, u: 0, v: 0, text: '\u0001 ' }).success).toBe(false);
    expect(Intent.safeParse({ type: 'noteAdd', docId: 'd1', page: 1, u: 0, v: 0, text: 'x'.repeat(501) }).success).toBe(false);
    expect(Intent.safeParse({ type: 'noteAdd', docId: 'd1', page: 1, u: 2, v: 0, text: 'off the page' }).success).toBe(false);
  });
});

describe('workflow intents', () => {
  it('INTENT-2: starts a run of a workflow of this world, on a document of this world', () => {
    expect(decide(world({ d1: '' }), 'ann', { type: 'runStart', workflowId: 'wf1', documentId: 'd1', priority: 'high' })).toEqual({
      ok: true,
      effects: [{ op: 'runStart', workflowId: 'wf1', documentId: 'd1', priority: 'high', by: 'ANN' }],
    });
    expect(decide(world({}), 'ann', { type: 'runStart', workflowId: 'wf9', priority: 'normal' })).toMatchObject({ ok: false, code: ErrorCode.WORKFLOW_NOT_FOUND });
    expect(decide(world({}), 'ann', { type: 'runStart', workflowId: 'wf1', documentId: 'dx', priority: 'normal' })).toMatchObject({
      ok: false,
      code: ErrorCode.DOCUMENT_NOT_FOUND,
    });
  });

  it('RUN-8: answers only a waiting run and cancels only an unfinished one', () => {
    const w = world({});
    expect(decide(w, 'ann', { type: 'runAnswer', runId: 'r1', approved: true, comment: '' })).toMatchObject({ ok: true });
    expect(decide(w, 'ann', { type: 'runAnswer', runId: 'r2', approved: true, comment: '' })).toMatchObject({ ok: false, code: ErrorCode.RUN_NOT_WAITING });
    expect(decide(w, 'ann', { type: 'runAnswer', runId: 'r9', approved: true, comment: '' })).toMatchObject({ ok: false, code: ErrorCode.RUN_NOT_FOUND });
    expect(decide(w, 'ann', { type: 'runCancel', runId: 'r2' })).toMatchObject({ ok: true });
    expect(decide(w, 'ann', { type: 'runCancel', runId: 'r3' })).toMatchObject({ ok: false, code: ErrorCode.RUN_NOT_WAITING });
  });
});

describe('hold leases', () => {
  it('HOLD-5: frees documents whose holder has been silent longer than the lease, and only those', () => {
    const leases: Array<[string, { holder: string; lastActivity: number }]> = [
      ['d1', { holder: 'ann', lastActivity: 1_000 }],
      ['d2', { holder: 'bob', lastActivity: 9_500 }],
      ['d3', { holder: '', lastActivity: 0 }],
    ];
    expect(expiredHolds(leases, 10_000, 5_000)).toEqual([{ op: 'hold', docId: 'd1', holder: '' }]);
    expect(expiredHolds(leases, 10_000, 60_000)).toEqual([]);
  });
});

describe('poses', () => {
  it('carries the device a pose comes from, so a name tag can say VR or AR', () => {
    const d = decide(world({}), 'ann', { type: 'pose', head: [0, 1.6, 0, 0, 0, 0, 1], left: null, right: null, device: 'vr' });
    expect(d).toMatchObject({ ok: true, effects: [{ op: 'pose', participantId: 'ann', device: 'vr' }] });
  });

  it('LWW-2: records the sender pose with unit quaternions', () => {
    const d = decide(world({}), 'ann', { type: 'pose', head: [1, 1.6, 2, 0, 0, 0, 2], left: null, right: [0, 1, 0, 0, 0, 0, 0] });
    expect(d).toEqual({
      ok: true,
      effects: [{ op: 'pose', participantId: 'ann', head: [1, 1.6, 2, 0, 0, 0, 1], left: null, right: [0, 1, 0, 0, 0, 0, 1] }],
    });
  });

  it('LWW-2: normalises quaternions and maps degenerate ones to identity', () => {
    const q = normaliseQuat([0, 1, 0, 1]);
    expect(Math.hypot(...q)).toBeCloseTo(1, 10);
    expect(normaliseQuat([0, 0, 0, 0])).toEqual([0, 0, 0, 1]);
  });
});

describe('intent validation', () => {
  const bad: Array<[string, unknown]> = [
    ['NaN in a position', { type: 'move', docId: 'd1', position: [NaN, 0, 0] }],
    ['Infinity in a pose', { type: 'pose', head: [Infinity, 0, 0, 0, 0, 0, 1], left: null, right: null }],
    ['a position far outside the world', { type: 'move', docId: 'd1', position: [1e9, 0, 0] }],
    ['a quaternion component over 1', { type: 'move', docId: 'd1', position: [0, 0, 0], rotation: [5, 0, 0, 1] }],
    ['a scale out of bounds', { type: 'move', docId: 'd1', position: [0, 0, 0], scale: 100 }],
    ['a too-short pose', { type: 'pose', head: [0, 0, 0], left: null, right: null }],
    ['a hostile id', { type: 'grab', docId: '../../etc/passwd' }],
    ['a huge id', { type: 'grab', docId: 'a'.repeat(10_000) }],
    ['an extra field', { type: 'grab', docId: 'd1', heldBy: 'me' }],
    ['an unknown type', { type: 'teleport' }],
    ['a string instead of an object', 'grab'],
    ['null', null],
  ];
  it.each(bad)('INTENT-1: rejects %s', (_name, value) => {
    expect(Intent.safeParse(value).success).toBe(false);
  });

  it('accepts a well-formed intent of each type', () => {
    for (const value of [
      { type: 'pose', head: [0, 1.6, 0, 0, 0, 0, 1], left: null, right: [0.2, 1.2, -0.3, 0, 0, 0, 1] },
      { type: 'grab', docId: 'd1' },
      { type: 'move', docId: 'd1', position: [1, 1.5, -2], rotation: [0, 0.7071, 0, 0.7071], scale: 1.5 },
      { type: 'release', docId: 'd1' },
    ]) {
      expect(Intent.safeParse(value).success, JSON.stringify(value)).toBe(true);
    }
  });
});

describe('prop rules', () => {
  const chair: PropRecord = { id: 'p1', kind: 'chair', position: [1, 0, 1], rotation: [0, 0, 0, 1], scale: 1 };
  function props(held: Record<string, string>, o: { count?: number; models?: string[]; last?: Record<string, UndoStep> } = {}): WorldView {
    return {
      ...world({}),
      prop: (id) => (id in held ? { heldBy: held[id]! } : undefined),
      propKind: (kind) => isCatalogueKind(kind) || (o.models ?? []).includes(kind),
      propCount: () => o.count ?? Object.keys(held).length,
      lastChange: (who) => o.last?.[who],
    };
  }

  it('PROP-1: places a catalogue kind or one of the world\'s models, with a new id', () => {
    const d = decide(props({}), 'ann', { type: 'propAdd', kind: 'chair', position: [1, 0, 2], rotation: [0, 2, 0, 0] });
    expect(d).toEqual({ ok: true, effects: [{ op: 'propPut', prop: { id: expect.stringMatching(/^n\d+$/), kind: 'chair', position: [1, 0, 2], rotation: [0, 1, 0, 0], scale: 1 }, by: 'ann' }] });
    expect(decide(props({}, { models: ['u-abc'] }), 'ann', { type: 'propAdd', kind: 'u-abc', position: [0, 0, 0], scale: 2 })).toMatchObject({ ok: true, effects: [{ prop: { kind: 'u-abc', scale: 2 } }] });
  });

  it('PROP-1: refuses a kind that is neither in the catalogue nor uploaded here', () => {
    expect(decide(props({}), 'ann', { type: 'propAdd', kind: 'u-abc', position: [0, 0, 0] })).toMatchObject({ ok: false, code: ErrorCode.PROP_KIND_UNKNOWN });
  });

  it('PROP-1: refuses a prop past the most a world may hold', () => {
    expect(decide(props({}, { count: MAX_PROPS }), 'ann', { type: 'propAdd', kind: 'chair', position: [0, 0, 0] })).toMatchObject({ ok: false, code: ErrorCode.LAYOUT_FULL });
    expect(decide(props({}, { count: MAX_PROPS - 1 }), 'ann', { type: 'propAdd', kind: 'chair', position: [0, 0, 0] })).toMatchObject({ ok: true });
  });

  it('PROP-3: grants a free prop, refuses one held by another, and ignores a repeated grab', () => {
    expect(decide(props({ p1: '' }), 'ann', { type: 'propGrab', propId: 'p1' })).toEqual({ ok: true, effects: [{ op: 'propHold', propId: 'p1', holder: 'ann' }] });
    expect(decide(props({ p1: 'bob' }), 'ann', { type: 'propGrab', propId: 'p1' })).toMatchObject({ ok: false, code: ErrorCode.HELD_BY_OTHER });
    expect(decide(props({ p1: 'ann' }), 'ann', { type: 'propGrab', propId: 'p1' })).toEqual({ ok: true, effects: [] });
    expect(decide(props({}), 'ann', { type: 'propGrab', propId: 'p9' })).toMatchObject({ ok: false, code: ErrorCode.PROP_NOT_FOUND });
  });

  it('PROP-3: lets only the holder move or put down a prop', () => {
    expect(decide(props({ p1: 'ann' }), 'ann', { type: 'propMove', propId: 'p1', position: [2, 0, 2], scale: 3 })).toEqual({ ok: true, effects: [{ op: 'propTransform', propId: 'p1', position: [2, 0, 2], scale: 3 }] });
    expect(decide(props({ p1: '' }), 'ann', { type: 'propMove', propId: 'p1', position: [2, 0, 2] })).toMatchObject({ ok: false, code: ErrorCode.NOT_HOLDER });
    expect(decide(props({ p1: 'bob' }), 'ann', { type: 'propRelease', propId: 'p1' })).toMatchObject({ ok: false, code: ErrorCode.NOT_HOLDER });
    expect(decide(props({ p1: 'ann' }), 'ann', { type: 'propRelease', propId: 'p1' })).toEqual({ ok: true, effects: [{ op: 'propHold', propId: 'p1', holder: '' }] });
    expect(decide(props({}), 'ann', { type: 'propRelease', propId: 'p1' })).toMatchObject({ ok: false, code: ErrorCode.PROP_NOT_FOUND });
  });

  it('PROP-3: removes a prop unless someone else holds it', () => {
    expect(decide(props({ p1: '' }), 'ann', { type: 'propDelete', propId: 'p1' })).toEqual({ ok: true, effects: [{ op: 'propDelete', propId: 'p1', by: 'ann' }] });
    expect(decide(props({ p1: 'ann' }), 'ann', { type: 'propDelete', propId: 'p1' })).toMatchObject({ ok: true });
    expect(decide(props({ p1: 'bob' }), 'ann', { type: 'propDelete', propId: 'p1' })).toMatchObject({ ok: false, code: ErrorCode.HELD_BY_OTHER });
    expect(decide(props({}), 'ann', { type: 'propDelete', propId: 'p1' })).toMatchObject({ ok: false, code: ErrorCode.PROP_NOT_FOUND });
  });

  it('PROP-4: undoes the sender\'s own last change: a put back, or a removal of what they added', () => {
    const moved = props({ p1: '' }, { last: { ann: { propId: 'p1', before: chair } } });
    expect(decide(moved, 'ann', { type: 'propUndo' })).toEqual({ ok: true, effects: [{ op: 'propPut', prop: chair, by: 'ann', undo: true }] });
    expect(decide(moved, 'bob', { type: 'propUndo' })).toMatchObject({ ok: false, code: ErrorCode.NOTHING_TO_UNDO });
    const added = props({ p2: '' }, { last: { ann: { propId: 'p2', before: null } } });
    expect(decide(added, 'ann', { type: 'propUndo' })).toEqual({ ok: true, effects: [{ op: 'propDelete', propId: 'p2', by: 'ann', undo: true }] });
  });

  it('PROP-4: waits to undo a change to a prop someone else is moving now', () => {
    const w = props({ p1: 'bob' }, { last: { ann: { propId: 'p1', before: chair } } });
    expect(decide(w, 'ann', { type: 'propUndo' })).toMatchObject({ ok: false, code: ErrorCode.HELD_BY_OTHER });
  });

  it('LOOK-1: a look is the sender\'s own', () => {
    const look = { body: '#112233', skin: '#aa8866', hair: 'none', hairColour: '#000000', headwear: 'cap', glasses: 'none' } as const;
    expect(decide(props({}), 'ann', { type: 'avatar', look })).toEqual({ ok: true, effects: [{ op: 'look', participantId: 'ann', look }] });
  });

  it('frees every prop a participant holds, and only theirs', () => {
    expect(releasePropsHeldBy(Object.entries({ a: { heldBy: 'ann' }, b: { heldBy: 'bob' }, c: { heldBy: 'ann' } }), 'ann')).toEqual([
      { op: 'propHold', propId: 'a', holder: '' },
      { op: 'propHold', propId: 'c', holder: '' },
    ]);
  });
});
