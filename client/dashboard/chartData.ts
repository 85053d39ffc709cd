/**
 * Rollup rows into the columns uPlot draws: one time axis of every bucket in the range (in seconds),
 * and one line per value of the label that splits the series (`device=vr` → "vr"), with gaps where
 * a gauge had no sample and zero where a counter did not move.
 */
import type { RollupPoint, Resolution } from './analyticsApi';

export interface ChartColumns {
  /** Bucket starts, in seconds since the epoch. */
  times: number[];
  lines: Array<{ label: string; values: Array<number | null> }>;
}

const BUCKET_MS: Record<Resolution, number> = { minute: 60_000, hour: 3_600_000 };

/** What a bucket shows: the peak of a gauge (people online), the total of a counter (runs), or the average. */
export type Reading = 'max' | 'sum' | 'avg';

export interface ColumnOptions {
  resolution: Resolution;
  from: number;
  to: number;
  reading: Reading;
  /** The label that splits the series into lines; absent: one line summed over all labels. */
  splitBy?: string;
  /** Applied to each value (seconds → minutes). */
  scale?: number;
  /** Counters are zero where nothing was counted; gauges have a gap. */
  zeroWhenMissing: boolean;
  /** The name of the single line when not split. */
  label?: string;
}

function labelValue(labels: string, key: string): string {
  for (const pair of labels.split(',')) if (pair.startsWith(`${key}=`)) return pair.slice(key.length + 1);
  return '';
}

export function toColumns(points: readonly RollupPoint[], o: ColumnOptions): ChartColumns {
  const step = BUCKET_MS[o.resolution];
  const first = Math.floor(o.from / step) * step;
  const times: number[] = [];
  for (let at = first; at < o.to; at += step) times.push(at / 1000);
  const index = new Map(times.map((t, i) => [t * 1000, i]));
  const byLine = new Map<string, Array<number | null>>();
  const scale = o.scale ?? 1;
  for (const p of points) {
    const i = index.get(Date.parse(p.at));
    if (i === undefined) continue;
    const label = o.splitBy ? labelValue(p.labels, o.splitBy) || 'other' : (o.label ?? 'total');
    let values = byLine.get(label);
    if (!values) byLine.set(label, (values = times.map(() => (o.zeroWhenMissing ? 0 : null))));
    const v = (o.reading === 'max' ? p.max : o.reading === 'sum' ? p.sum : p.avg) * scale;
    // rows of other labels summed into this line add up (a max of a sum is near enough for a peak)
    values[i] = (values[i] ?? 0) + v;
  }
  const lines = [...byLine].sort((a, b) => a[0].localeCompare(b[0])).map(([label, values]) => ({ label, values }));
  return { times, lines };
}
