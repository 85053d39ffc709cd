/**
 * The XR hand source: every frame while hands are tracked, classifies each hand's 25 joints
 * (pinch, thumbs-up, open palm, fist) and reports what it sees. Nothing is read while no hand is.
 */
import type { NeuralReading } from '../types';
import { NeuralSourceBase } from '../NeuralSourceBase';
import { classifyHand, type Joint } from './handGestures';

export interface HandTracker {
  /** The joints of a tracked hand in WebXR order, or null when that hand is not tracked. */
  handJoints(handedness: 'left' | 'right'): Joint[] | null;
  /** Calls `frame` before every rendered frame; returns the function that stops it. */
  onFrame(frame: () => void): () => void;
}

export class XrHandSource extends NeuralSourceBase {
  readonly kind = 'xr-hands' as const;

  constructor(private readonly tracker: HandTracker) {
    super();
  }

  async start(): Promise<void> {
    this.ensureLive();
    if (this.whileRunning.size === 0) this.whileRunning.add(this.tracker.onFrame(() => this.frame()));
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
      this.readings.emit(reading);
    }
  }
}
