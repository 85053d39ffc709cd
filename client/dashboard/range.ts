/** The time ranges the dashboard offers, and the resolution each is read at. */
import type { Resolution } from './analyticsApi';

export interface Range {
  from: number;
  to: number;
  resolution: Resolution;
}

export const RANGES = [
  { id: '1h', label: 'Last hour', ms: 3_600_000, resolution: 'minute' },
  { id: '24h', label: 'Last 24 hours', ms: 86_400_000, resolution: 'minute' },
  { id: '7d', label: 'Last 7 days', ms: 7 * 86_400_000, resolution: 'hour' },
  { id: '30d', label: 'Last 30 days', ms: 30 * 86_400_000, resolution: 'hour' },
] as const;
export type RangeId = (typeof RANGES)[number]['id'];

export function rangeFor(id: RangeId, now = Date.now()): Range {
  const r = RANGES.find((x) => x.id === id) ?? RANGES[1];
  return { from: now - r.ms, to: now + 1, resolution: r.resolution };
}
