/**
 * Rollups of the product's key series (people online by device, intents, REST requests…) per minute
 * and per hour, for the dashboard and its reports: each row sums the samples that fell in its bucket
 * (count, sum, min, max), so an average, a peak or a total can be read back without the raw samples.
 */

export type Resolution = 'minute' | 'hour';

export const BUCKET_MS: Record<Resolution, number> = { minute: 60_000, hour: 3_600_000 };

export interface RollupPoint {
  resolution: Resolution;
  series: string;
  /** The point's labels as `k=v` pairs joined by commas, sorted (`device=vr`); '' when none. */
  labels: string;
  /** Start of the bucket, in milliseconds since the epoch. */
  bucket: number;
  count: number;
  sum: number;
  min: number;
  max: number;
}

export interface RollupQuery {
  resolution: Resolution;
  series: string;
  /** Buckets starting at or after this (ms). */
  from: number;
  /** Buckets starting before this (ms). */
  to: number;
  limit: number;
}

export interface AnalyticsStore {
  /** Adds samples to their rows: counts and sums add up, minimum and maximum widen. */
  addPoints(points: readonly RollupPoint[]): Promise<void>;
  /** Rows of one series in a time range, oldest first, at most `limit`. */
  readPoints(q: RollupQuery): Promise<RollupPoint[]>;
  /** Removes the rows of `series` at `resolution` whose bucket starts before `before`; how many went. */
  prunePoints(resolution: Resolution, series: string, before: number): Promise<number>;
}

/** `a` with `b`'s samples added. */
export function mergePoint(a: RollupPoint, b: RollupPoint): RollupPoint {
  return { ...a, count: a.count + b.count, sum: a.sum + b.sum, min: Math.min(a.min, b.min), max: Math.max(a.max, b.max) };
}
