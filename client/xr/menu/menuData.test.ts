import { describe, expect, it } from 'vitest';
import type { WorldSession } from '../../net/session';
import { menuData } from './menuData';

/** Just the parts of a room's state the menu reads. */
function session(docs: Record<string, { title: string; x: number; y: number; z: number; heldBy?: string; page?: number }>): WorldSession {
  const state = {
    participants: new Map([
      ['b', { name: 'Bob', role: 'viewer', device: 'desktop', connected: true, hand: true, megaphone: false }],
      ['a', { name: 'Ann', role: 'owner', device: 'vr', connected: true, hand: false, megaphone: false }],
    ]),
    documents: new Map(Object.entries(docs).map(([id, d]) => [id, { heldBy: '', page: 1, ...d }])),
    workflows: new Map([['w1', { name: 'Sign-off' }]]),
    runs: new Map([
      ['r1', { id: 'r1', workflowId: 'w1', documentId: 'd1', status: 'waiting' }],
      ['r2', { id: 'r2', workflowId: 'w1', documentId: 'd1', status: 'running' }],
    ]),
    propModels: new Map([['u-1', { name: 'Anvil' }]]),
    annotations: new Map([
      ['n1', { documentId: 'near', page: 3, text: 'On this page', author: 'Bob' }],
      ['n2', { documentId: 'near', page: 1, text: 'Another page', author: 'Bob' }],
      ['n3', { documentId: 'far', page: 3, text: 'Another document', author: 'Ann' }],
    ]),
  };
  const social = { messages: [1, 2, 3, 4].map((i) => ({ id: `m${i}`, from: 'b', name: 'Bob', colour: '#000000', text: `line ${i}`, at: i })) };
  return { state, sessionId: 'a', social } as unknown as WorldSession;
}

const settings = { locomotion: 'teleport', snapDegrees: 30, vignette: true } as const;

describe('the menu snapshot of a world', () => {
  it('lists this person first, and only the runs that wait, named by workflow and document', () => {
    const data = menuData(session({ d1: { title: 'Contract', x: 0, y: 1, z: 0 } }), [0, 1.6, 2], settings, false);
    expect(data.people.map((p) => `${p.name}:${p.me}`)).toEqual(['Ann:true', 'Bob:false']);
    expect(data.waiting).toEqual([{ id: 'r1', label: 'Sign-off on Contract' }]);
    expect(data.people.find((p) => p.name === 'Bob')).toMatchObject({ id: 'b', hand: true, megaphone: false });
  });

  it('takes the chat\'s newest lines and this person\'s hand for the Talk tab', () => {
    const data = menuData(session({}), null, settings, false, 'muted');
    expect(data.talk).toEqual({ voice: 'muted', hand: false, chat: ['line 2', 'line 3', 'line 4'].map((text) => ({ name: 'Bob', text })) });
  });

  it('puts notes and runs on the document held, else on the nearest, with the notes on its page', () => {
    const docs = { near: { title: 'Near', x: 0, y: 1.5, z: 1, page: 3 }, far: { title: 'Far', x: 4, y: 1.5, z: -3 } };
    expect(menuData(session(docs), [0, 1.6, 2], settings, false).target).toEqual({ id: 'near', title: 'Near', page: 3, notes: [{ id: 'n1', text: 'On this page', author: 'Bob' }] });
    expect(menuData(session({ ...docs, far: { ...docs.far, heldBy: 'a' } }), [0, 1.6, 2], settings, false).target?.id).toBe('far');
    expect(menuData(session({}), [0, 1.6, 2], settings, false).target).toBeNull();
  });

  it('offers the catalogue and the uploaded models to an owner, and nothing to a viewer', () => {
    const owner = menuData(session({}), null, settings, false).room;
    expect(owner?.map((p) => p.kind)).toContain('desk');
    expect(owner?.at(-1)).toEqual({ kind: 'u-1', name: 'Anvil' });
    const viewer = { ...session({}), sessionId: 'b' } as unknown as WorldSession;
    expect(menuData(Object.assign(viewer, { state: session({}).state }), null, settings, false).room).toBeNull();
  });
});
