/**
 * The channel's policy: which readings become commands. A reading counts only above its command's
 * calibrated threshold; a command is given once it has been seen, above threshold and without a
 * gap, for the minimum hold time; then the same command is not given again within the debounce.
 * Pure: readings carry their own time.
 */
import type { NeuralReading } from './types';

export interface PolicySettings {
  /** Threshold of commands that have no calibration of their own. */
  defaultThreshold: number;
  /** Calibrated thresholds by command, e.g. a pinch that one person's hands give weakly. */
  thresholds: Record<string, number>;
  /** How long a command must be held before it is given (ms). */
  holdMs: number;
  /** A pause in the readings longer than this breaks a hold (ms). */
  maxGapMs: number;
  /** How long after giving a command the same command is not given again (ms). */
  debounceMs: number;
}

export const DEFAULT_POLICY: PolicySettings = { defaultThreshold: 0.6, thresholds: {}, holdMs: 400, maxGapMs: 1000, debounceMs: 2000 };

export type Verdict =
  /** Under the command's threshold: ignored. */
  | { type: 'below'; threshold: number }
  /** Counted, but not held long enough yet. */
  | { type: 'holding'; heldMs: number }
  /** Given: the command goes to the server, with the mean confidence over the hold. */
  | { type: 'fire'; confidence: number; heldMs: number }
  /** Held long enough, but given too recently. */
  | { type: 'debounced'; waitMs: number };

interface Hold {
  since: number;
  last: number;
  sum: number;
  count: number;
}

export class NeuralPolicy {
  private readonly holds = new Map<string, Hold>();
  private readonly lastFired = new Map<string, number>();

  constructor(public settings: PolicySettings = DEFAULT_POLICY) {}

  thresholdOf(command: string): number {
    return this.settings.thresholds[command] ?? this.settings.defaultThreshold;
  }

  /** Sets a command's threshold from readings taken while a person gives it on purpose. */
  calibrate(command: string, samples: readonly number[], margin = 0.1): number {
    if (!samples.length) return this.thresholdOf(command);
    const sorted = [...samples].sort((a, b) => a - b);
    // the 20th percentile of the deliberate readings, less a margin: most deliberate gestures pass
    const threshold = Math.max(0.05, Math.min(0.99, sorted[Math.floor(sorted.length * 0.2)]! - margin));
    this.settings = { ...this.settings, thresholds: { ...this.settings.thresholds, [command]: threshold } };
    return threshold;
  }

  judge(reading: NeuralReading): Verdict {
    const key = `${reading.source}:${reading.command}`;
    const threshold = this.thresholdOf(reading.command);
    if (!(reading.confidence >= threshold)) {
      this.holds.delete(key);
      return { type: 'below', threshold };
    }
    let hold = this.holds.get(key);
    if (!hold || reading.at - hold.last > this.settings.maxGapMs || reading.at < hold.last) {
      hold = { since: reading.at, last: reading.at, sum: 0, count: 0 };
      this.holds.set(key, hold);
    }
    hold.last = reading.at;
    hold.sum += reading.confidence;
    hold.count += 1;
    const heldMs = reading.at - hold.since;
    if (heldMs < this.settings.holdMs) return { type: 'holding', heldMs };
    const fired = this.lastFired.get(reading.command);
    if (fired !== undefined && reading.at - fired < this.settings.debounceMs) {
      return { type: 'debounced', waitMs: this.settings.debounceMs - (reading.at - fired) };
    }
    this.lastFired.set(reading.command, reading.at);
    const confidence = hold.sum / hold.count;
    // the next command needs a hold of its own
    this.holds.delete(key);
    return { type: 'fire', confidence, heldMs };
  }

  reset(): void {
    this.holds.clear();
    this.lastFired.clear();
  }
}
