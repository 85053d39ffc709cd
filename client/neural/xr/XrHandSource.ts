/**
 * The XR hand source: every frame while hands are tracked, classifies each hand's 25 joints
 * (pinch, thumbs-up, open palm, fist) and reports what it sees. Nothing is read while no hand is.
 */
import type { NeuralReading, NeuralSource } from '../types';
import { classifyHand, type Joint } from './handGestures';
import { Listeners } from '../listeners';

export interface HandTracker {
  /** The joints of a tracked hand in WebXR order, or null when that hand is not tracked. */
  handJoints(handedness: 'left' | 'right'): Joint[] | null;
  /** Calls `frame` before every rendered frame; returns the function that stops it. */
  onFrame(frame: () => void): () => void;
}

export class XrHandSource implements NeuralSource {
  readonly kind = 'xr-hands' as const;
  private readonly listeners = new Listeners<NeuralReading>();
  private off: (() => void) | null = null;

  constructor(private readonly tracker: HandTracker) {}

  async start(): Promise<void> {
    this.off ??= this.tracker.onFrame(() => this.frame());
  }

  stop(): void {
    this.off?.();
    this.off = null;
  }

  onReading(listener: (reading: NeuralReading) => void): () => void {
    return this.listeners.add(listener);
  }

  private frame(): void {
    const at = performance.now();
    for (const side of ['left', 'right'] as const) {
      const joints = this.tracker.handJoints(side);
      if (!joints) continue;
      let seen: ReturnType<typeof classifyHand>;
      try {
        seen = classifyHand(joints);
      } catch {
        continue; // a frame with a joint the runtime could not place
      }
      if (!seen) continue;
      const reading: NeuralReading = { command: seen.gesture, confidence: seen.confidence, source: 'xr-hands', at };
      this.listeners.emit(reading);
    }
  }
}
