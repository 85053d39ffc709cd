import { describe, expect, it } from 'vitest';
import { bandPowers, dominantBand, indices } from './bands';
import { parseEegMessage } from './eegMessages';
import { EegProcessor } from './EegProcessor';
import { EegSimulator } from './EegSimulator';
import { seededRandom } from '../../../shared/random';

const RATE = 256;

/** `seconds` of a sinusoid of `hz` (amplitude 10 µV) plus gaussian noise (σ 2 µV), seeded. */
function sinusoid(hz: number, seconds = 2, seed = 7): number[] {
  const random = seededRandom(seed);
  return Array.from({ length: RATE * seconds }, (_, i) => {
    const noise = Math.sqrt(-2 * Math.log(Math.max(1e-12, random()))) * Math.cos(2 * Math.PI * random());
    return 10 * Math.sin((2 * Math.PI * hz * i) / RATE + 0.3) + 2 * noise + 40; // +40: a DC offset
  });
}

describe('EEG band powers', () => {
  it('finds alpha in a 10 Hz sinusoid with noise, with relaxation up and attention down', () => {
    const p = bandPowers(sinusoid(10), RATE);
    expect(dominantBand(p)).toBe('alpha');
    // a sinusoid of amplitude A has power A²/2 = 50 µV²; the Hann window keeps it within its band
    expect(p.alpha).toBeGreaterThan(40);
    expect(p.alpha).toBeLessThan(60);
    expect(p.delta).toBeLessThan(p.alpha / 10);
    const idx = indices(p);
    expect(idx.relaxation).toBeGreaterThan(5);
    expect(idx.attention).toBeLessThan(0.2);
  });

  it('finds beta in a 20 Hz sinusoid, with attention up', () => {
    const p = bandPowers(sinusoid(20), RATE);
    expect(dominantBand(p)).toBe('beta');
    const idx = indices(p);
    expect(idx.attention).toBeGreaterThan(5);
    expect(idx.relaxation).toBeLessThan(0.2);
  });

  it('puts 2, 6 and 38 Hz in delta, theta and gamma', () => {
    expect(dominantBand(bandPowers(sinusoid(2), RATE))).toBe('delta');
    expect(dominantBand(bandPowers(sinusoid(6), RATE))).toBe('theta');
    expect(dominantBand(bandPowers(sinusoid(38), RATE))).toBe('gamma');
  });

  it('refuses too few samples', () => {
    expect(() => bandPowers([1, 2, 3], RATE)).toThrow(/at least 64/);
  });
});

describe('EEG stream messages', () => {
  it('accepts samples and bands', () => {
    expect(parseEegMessage(JSON.stringify({ type: 'samples', rate: 256, channels: [[1, 2], [3, 4]] }))).toMatchObject({ ok: true });
    expect(parseEegMessage(JSON.stringify({ type: 'bands', delta: 1, theta: 2, alpha: 3, beta: 4, gamma: 5 }))).toMatchObject({ ok: true });
  });

  it('turns malformed messages into an error result, never a throw', () => {
    const bad: unknown[] = [
      'not json',
      '{"type":"samples","rate":256,"channels":[[1,2],[3]]}',
      '{"type":"samples","rate":256,"channels":[["a"]]}',
      '{"type":"samples","rate":0,"channels":[[1]]}',
      '{"type":"bands","delta":-1,"theta":2,"alpha":3,"beta":4,"gamma":5}',
      '{"type":"bands","delta":1}',
      '{"type":"spikes"}',
      'null',
      '[]',
      '"samples"',
      new ArrayBuffer(4),
      42,
      'x'.repeat(1_000_001),
    ];
    for (const m of bad) {
      const parsed = parseEegMessage(m);
      expect(parsed.ok, String(m).slice(0, 60)).toBe(false);
      if (!parsed.ok) expect(parsed.error.length).toBeGreaterThan(10);
    }
    expect(parseEegMessage('{"type":"samples","rate":256,"channels":[[1,2],[3]]}')).toEqual({ ok: false, error: expect.stringMatching(/same number of samples/) });
  });
});

describe('EEG commands', () => {
  function feed(sim: EegSimulator, processor: EegProcessor, seconds: number, startMs: number) {
    const updates = [];
    for (let t = 0; t < seconds * 8; t++) updates.push(processor.push(sim.next(32), startMs + t * 125));
    return updates.filter((u) => u !== null);
  }

  it('gives confirm only after focus has been held for 3 s, and relax for a relaxed stretch', () => {
    const sim = new EegSimulator(42);
    const processor = new EegProcessor();
    expect(feed(sim, processor, 3, 0).flatMap((u) => u.readings)).toEqual([]); // neutral: nothing
    sim.state = 'focus';
    const focus = feed(sim, processor, 6, 3000);
    const firstConfirm = focus.find((u) => u.readings.some((r) => r.command === 'confirm'));
    expect(firstConfirm).toBeDefined();
    // the 2 s window fills with focus first, then the 3 s hold
    const at = firstConfirm!.readings[0]!.at;
    expect(at).toBeGreaterThanOrEqual(3000 + 3000);
    expect(firstConfirm!.readings[0]).toMatchObject({ source: 'eeg', confidence: expect.any(Number) });
    expect(focus.at(-1)!.indices.attention).toBeGreaterThan(1.5);
    sim.state = 'relax';
    const relax = feed(sim, processor, 7, 9000);
    expect(relax.at(-1)!.readings.map((r) => r.command)).toEqual(['relax']);
    expect(relax.at(-1)!.bands.alpha).toBeGreaterThan(relax.at(-1)!.bands.beta);
  });

  it('the simulator is seeded', () => {
    expect(new EegSimulator(3).next(16)).toEqual(new EegSimulator(3).next(16));
    expect(new EegSimulator(3).next(16)).not.toEqual(new EegSimulator(4).next(16));
  });
});
