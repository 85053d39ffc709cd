/**
 * Draws queued panel faces a slice at a time after each frame, nearest the viewer first (see
 * faceQueue.ts). A world of two hundred documents then opens with the ones in front of the person
 * readable first, the frames keep coming while the rest are drawn, and the atlas pages fill one
 * after another so each frame rebuilds the mip levels of few pages.
 */
import type { Scene } from '@babylonjs/core/scene';
import type { Observer } from '@babylonjs/core/Misc/observable';
import { FaceQueue, sliceBudgetMs, type Point } from '../content/faceQueue';
import { inBackground } from '../ui/kit/background';

/** What the scheduler draws: a face that knows where it stands and draws one step when asked. */
export interface ScheduledFace {
  /** Where the face stands in the world now. */
  position(): Point;
  /** Draws the face once as it should look now. */
  drawStep(): Promise<void>;
}

const ORIGIN: Point = { x: 0, y: 0, z: 0 };
/** A gap between frames longer than this is a pause in drawing, not a frame. */
const PAUSE_MS = 400;

export class FaceScheduler {
  private readonly queue = new FaceQueue<ScheduledFace>();
  private readonly afterRender: Observer<Scene>;
  private running = false;
  private lastFrameAt = 0;
  private frameIntervalMs = 1000 / 72;
  private renderStartedAt = 0;
  private renderMs = 0;
  private readonly beforeRender: Observer<Scene>;
  private disposed = false;

  constructor(private readonly scene: Scene) {
    this.beforeRender = scene.onBeforeRenderObservable.add(() => {
      this.renderStartedAt = performance.now();
    });
    this.afterRender = scene.onAfterRenderObservable.add(() => this.afterFrame());
  }

  /** Faces waiting to be drawn. */
  get pending(): number {
    return this.queue.size;
  }

  /** Faces are waiting or being drawn. */
  get working(): boolean {
    return this.running || this.queue.size > 0;
  }

  /** Asks for `face` to be drawn, after `delayMs` at the latest (sooner if asked again sooner). */
  request(face: ScheduledFace, delayMs = 0): void {
    if (!this.disposed) this.queue.add(face, performance.now() + delayMs);
  }

  /** Forgets a face that is gone. */
  cancel(face: ScheduledFace): void {
    this.queue.delete(face);
  }

  private afterFrame(): void {
    const now = performance.now();
    // smoothed, so one slow frame does not swing the next slice
    // a still world is not drawn at all (see renderDemand.ts): a gap that long is a pause, not a slow frame
    const interval = now - this.lastFrameAt;
    if (this.lastFrameAt && interval < PAUSE_MS) this.frameIntervalMs += (interval - this.frameIntervalMs) * 0.25;
    this.lastFrameAt = now;
    this.renderMs += (now - this.renderStartedAt - this.renderMs) * 0.25;
    if (!this.running && this.queue.size) inBackground(this.slice(now), 'Drawing documents');
  }

  /** Draws nearest faces until the frame's share of time is used; always at least one. */
  private async slice(start: number): Promise<void> {
    this.running = true;
    try {
      const budget = sliceBudgetMs(this.frameIntervalMs, this.renderMs);
      let drawn = 0;
      for (;;) {
        const now = performance.now();
        if (this.disposed || (drawn > 0 && now - start >= budget)) return;
        const face = this.queue.takeNearest(this.scene.activeCamera?.globalPosition ?? ORIGIN, (f) => f.position(), now);
        if (!face) return;
        await face.drawStep();
        drawn++;
      }
    } finally {
      this.running = false;
    }
  }

  dispose(): void {
    this.disposed = true;
    this.beforeRender.remove();
    this.afterRender.remove();
  }
}
