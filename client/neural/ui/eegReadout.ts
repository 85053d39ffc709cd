/**
 * The EEG indices in words people can read. The indices are ratios of band powers with no natural
 * top (a focused simulator gives 10 or more), so each is shown on a 0–100 % scale on which the
 * level that gives its command sits at 50 %: above half, held for the rule's time, counts.
 */
import type { EegCommandRule } from '../eeg/EegProcessor';
import type { EegIndices } from '../eeg/bands';

/** `value` on the 0–100 scale where `threshold` is 50. */
export function indexPercent(value: number, threshold: number): number {
  if (!Number.isFinite(value) || value <= 0) return 0;
  return Math.round((100 * value) / (value + threshold));
}

export interface IndexReadout {
  index: keyof EegIndices;
  label: string;
  percent: number;
  /** e.g. "Attention 87 % (confirm above 50 % for 3 s)". */
  text: string;
}

const LABELS: Record<keyof EegIndices, string> = { attention: 'Attention', relaxation: 'Relaxation' };

export function eegReadout(indices: EegIndices, rules: readonly EegCommandRule[]): IndexReadout[] {
  return rules.map((rule) => {
    const percent = indexPercent(indices[rule.index], rule.threshold);
    const label = LABELS[rule.index];
    return { index: rule.index, label, percent, text: `${label} ${percent} % (${rule.command} above 50 % for ${rule.sustainMs / 1000} s)` };
  });
}
