import { describe, expect, it } from 'vitest';
import { MAX_ROWS, MENU_PX, layoutMenu, menuRows, nextSnap, type MenuData, type MenuItem } from './menuModel';

const data = (over: Partial<MenuData> = {}): MenuData => ({
  people: [
    { id: 'a', name: 'Ann', role: 'owner', device: 'vr', me: true, connected: true, hand: false, megaphone: false },
    { id: 'b', name: 'Bob', role: 'viewer', device: 'desktop', me: false, connected: false, hand: false, megaphone: false },
  ],
  waiting: [{ id: 'r1', label: 'Review on Contract' }],
  workflows: [{ id: 'w1', name: 'Review' }],
  target: { id: 'd1', title: 'Contract', page: 2, notes: [] },
  settings: { locomotion: 'teleport', snapDegrees: 30, vignette: true },
  neural: false,
  templates: [],
  step: null,
  room: null,
  talk: { voice: 'listening', hand: false, chat: [] },
  ...over,
});

const texts = (rows: MenuItem[][]) => rows.flat().map((i) => (i.kind === 'text' ? i.text : `[${i.label}]`));

describe('the in-world menu model', () => {
  it('lists people with their role and device, and who is away', () => {
    expect(texts(menuRows('people', data()).body)).toEqual(['Ann (you)', 'owner · VR headset', 'Bob', 'viewer · desktop · away', 'Your look', '[Hair]', '[Hat]', '[Glasses]', '[Shirt]']);
  });

  it('offers look buttons under the people, each stepping one part, and keeps them when the list is long', () => {
    const many = Array.from({ length: 20 }, (_, i) => ({ name: `P${i}`, role: 'editor', device: 'desktop', me: false, connected: true, hand: false, megaphone: false, id: `p${i}` }));
    const body = menuRows('people', data({ people: many })).body;
    expect(body.length).toBeLessThanOrEqual(MAX_ROWS);
    const actions = body.at(-1)!.flatMap((i) => (i.kind === 'button' ? [i.action] : []));
    expect(actions).toEqual([
      { type: 'look', step: 'hair' },
      { type: 'look', step: 'headwear' },
      { type: 'look', step: 'glasses' },
      { type: 'look', step: 'body' },
    ]);
  });

  it('offers Go to beside everyone else who is here, and says whose hand is up and who has the megaphone', () => {
    const people = [
      { id: 'a', name: 'Ann', role: 'owner', device: 'vr', me: true, connected: true, hand: false, megaphone: true },
      { id: 'c', name: 'Cat', role: 'editor', device: 'desktop', me: false, connected: true, hand: true, megaphone: false },
    ];
    const body = menuRows('people', data({ people })).body;
    expect(texts(body.slice(0, 2))).toEqual(['Ann (you)', 'owner · VR headset · megaphone', 'Cat', 'editor · desktop · hand up', '[Go to]']);
    expect(body[1]!.find((i) => i.kind === 'button')).toMatchObject({ action: { type: 'goTo', id: 'c' } });
  });

  it('talks from the headset: the microphone and the hand, reactions, quick replies and the newest chat', () => {
    const chat = [1, 2, 3, 4].map((i) => ({ name: 'Bob', text: `line ${i} ${'x'.repeat(i === 4 ? 80 : 0)}` }));
    const body = menuRows('talk', data({ talk: { voice: 'talking', hand: true, chat } })).body;
    expect(body.length).toBeLessThanOrEqual(MAX_ROWS);
    expect(texts([body[0]!])).toEqual(['Others near you hear you', '[Mute]', '[Lower hand]']);
    expect(texts(body.slice(1, 3))).toEqual(['[Agree]', '[Love it]', '[Ha ha]', '[Wow]', '[Celebrate]', '[Question]']);
    expect(body[1]![0]).toMatchObject({ action: { type: 'react', reaction: 'agree' } });
    expect(texts([body[3]!])).toEqual(['Say', '[Yes]', '[No]', '[Thanks!]']);
    const lines = texts(body.slice(4));
    expect(lines.slice(0, 2)).toEqual(['Bob: line 2 ', 'Bob: line 3 ']);
    expect(lines[2]!.length).toBeLessThanOrEqual(5 + 60);
    expect(lines[2]!.endsWith('…')).toBe(true);
    expect(texts([menuRows('talk', data({ talk: { voice: null, hand: false, chat: [] } })).body[0]!])).toEqual(['Voice is not available here', '[Raise hand]']);
    expect(texts(menuRows('talk', data()).body).at(-1)).toBe('Nobody has written in the chat yet.');
  });

  it('offers Approve and Reject for each waiting run, with the runAnswer it sends', () => {
    const row = menuRows('runs', data()).body[0]!;
    expect(row.filter((i) => i.kind === 'button').map((i) => i.kind === 'button' && i.action)).toEqual([
      { type: 'answer', runId: 'r1', approved: true },
      { type: 'answer', runId: 'r1', approved: false },
    ]);
    expect(texts(menuRows('runs', data({ waiting: [] })).body)).toEqual(['No run is waiting for approval.']);
  });

  it('says which document a run or a note goes on, and what to do without one', () => {
    expect(texts(menuRows('workflows', data()).body)).toEqual(['A run starts on Contract. Press a node to change its step.', 'Review', '[Start run]']);
    expect(texts(menuRows('notes', data()).body)[0]).toBe('On page 2 of Contract:');
    expect(texts(menuRows('notes', data({ target: null })).body)).toEqual(['Hold a document, or stand near one, to note on it.']);
  });

  it("lists the notes on the page, each with Remove, paging past the panel's rows", () => {
    const notes = [
      { id: 'n1', text: 'Fix clause 4', author: 'Bob' },
      { id: 'n2', text: 'Agreed', author: 'Ann' },
    ];
    const first = menuRows('notes', data({ target: { id: 'd1', title: 'Contract', page: 2, notes } }), 0);
    expect(first.body).toHaveLength(MAX_ROWS);
    expect(texts(first.body).at(-1)).toBe('[Next ›]');
    const second = menuRows('notes', data({ target: { id: 'd1', title: 'Contract', page: 2, notes } }), 1);
    expect(texts(second.body)).toEqual(['On page 2 of Contract:', 'Bob: Fix clause 4', '[Remove]', 'Ann: Agreed', '[Remove]', 'Page 2 of 2', '[‹ Previous]']);
    expect(second.body[1]!.find((i) => i.kind === 'button')).toMatchObject({ action: { type: 'removeNote', noteId: 'n1' } });
  });

  it('keeps long lists within the panel, saying how many more there are', () => {
    const many = Array.from({ length: 12 }, (_, i) => ({ name: `P${i}`, role: 'editor', device: 'desktop', me: false, connected: true, hand: false, megaphone: false, id: `p${i}` }));
    const body = menuRows('people', data({ people: many })).body;
    expect(body).toHaveLength(MAX_ROWS);
    // the last row is the look buttons; the people above it end by saying how many did not fit
    expect(texts([body.at(-2)!])).toEqual(['… and 7 more people']);
    expect(menuRows('workflows', data({ workflows: Array.from({ length: 20 }, (_, i) => ({ id: `w${i}`, name: `W${i}` })) })).body).toHaveLength(MAX_ROWS);
  });

  it('offers a new chain from each template, a page at a time when the list is long', () => {
    const templates = [
      { id: 'document-pipeline', title: 'Document processing pipeline' },
      { id: 'publish', title: 'Publish' },
    ];
    const body = menuRows('workflows', data({ workflows: [], templates })).body;
    expect(texts(body)).toEqual(['This world has no workflows yet.', 'New chain from a template:', '[New: Document processing pipeline]', '[New: Publish]']);
    expect(body.flat().find((i) => i.kind === 'button' && i.label === 'New: Publish')).toMatchObject({ action: { type: 'create', template: 'publish', title: 'Publish' } });
    const many = data({ workflows: Array.from({ length: 8 }, (_, i) => ({ id: `w${i}`, name: `W${i}` })), templates });
    const first = menuRows('workflows', many).body;
    expect(first).toHaveLength(MAX_ROWS);
    expect(texts(first).slice(-2)).toEqual(['Page 1 of 3', '[Next ›]']);
    const last = texts(menuRows('workflows', many, 2).body);
    expect(last.slice(-3)).toEqual(['[New: Publish]', 'Page 3 of 3', '[‹ Previous]']);
    // a page past the end shows the last one
    expect(texts(menuRows('workflows', many, 9).body)).toEqual(last);
  });

  it('lists the kinds a picked step can become, its own kind marked, and sends the change', () => {
    const kinds = ['ai_analysis', 'approval', 'delay', 'present', 'transform'].map((kind) => ({ kind, title: kind.toUpperCase() }));
    const step = { workflowId: 'w1', stepId: 'analyse', position: 2, name: 'Analyse', kind: 'ai_analysis', chain: 'Review', kinds };
    const menu = menuRows('workflows', data({ step }));
    expect(menu.tabs.find((t) => t.kind === 'button' && t.selected)).toMatchObject({ label: 'Chains' });
    expect(texts(menu.body)).toEqual(['Step 2 · Analyse', 'Review', '[Back]', 'It is “AI_ANALYSIS”. Press a kind to make it that kind instead:', '[AI_ANALYSIS]', '[APPROVAL]', '[DELAY]', '[PRESENT]', '[TRANSFORM]']);
    const buttons = menu.body.flat().filter((i) => i.kind === 'button');
    expect(buttons.filter((b) => b.kind === 'button' && b.selected).map((b) => b.kind === 'button' && b.label)).toEqual(['AI_ANALYSIS']);
    expect(buttons.find((b) => b.kind === 'button' && b.label === 'DELAY')).toMatchObject({ action: { type: 'kind', workflowId: 'w1', stepId: 'analyse', kind: 'delay', title: 'DELAY' } });
    // before the kinds have loaded it says so; with many kinds it pages
    expect(texts(menuRows('workflows', data({ step: { ...step, kinds: [] } })).body).at(-1)).toBe('Loading the kinds of step…');
    const lots = { ...step, kinds: Array.from({ length: 14 }, (_, i) => ({ kind: `k${i}`, title: `K${i}` })) };
    const body = menuRows('workflows', data({ step: lots })).body;
    expect(body).toHaveLength(MAX_ROWS);
    expect(texts(body).at(-2)).toBe('Page 1 of 2');
    expect(texts(menuRows('workflows', data({ step: lots }), 1).body)).toContain('[K13]');
  });

  it('marks the open tab, and shows comfort settings and neural input as they are', () => {
    const menu = menuRows('settings', data({ neural: true, settings: { locomotion: 'smooth', snapDegrees: 0, vignette: false } }));
    expect(menu.tabs.filter((t) => t.kind === 'button' && t.selected).map((t) => t.kind === 'button' && t.label)).toEqual(['Settings']);
    expect(texts(menu.body).slice(0, 8)).toEqual(['Moving', '[Smooth walking]', 'Turning', '[Smooth turning]', 'Comfort ring', '[Off]', 'Neural hand gestures', '[On]']);
    expect(texts(menu.body).slice(8).join(' ')).toMatch(/from a desktop or phone browser/);
    expect([0, 15, 30, 45, 90].map(nextSnap)).toEqual([15, 30, 45, 90, 0]);
  });

  it('lays every tab out inside the panel without overlaps', () => {
    const kinds = Array.from({ length: 11 }, (_, i) => ({ kind: `k${i}`, title: `Kind ${i}` }));
    const step = { workflowId: 'w1', stepId: 's', position: 1, name: 'S', kind: 'k1', chain: 'C', kinds };
    const views = [...(['people', 'talk', 'runs', 'workflows', 'notes', 'room', 'stats', 'settings'] as const).map((tab) => [tab, null] as const), ['workflows', step] as const];
    for (const [tab, picked] of views) {
      const many = data({
        people: Array.from({ length: 20 }, (_, i) => ({ name: `P${i}`, role: 'editor', device: 'vr', me: false, connected: true, hand: false, megaphone: false, id: `p${i}` })),
        workflows: Array.from({ length: 9 }, (_, i) => ({ id: `w${i}`, name: `W${i}` })),
        templates: [{ id: 't', title: 'T' }],
        step: picked,
        room: Array.from({ length: 30 }, (_, i) => ({ kind: `k${i}`, name: `Prop ${i}` })),
        stats: Array.from({ length: 9 }, (_, i) => `Figure ${i}`),
      });
      const placed = layoutMenu(menuRows(tab, many, 1));
      for (const p of placed) {
        expect(p.x >= 0 && p.y >= 0 && p.x + p.w <= MENU_PX.width && p.y + p.h <= MENU_PX.height, `${tab}: ${JSON.stringify(p)}`).toBe(true);
      }
      for (const [i, a] of placed.entries()) {
        for (const b of placed.slice(i + 1)) {
          const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
          expect(overlap, `${tab}: ${JSON.stringify(a.item)} and ${JSON.stringify(b.item)}`).toBe(false);
        }
      }
    }
  });

  it('gives every tab room for its label at a readable size, however many tabs there are', () => {
    const room = [{ kind: 'desk', name: 'Desk' }];
    for (const d of [data(), data({ room }), data({ room, stats: ['Here now: nobody'] })]) {
      const tabs = layoutMenu(menuRows('people', d)).filter((p) => p.y === MENU_PX.pad);
      // about 17 px a character at the tabs' bold 34 px, and 16 px of padding
      for (const t of tabs) expect(t.w - 16, t.item.kind === 'button' ? t.item.label : '').toBeGreaterThanOrEqual((t.item.kind === 'button' ? t.item.label.length : 0) * 17);
      const right = Math.max(...tabs.map((t) => t.x + t.w));
      expect(right).toBeCloseTo(MENU_PX.width - MENU_PX.pad, 6);
    }
  });

  it('offers the Room tab only to those who may place props, with the catalogue three to a row and Undo', () => {
    const tabs = (d: MenuData) => menuRows('people', d).tabs.map((i) => (i.kind === 'button' ? i.label : ''));
    expect(tabs(data())).not.toContain('Room');
    const room = [{ kind: 'desk', name: 'Desk' }, { kind: 'chair', name: 'Chair' }, { kind: 'sofa', name: 'Sofa' }, { kind: 'u-1', name: 'Anvil' }];
    expect(tabs(data({ room }))).toContain('Room');
    const body = menuRows('room', data({ room })).body;
    expect(body[0]!.some((i) => i.kind === 'button' && i.action.type === 'propUndo')).toBe(true);
    expect(body.slice(1).map((row) => row.map((i) => (i.kind === 'button' ? i.label : '')))).toEqual([['Desk', 'Chair', 'Sofa'], ['Anvil']]);
    expect(body[2]![0]).toMatchObject({ action: { type: 'addProp', kind: 'u-1', name: 'Anvil' } });
    // a viewer whose menu was left on Room sees People instead
    expect(texts(menuRows('room', data()).body)[0]).toBe('Ann (you)');
  });

  it("offers the Stats tab only to the world's owner, with the figures and Refresh", () => {
    const tabs = (d: MenuData) => menuRows('people', d).tabs.map((i) => (i.kind === 'button' ? i.label : ''));
    expect(tabs(data())).not.toContain('Stats');
    expect(tabs(data({ stats: null }))).not.toContain('Stats');
    const stats = ['Here now: 2 VR', 'Sessions in the last 24 h: 5, 1.2 h in all', 'Runs in the last 24 h: 3 (1 failed)'];
    expect(tabs(data({ stats }))).toContain('Stats');
    const body = menuRows('stats', data({ stats })).body;
    expect(texts(body).slice(0, 3)).toEqual(stats);
    expect(body.at(-1)!.some((i) => i.kind === 'button' && i.action.type === 'statsRefresh')).toBe(true);
    // anyone else whose menu was left on Stats sees People instead
    expect(texts(menuRows('stats', data()).body)[0]).toBe('Ann (you)');
  });

  it('pages the full catalogue so that every prop can be reached', () => {
    const room = Array.from({ length: 20 }, (_, i) => ({ kind: `k${i}`, name: `Prop ${i}` }));
    const labels = (page: number) => menuRows('room', data({ room }), page).body.flat().flatMap((i) => (i.kind === 'button' && i.action.type === 'addProp' ? [i.action.kind] : []));
    const all = [0, 1].flatMap(labels);
    expect(new Set(all).size).toBe(20);
    expect(menuRows('room', data({ room })).body.length).toBeLessThanOrEqual(MAX_ROWS);
  });
});
