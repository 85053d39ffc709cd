/**
 * Turns a stream of EEG messages into band powers, indices and commands: it keeps the newest
 * window of samples of each channel, and turns an index held above its threshold long enough
 * into a command ("focus held 3 s" → `confirm`, relaxation held → `relax`). Pure: time comes in.
 */
import type { NeuralReading } from '../types';
import { MIN_SAMPLES, bandPowers, indices, meanBands, type BandPowers, type EegIndices } from './bands';
import { bandsOf, type EegMessage } from './eegMessages';

export interface EegCommandRule {
  command: string;
  index: keyof EegIndices;
  /** The index must stay at or above this… */
  threshold: number;
  /** …for this long before the command is given. */
  sustainMs: number;
}

export const DEFAULT_EEG_RULES: readonly EegCommandRule[] = [
  { command: 'confirm', index: 'attention', threshold: 1.5, sustainMs: 3000 },
  { command: 'relax', index: 'relaxation', threshold: 1.5, sustainMs: 3000 },
];

export interface EegUpdate {
  bands: BandPowers;
  indices: EegIndices;
  /** Commands whose index has been held long enough, with confidence from how far above it is. */
  readings: NeuralReading[];
}

/** Confidence 0.5 at the threshold, rising to 1 at twice it. */
export const confidenceAbove = (value: number, threshold: number) => Math.max(0, Math.min(1, 0.5 + (0.5 * (value - threshold)) / threshold));

export class EegProcessor {
  private buffers: number[][] = [];
  private rate = 0;
  private readonly since = new Map<string, number>();

  constructor(
    private readonly rules: readonly EegCommandRule[] = DEFAULT_EEG_RULES,
    /** Seconds of samples the spectrum is taken over. */
    private readonly windowSeconds = 2,
  ) {}

  /** Takes one message; answers an update when there is enough signal to say something. */
  push(message: EegMessage, at: number): EegUpdate | null {
    let bands: BandPowers;
    if (message.type === 'bands') {
      bands = bandsOf(message);
    } else {
      if (message.rate !== this.rate || message.channels.length !== this.buffers.length) {
        this.rate = message.rate;
        this.buffers = message.channels.map(() => []);
      }
      const keep = Math.max(MIN_SAMPLES, Math.round(this.rate * this.windowSeconds));
      message.channels.forEach((chunk, c) => {
        const buffer = this.buffers[c]!;
        buffer.push(...chunk);
        if (buffer.length > keep) buffer.splice(0, buffer.length - keep);
      });
      if (this.buffers[0]!.length < MIN_SAMPLES) return null;
      bands = meanBands(this.buffers.map((b) => bandPowers(b, this.rate)));
    }
    const idx = indices(bands);
    return { bands, indices: idx, readings: this.judge(idx, at) };
  }

  reset(): void {
    this.buffers = [];
    this.rate = 0;
    this.since.clear();
  }

  private judge(idx: EegIndices, at: number): NeuralReading[] {
    const out: NeuralReading[] = [];
    for (const rule of this.rules) {
      const value = idx[rule.index];
      if (value < rule.threshold) {
        this.since.delete(rule.command);
        continue;
      }
      const since = this.since.get(rule.command) ?? at;
      this.since.set(rule.command, since);
      if (at - since >= rule.sustainMs) out.push({ command: rule.command, confidence: confidenceAbove(value, rule.threshold), source: 'eeg', at });
    }
    return out;
  }
}
