import { describe, expect, it } from 'vitest';
import { MAX_ROWS, MENU_PX, layoutMenu, menuRows, nextSnap, type MenuData, type MenuItem } from './menuModel';

const data = (over: Partial<MenuData> = {}): MenuData => ({
  people: [
    { name: 'Ann', role: 'owner', device: 'vr', me: true, connected: true },
    { name: 'Bob', role: 'viewer', device: 'desktop', me: false, connected: false },
  ],
  waiting: [{ id: 'r1', label: 'Review on Contract' }],
  workflows: [{ id: 'w1', name: 'Review' }],
  target: { id: 'd1', title: 'Contract', page: 2 },
  settings: { locomotion: 'teleport', snapDegrees: 30, vignette: true },
  neural: false,
  ...over,
});

const texts = (rows: MenuItem[][]) => rows.flat().map((i) => (i.kind === 'text' ? i.text : `[${i.label}]`));

describe('the in-world menu model', () => {
  it('lists people with their role and device, and who is away', () => {
    expect(texts(menuRows('people', data()).body)).toEqual(['Ann (you)', 'owner · VR headset', 'Bob', 'viewer · desktop · away']);
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
    expect(texts(menuRows('workflows', data()).body)).toEqual(['A run starts on Contract.', 'Review', '[Start run]']);
    expect(texts(menuRows('notes', data()).body)[0]).toBe('On page 2 of Contract:');
    expect(texts(menuRows('notes', data({ target: null })).body)).toEqual(['Hold a document, or stand near one, to note on it.']);
  });

  it('keeps long lists within the panel, saying how many more there are', () => {
    const many = Array.from({ length: 12 }, (_, i) => ({ name: `P${i}`, role: 'editor', device: 'desktop', me: false, connected: true }));
    const body = menuRows('people', data({ people: many })).body;
    expect(body).toHaveLength(MAX_ROWS);
    expect(texts(body).at(-1)).toBe('… and 6 more people');
    expect(menuRows('workflows', data({ workflows: Array.from({ length: 20 }, (_, i) => ({ id: `w${i}`, name: `W${i}` })) })).body).toHaveLength(MAX_ROWS);
  });

  it('marks the open tab, and shows comfort settings and neural input as they are', () => {
    const menu = menuRows('settings', data({ neural: true, settings: { locomotion: 'smooth', snapDegrees: 0, vignette: false } }));
    expect(menu.tabs.filter((t) => t.kind === 'button' && t.selected).map((t) => t.kind === 'button' && t.label)).toEqual(['Settings']);
    expect(texts(menu.body)).toEqual(['Moving', '[Smooth walking]', 'Turning', '[Smooth turning]', 'Comfort ring', '[Off]', 'Neural hand gestures', '[On]']);
    expect([0, 15, 30, 45, 90].map(nextSnap)).toEqual([15, 30, 45, 90, 0]);
  });

  it('lays every tab out inside the panel without overlaps', () => {
    for (const tab of ['people', 'runs', 'workflows', 'notes', 'settings', 'upload'] as const) {
      const many = data({ people: Array.from({ length: 20 }, (_, i) => ({ name: `P${i}`, role: 'editor', device: 'vr', me: false, connected: true })) });
      const placed = layoutMenu(menuRows(tab, many));
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
});
