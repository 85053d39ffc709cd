import { describe, expect, it } from 'vitest';
import { toneWav } from './fakeMicrophone';

describe('the fake microphone\'s tone', () => {
  it('is a PCM WAV of whole sine cycles at the asked level', () => {
    const wav = toneWav({ hz: 500, seconds: 0.1, amplitude: 0.25, sampleRate: 8000 });
    expect(wav.toString('ascii', 0, 4)).toBe('RIFF');
    expect(wav.readUInt32LE(24)).toBe(8000);
    const samples = (wav.length - 44) / 2;
    // 50 cycles of 16 samples
    expect(samples).toBe(800);
    const values = Array.from({ length: samples }, (_, i) => wav.readInt16LE(44 + i * 2));
    expect(Math.max(...values)).toBeCloseTo(0.25 * 32767, -1);
    expect(values[0]).toBe(0);
    expect(values[4]).toBe(Math.round(0.25 * 32767));
  });
});
