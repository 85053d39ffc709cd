/**
 * The order panel faces are drawn in: nearest the viewer first, so what a person looks at up close
 * is readable first when a world of many documents opens. Distances are read when a face is taken,
 * not when it was queued, so the order follows the viewer as they walk while a long queue drains.
 * Pure (no Babylon), so the order is tested without a browser.
 */

/** A point in the room, in metres. */
export interface Point {
  x: number;
  y: number;
  z: number;
}

interface Entry {
  /** Not taken before this time (ms): a face whose document is still loading waits a little. */
  readyAt: number;
  /** Queue order, to break ties between equally distant faces. */
  seq: number;
}

const squaredDistance = (a: Point, b: Point) => (a.x - b.x) ** 2 + (a.y - b.y) ** 2 + (a.z - b.z) ** 2;

export class FaceQueue<T> {
  private readonly entries = new Map<T, Entry>();
  private seq = 0;

  get size(): number {
    return this.entries.size;
  }

  has(item: T): boolean {
    return this.entries.has(item);
  }

  /**
   * Queues `item`, to be taken from `readyAt` on. Queuing it again keeps its place and the earlier
   * of the two times: a face asked for "now" is not held back by an earlier request to wait.
   */
  add(item: T, readyAt: number): void {
    const known = this.entries.get(item);
    if (known) known.readyAt = Math.min(known.readyAt, readyAt);
    else this.entries.set(item, { readyAt, seq: this.seq++ });
  }

  delete(item: T): void {
    this.entries.delete(item);
  }

  /**
   * Removes and returns the ready item nearest `viewer` (by `positionOf`), ties in queue order;
   * null when none is ready at `now`. One pass over the queue: a few hundred faces cost
   * microseconds, and no ordering goes stale as the viewer or the panels move.
   */
  takeNearest(viewer: Point, positionOf: (item: T) => Point, now: number): T | null {
    let best: T | null = null;
    let bestDistance = Infinity;
    let bestSeq = Infinity;
    for (const [item, entry] of this.entries) {
      if (entry.readyAt > now) continue;
      const d = squaredDistance(positionOf(item), viewer);
      if (d < bestDistance || (d === bestDistance && entry.seq < bestSeq)) {
        best = item;
        bestDistance = d;
        bestSeq = entry.seq;
      }
    }
    if (best !== null) this.entries.delete(best);
    return best;
  }

  /** The earliest time an item becomes ready (Infinity when the queue is empty). */
  nextReadyAt(): number {
    let t = Infinity;
    for (const e of this.entries.values()) t = Math.min(t, e.readyAt);
    return t;
  }
}

/** Least time given to drawing faces in a frame (one face is always drawn, even if it takes longer). */
export const MIN_SLICE_MS = 3;
/** Most time given to drawing faces in a frame, however slow the frames come. */
export const MAX_SLICE_MS = 1000;
/** Share of the time between frames that the frame's own work and face drawing may fill together. */
const FRAME_SHARE = 0.8;
/** A render slower than this (30 Hz) leaves no idle time between frames to draw faces in. */
export const SLOW_RENDER_MS = 1000 / 30;

/**
 * Milliseconds of face drawing a frame may take, from the time between the last frames and the
 * JS time of rendering one. Where frames are held back by the display or the GPU (72 Hz on a
 * headset: 13.9 ms between frames), drawing fills the idle part of the main thread; where drawing
 * itself lengthens the frames, the slice shrinks, so the pace settles instead of running away.
 * Where rendering alone is slower than 30 Hz (a software GPU, a weak phone) there is no idle part to
 * fill, and drawing gets as long as a render: the world opens at half speed rather than a face a frame.
 */
export function sliceBudgetMs(frameIntervalMs: number, renderMs: number): number {
  const spare = FRAME_SHARE * frameIntervalMs - renderMs;
  const floor = renderMs > SLOW_RENDER_MS ? renderMs : MIN_SLICE_MS;
  return Math.min(MAX_SLICE_MS, Math.max(floor, Number.isFinite(spare) ? spare : MIN_SLICE_MS));
}
