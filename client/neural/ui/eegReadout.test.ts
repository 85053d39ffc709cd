import { describe, expect, it } from 'vitest';
import { DEFAULT_EEG_RULES } from '../eeg/EegProcessor';
import { eegReadout, indexPercent } from './eegReadout';

describe('the EEG readout', () => {
  it('puts the indices on a 0–100 % scale where the command level is half', () => {
    expect(indexPercent(1.5, 1.5)).toBe(50);
    expect(indexPercent(0, 1.5)).toBe(0);
    expect(indexPercent(9.78, 1.5)).toBe(87);
    expect(indexPercent(1e9, 1.5)).toBeLessThanOrEqual(100);
    expect(indexPercent(Number.NaN, 1.5)).toBe(0);
  });

  it('says what each number means', () => {
    const [attention, relaxation] = eegReadout({ attention: 9.78, relaxation: 0.05 }, DEFAULT_EEG_RULES);
    expect(attention!.text).toBe('Attention 87 % (confirm above 50 % for 3 s)');
    expect(relaxation!.text).toBe('Relaxation 3 % (relax above 50 % for 3 s)');
  });
});
