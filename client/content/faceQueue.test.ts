import { describe, expect, it } from 'vitest';
import { FaceQueue, MAX_SLICE_MS, MIN_SLICE_MS, SLOW_RENDER_MS, sliceBudgetMs, type Point } from './faceQueue';

const at = (x: number, z = 0): Point => ({ x, y: 0, z });

function drain<T>(q: FaceQueue<T>, viewer: Point, pos: (t: T) => Point, now = 0): T[] {
  const out: T[] = [];
  for (let t = q.takeNearest(viewer, pos, now); t !== null; t = q.takeNearest(viewer, pos, now)) out.push(t);
  return out;
}

describe('FaceQueue', () => {
  it('gives faces nearest the viewer first, whatever order they were queued in', () => {
    const places: Record<string, Point> = { far: at(10), near: at(1), mid: at(-4), behind: at(0, 3) };
    const q = new FaceQueue<string>();
    for (const name of ['far', 'mid', 'behind', 'near']) q.add(name, 0);
    expect(drain(q, at(0), (n) => places[n]!)).toEqual(['near', 'behind', 'mid', 'far']);
    expect(q.size).toBe(0);
  });

  it('follows the viewer as they move while the queue drains', () => {
    const q = new FaceQueue<number>();
    for (let x = 0; x <= 10; x++) q.add(x, 0);
    const pos = (x: number) => at(x);
    expect(q.takeNearest(at(0), pos, 0)).toBe(0);
    expect(q.takeNearest(at(0), pos, 0)).toBe(1);
    // the person walks to the other end of the row
    expect(q.takeNearest(at(10), pos, 0)).toBe(10);
    expect(q.takeNearest(at(10), pos, 0)).toBe(9);
  });

  it('follows panels that move while queued', () => {
    const places = new Map([['a', at(1)], ['b', at(5)]]);
    const q = new FaceQueue<string>();
    q.add('a', 0);
    q.add('b', 0);
    places.set('b', at(0.5));
    expect(q.takeNearest(at(0), (n) => places.get(n)!, 0)).toBe('b');
  });

  it('breaks ties in the order faces were queued', () => {
    const q = new FaceQueue<string>();
    for (const name of ['c', 'a', 'b']) q.add(name, 0);
    expect(drain(q, at(0), () => at(2))).toEqual(['c', 'a', 'b']);
  });

  it('holds back a face until its time, and lets an earlier request bring it forward', () => {
    const q = new FaceQueue<string>();
    q.add('loading', 400);
    q.add('ready', 0);
    expect(drain(q, at(0), (n) => (n === 'loading' ? at(0) : at(9)), 100)).toEqual(['ready']);
    expect(q.takeNearest(at(0), () => at(0), 100)).toBeNull();
    expect(q.nextReadyAt()).toBe(400);
    // its content arrived: asked again for now
    q.add('loading', 150);
    expect(q.size).toBe(1);
    expect(q.takeNearest(at(0), () => at(0), 150)).toBe('loading');
  });

  it('a later request to wait does not push a queued face back', () => {
    const q = new FaceQueue<string>();
    q.add('a', 0);
    q.add('a', 500);
    expect(q.takeNearest(at(0), () => at(0), 0)).toBe('a');
  });

  it('forgets a face that is gone', () => {
    const q = new FaceQueue<string>();
    q.add('gone', 0);
    q.delete('gone');
    expect(q.has('gone')).toBe(false);
    expect(q.takeNearest(at(0), () => at(0), 0)).toBeNull();
    expect(q.nextReadyAt()).toBe(Infinity);
  });
});

describe('sliceBudgetMs', () => {
  it('leaves a headset at 72 Hz most of its frame for rendering', () => {
    const budget = sliceBudgetMs(1000 / 72, 5);
    expect(budget).toBeGreaterThanOrEqual(MIN_SLICE_MS);
    expect(budget + 5).toBeLessThan(1000 / 72);
  });

  it('fills the idle main thread where frames are held back by the GPU', () => {
    expect(sliceBudgetMs(140, 5)).toBeCloseTo(0.8 * 140 - 5);
  });

  it('gives drawing as long as a render where rendering alone is slower than 30 Hz', () => {
    expect(sliceBudgetMs(250, 200)).toBe(200);
    expect(sliceBudgetMs(60, SLOW_RENDER_MS + 10)).toBeCloseTo(SLOW_RENDER_MS + 10);
    // a quick render keeps the plain rule
    expect(sliceBudgetMs(20, 20)).toBe(MIN_SLICE_MS);
  });

  it('stays within its bounds, whatever the timings', () => {
    expect(sliceBudgetMs(5, 20)).toBe(MIN_SLICE_MS);
    expect(sliceBudgetMs(100_000, 1)).toBe(MAX_SLICE_MS);
    expect(sliceBudgetMs(Number.NaN, 1)).toBe(MIN_SLICE_MS);
  });
});
