import { describe, expect, it } from 'vitest';
import { DROP_REACH, NODE, TITLE_STRIP, dropsOnNode, linkEnds, nodePositions, titleStrip } from './chainLayout';
import { fitTitle, type Measure } from './textFit';
import { currentRun, orderRuns, progressOf, stepLook, type RunView } from './stepLook';

describe('chain layout', () => {
  it('centres the nodes of a chain and spaces them evenly', () => {
    const p = nodePositions(3, [0, 1, -2]);
    expect(p.map((v) => +v[0].toFixed(3))).toEqual([-(NODE.width + NODE.gap), 0, NODE.width + NODE.gap].map((v) => +v.toFixed(3)));
    expect(p.every((v) => v[1] === 1 && v[2] === -2)).toBe(true);
    expect(nodePositions(0, [0, 0, 0])).toEqual([]);
  });

  it('joins neighbouring nodes edge to edge', () => {
    const p = nodePositions(2, [0, 1, -2]);
    const [a, b] = linkEnds(p, 0)!;
    expect(b[0] - a[0]).toBeCloseTo(NODE.gap);
    expect(linkEnds(p, 1)).toBeNull();
  });

  it('gives a longer chain a wider title with more pixels, its text the same size in the room', () => {
    const one = titleStrip(1);
    const three = titleStrip(3);
    expect(one.width).toBe(TITLE_STRIP.minWidth);
    expect(three.width).toBeCloseTo(3 * (NODE.width + NODE.gap) - NODE.gap);
    expect(three.widthPx).toBeGreaterThan(2 * one.widthPx);
    // a pixel of text is as tall in the room over either chain, and the texture is not stretched
    expect(three.height / TITLE_STRIP.heightPx).toBeCloseTo(one.height / TITLE_STRIP.heightPx, 4);
    expect(three.width / three.widthPx).toBeCloseTo(three.height / TITLE_STRIP.heightPx, 6);
    expect(titleStrip(40).widthPx).toBe(TITLE_STRIP.maxPx);
  });

  it('shows a three-step chain\'s whole title, draft marker and progress included, at full size', () => {
    // bold sans-serif averages a little over half an em per character
    const measure: Measure = (text, px) => text.length * px * 0.6;
    const title = 'Document processing pipeline · v1 · 3/3 done · unsaved draft';
    const fitted = fitTitle(measure, title, titleStrip(3).widthPx - 48, { oneLine: [52, 46, 40, 34], twoLines: [] });
    expect(fitted).toEqual({ px: 52, lines: [title], cut: false });
  });

  it('takes a document set down on a node, a little past its edges, and not one beside it or far in front', () => {
    expect(dropsOnNode([0, 0, 0])).toBe(true);
    expect(dropsOnNode([NODE.width / 2 + DROP_REACH.side - 0.01, -(NODE.height / 2 + DROP_REACH.up - 0.01), DROP_REACH.depth - 0.01])).toBe(true);
    expect(dropsOnNode([NODE.width / 2 + DROP_REACH.side + 0.01, 0, 0])).toBe(false);
    expect(dropsOnNode([0, NODE.height / 2 + DROP_REACH.up + 0.01, 0])).toBe(false);
    expect(dropsOnNode([0, 0, -(DROP_REACH.depth + 0.01)])).toBe(false);
  });

});

const run = (id: string, status: string, updatedAt: number, steps: string[] = []): RunView => ({
  id,
  workflowId: 'w',
  status,
  updatedAt,
  steps: steps.map((s, i) => ({ id: `s${i}`, status: s, attempt: 1, detail: '' })),
});

describe('step looks', () => {
  it('labels each status, with the reason of a failure', () => {
    expect(stepLook(undefined).label).toBe('ready');
    expect(stepLook({ status: 'running', attempt: 1, detail: '' })).toMatchObject({ label: 'running…', busy: true });
    expect(stepLook({ status: 'running', attempt: 2, detail: '' }).label).toBe('running · attempt 2');
    expect(stepLook({ status: 'failed', attempt: 1, detail: 'No key' })).toMatchObject({ label: 'failed', detail: 'No key' });
    expect(stepLook({ status: 'waiting', attempt: 1, detail: 'Approve?' }).label).toBe('waiting for input');
    const colours = ['pending', 'running', 'waiting', 'succeeded', 'failed', 'skipped'].map((s) => stepLook({ status: s, attempt: 1, detail: '' }).colour);
    expect(new Set(colours).size).toBe(6);
  });

  it('shows the newest unfinished run, else the newest', () => {
    const runs = [run('a', 'succeeded', 30), run('b', 'running', 10), run('c', 'failed', 20)];
    expect(currentRun(runs, 'w')?.id).toBe('b');
    expect(currentRun(runs.filter((r) => r.id !== 'b'), 'w')?.id).toBe('a');
    expect(currentRun(runs, 'other')).toBeUndefined();
  });

  it('lists unfinished runs first, newest first', () => {
    const runs = [run('a', 'succeeded', 30), run('b', 'running', 10), run('c', 'waiting', 20), run('d', 'failed', 40)];
    expect(orderRuns(runs).map((r) => r.id)).toEqual(['c', 'b', 'd', 'a']);
  });

  it('counts progress', () => {
    expect(progressOf(run('a', 'running', 1, ['succeeded', 'skipped', 'running']))).toEqual({ done: 2, total: 3 });
  });
});
