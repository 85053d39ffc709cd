/**
 * Commands from the optional MediaPipe models, when the server has them: the gesture recogniser's
 * hand gestures and a long blink from the face landmarker's blendshapes. Pure: results in, commands
 * out; the blink detector is given the time of each frame.
 */

/** The parts of a MediaPipe category these functions read. */
export interface ScoredCategory {
  readonly categoryName: string;
  readonly score: number;
}

export interface ModelGesture {
  readonly command: string;
  readonly confidence: number;
}

/**
 * The canned gesture recogniser's categories, named as the XR hand source names the same gestures
 * so a workflow step accepting `thumbs_up` takes it from either. `None` is no command.
 */
export const GESTURE_COMMANDS: Readonly<Record<string, string>> = {
  Thumb_Up: 'thumbs_up',
  Thumb_Down: 'thumbs_down',
  Open_Palm: 'open_palm',
  Closed_Fist: 'fist',
  Pointing_Up: 'point_up',
  Victory: 'victory',
  ILoveYou: 'i_love_you',
};

/**
 * One command per gesture seen, from the recogniser's per-hand categories (best first); with both
 * hands giving the same gesture, the surer one counts.
 */
export function gestureCommands(hands: readonly (readonly ScoredCategory[])[]): ModelGesture[] {
  const best = new Map<string, number>();
  for (const categories of hands) {
    const top = categories[0];
    const command = top && GESTURE_COMMANDS[top.categoryName];
    if (!command || !(top.score > 0)) continue;
    best.set(command, Math.max(best.get(command) ?? 0, Math.min(1, top.score)));
  }
  return [...best].map(([command, confidence]) => ({ command, confidence })).sort((a, b) => b.confidence - a.confidence);
}

/** How closed both eyes are (0..1) from face blendshapes: the less closed eye decides. */
export function eyesClosed(blendshapes: readonly ScoredCategory[]): number {
  const score = (name: string) => blendshapes.find((c) => c.categoryName === name)?.score;
  const left = score('eyeBlinkLeft');
  const right = score('eyeBlinkRight');
  if (left === undefined || right === undefined) return 0;
  return Math.max(0, Math.min(1, Math.min(left, right)));
}

/** Eyes count as closed above this blendshape score. */
const CLOSED = 0.5;
/** Ordinary blinks last 100-400 ms; a deliberate one is held longer than that. */
export const LONG_BLINK_MS = 700;
/** Frames further apart than this break a closure (the face was lost, or the page stalled). */
const MAX_GAP_MS = 500;

/**
 * Turns per-frame eye closure into `long_blink`: eyes closed without a break for LONG_BLINK_MS.
 * Reported on each frame while they stay closed past that, with the mean closure as confidence,
 * so the channel's hold and debounce treat it like any other held command.
 */
export class LongBlinkDetector {
  private since: number | undefined;
  private last = 0;
  private sum = 0;
  private count = 0;

  update(closed: number, at: number): ModelGesture | null {
    if (closed < CLOSED || (this.since !== undefined && (at - this.last > MAX_GAP_MS || at < this.last))) {
      this.since = undefined;
      if (closed < CLOSED) return null;
    }
    if (this.since === undefined) {
      this.since = at;
      this.sum = 0;
      this.count = 0;
    }
    this.last = at;
    this.sum += closed;
    this.count += 1;
    return at - this.since >= LONG_BLINK_MS ? { command: 'long_blink', confidence: this.sum / this.count } : null;
  }

  reset(): void {
    this.since = undefined;
  }
}
