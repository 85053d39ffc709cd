import { describe, expect, it } from 'vitest';
import { NeuralPolicy } from './policy';
import type { NeuralReading } from './types';

const r = (command: string, confidence: number, at: number, source: NeuralReading['source'] = 'xr-hands'): NeuralReading => ({ command, confidence, at, source });
const settings = { defaultThreshold: 0.6, thresholds: { pinch: 0.8 }, holdMs: 300, maxGapMs: 200, debounceMs: 1000 };

/** Readings every 100 ms from `from` to `to` (inclusive). */
const stream = (p: NeuralPolicy, command: string, confidence: number, from: number, to: number) => {
  const out = [];
  for (let at = from; at <= to; at += 100) out.push(p.judge(r(command, confidence, at)));
  return out;
};

describe('the neural channel policy', () => {
  it('gives a command once it has been held above its threshold for the hold time', () => {
    const p = new NeuralPolicy(settings);
    expect(stream(p, 'fist', 0.7, 0, 300).map((v) => v.type)).toEqual(['holding', 'holding', 'holding', 'fire']);
  });

  it('ignores readings below the calibrated threshold of their command', () => {
    const p = new NeuralPolicy(settings);
    expect(stream(p, 'pinch', 0.75, 0, 500).every((v) => v.type === 'below')).toBe(true);
    expect(stream(p, 'pinch', 0.85, 600, 900).at(-1)).toMatchObject({ type: 'fire', confidence: 0.85 });
  });

  it('a reading under the threshold, or a gap in the readings, starts the hold again', () => {
    const p = new NeuralPolicy(settings);
    stream(p, 'fist', 0.9, 0, 200);
    expect(p.judge(r('fist', 0.3, 250)).type).toBe('below');
    expect(stream(p, 'fist', 0.9, 300, 500).map((v) => v.type)).toEqual(['holding', 'holding', 'holding']);
    expect(p.judge(r('fist', 0.9, 900)).type).toBe('holding'); // 400 ms gap
  });

  it('debounces: the same command is not given again within the debounce time', () => {
    const p = new NeuralPolicy(settings);
    stream(p, 'fist', 0.9, 0, 300);
    const again = stream(p, 'fist', 0.9, 400, 1200);
    expect(again.filter((v) => v.type === 'fire')).toEqual([]);
    expect(again.some((v) => v.type === 'debounced')).toBe(true);
    expect(stream(p, 'fist', 0.9, 1300, 1700).some((v) => v.type === 'fire')).toBe(true);
  });

  it('reports the mean confidence over the hold', () => {
    const p = new NeuralPolicy(settings);
    [0.7, 0.8, 0.9].forEach((c, i) => p.judge(r('fist', c, i * 100)));
    expect(p.judge(r('fist', 1, 300))).toMatchObject({ type: 'fire', confidence: 0.85 });
  });

  it('calibrates a threshold from deliberate readings', () => {
    const p = new NeuralPolicy(settings);
    const t = p.calibrate('thumbs_up', [0.9, 0.7, 0.95, 0.8, 0.85, 0.9, 0.92, 0.88, 0.75, 0.93]);
    expect(t).toBeCloseTo(0.7, 5); // the 20th percentile (0.8) less the 0.1 margin
    expect(p.thresholdOf('thumbs_up')).toBe(t);
    expect(p.judge(r('thumbs_up', 0.62, 0)).type).toBe('below');
  });
});
