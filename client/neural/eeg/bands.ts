/**
 * EEG band powers from raw samples: a Hann window, a real FFT (fft.js) and the power spectral
 * density summed over each band; the attention and relaxation indices are ratios of them. Pure.
 */
import FFT from 'fft.js';

export const BANDS = {
  delta: [1, 4],
  theta: [4, 8],
  alpha: [8, 13],
  beta: [13, 30],
  gamma: [30, 45],
} as const;
export type BandName = keyof typeof BANDS;
export const BAND_NAMES = Object.keys(BANDS) as BandName[];

/** Absolute power of each band, in the square of the samples' unit (µV² for microvolts). */
export type BandPowers = Record<BandName, number>;

/** Fewest samples a spectrum is computed from (0.25 s at 256 Hz): fewer say nothing about delta. */
export const MIN_SAMPLES = 64;

const ffts = new Map<number, FFT>();
const fftOf = (n: number) => {
  let f = ffts.get(n);
  if (!f) ffts.set(n, (f = new FFT(n)));
  return f;
};

/**
 * Band powers of one channel from its newest samples (the largest power of two of them, at least
 * {@link MIN_SAMPLES}). The mean is removed first so a DC offset does not leak into delta.
 */
export function bandPowers(samples: readonly number[], rate: number): BandPowers {
  if (samples.length < MIN_SAMPLES) throw new RangeError(`need at least ${MIN_SAMPLES} samples, got ${samples.length}`);
  if (!(rate > 0)) throw new RangeError('the sample rate must be positive');
  const n = 2 ** Math.floor(Math.log2(samples.length));
  const start = samples.length - n;
  let mean = 0;
  for (let i = start; i < samples.length; i++) mean += samples[i]!;
  mean /= n;
  const input = new Array<number>(n);
  let windowPower = 0;
  for (let i = 0; i < n; i++) {
    const w = 0.5 * (1 - Math.cos((2 * Math.PI * i) / (n - 1)));
    windowPower += w * w;
    input[i] = (samples[start + i]! - mean) * w;
  }
  const fft = fftOf(n);
  const out = fft.createComplexArray() as number[];
  fft.realTransform(out, input);
  const df = rate / n;
  const powers: BandPowers = { delta: 0, theta: 0, alpha: 0, beta: 0, gamma: 0 };
  // one-sided PSD: |X|² / (rate · Σw²), doubled for the bins that stand for two frequencies
  for (let k = 1; k <= n / 2; k++) {
    const f = k * df;
    const band = BAND_NAMES.find((b) => f >= BANDS[b][0] && f < BANDS[b][1]);
    if (!band) continue;
    const re = out[2 * k]!;
    const im = out[2 * k + 1]!;
    const psd = ((re * re + im * im) / (rate * windowPower)) * (k === n / 2 ? 1 : 2);
    powers[band] += psd * df;
  }
  return powers;
}

/** The mean of several channels' band powers. */
export function meanBands(channels: readonly BandPowers[]): BandPowers {
  const sum: BandPowers = { delta: 0, theta: 0, alpha: 0, beta: 0, gamma: 0 };
  for (const c of channels) for (const b of BAND_NAMES) sum[b] += c[b];
  for (const b of BAND_NAMES) sum[b] /= Math.max(1, channels.length);
  return sum;
}

export function dominantBand(p: BandPowers): BandName {
  return BAND_NAMES.reduce((best, b) => (p[b] > p[best] ? b : best), BAND_NAMES[0]!);
}

export interface EegIndices {
  /** beta / (alpha + theta): rises with focused attention. */
  attention: number;
  /** alpha / (beta + theta): rises with relaxed wakefulness. */
  relaxation: number;
}

export function indices(p: BandPowers): EegIndices {
  const tiny = 1e-12;
  return { attention: p.beta / (p.alpha + p.theta + tiny), relaxation: p.alpha / (p.beta + p.theta + tiny) };
}
