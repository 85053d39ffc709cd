/**
 * A built-in EEG headband for demos and tests: seeded, so the same seed gives the same signal,
 * and told what state to imitate — focused (strong beta), relaxed (strong alpha) or neutral.
 */
import type { EegMessage } from './eegMessages';
import { seededRandom } from '../../../shared/random';

export type SimulatedState = 'neutral' | 'focus' | 'relax';

/** Amplitudes in µV of each rhythm for each state; noise is added on top. */
const PROFILES: Record<SimulatedState, { delta: number; theta: number; alpha: number; beta: number; gamma: number }> = {
  neutral: { delta: 12, theta: 8, alpha: 10, beta: 7, gamma: 2 },
  focus: { delta: 6, theta: 4, alpha: 4, beta: 18, gamma: 3 },
  relax: { delta: 6, theta: 5, alpha: 20, beta: 4, gamma: 1 },
};
const FREQUENCIES = { delta: 2, theta: 6, alpha: 10, beta: 20, gamma: 38 };
const NOISE_UV = 3;

export class EegSimulator {
  state: SimulatedState = 'neutral';
  private readonly random: () => number;
  private readonly phases: number[][];
  private index = 0;

  constructor(
    seed = 1,
    readonly rate = 256,
    readonly channelCount = 4,
  ) {
    this.random = seededRandom(seed);
    this.phases = Array.from({ length: channelCount }, () => Object.keys(FREQUENCIES).map(() => this.random() * 2 * Math.PI));
  }

  /** The next `count` samples of every channel, as a bridge would send them. */
  next(count: number): EegMessage {
    const profile = PROFILES[this.state];
    const names = Object.keys(FREQUENCIES) as Array<keyof typeof FREQUENCIES>;
    const channels = this.phases.map((phases) => {
      const out = new Array<number>(count);
      for (let i = 0; i < count; i++) {
        const t = (this.index + i) / this.rate;
        let v = 0;
        names.forEach((b, k) => (v += profile[b] * Math.sin(2 * Math.PI * FREQUENCIES[b] * t + phases[k]!)));
        out[i] = v + this.gaussian() * NOISE_UV;
      }
      return out;
    });
    this.index += count;
    return { type: 'samples', rate: this.rate, channels };
  }

  private gaussian(): number {
    const u = Math.max(1e-12, this.random());
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.random());
  }
}
