import { describe, expect, it } from 'vitest';
import { toColumns } from './chartData';

const at = (ms: number) => new Date(ms).toISOString();
const row = (ms: number, labels: string, v: number) => ({ at: at(ms), labels, count: 1, sum: v, min: v, max: v, avg: v });

describe('chart columns from rollups', () => {
  it('one time axis for every bucket, a line per label value, gaps for gauges and zeros for counters', () => {
    const from = 0;
    const to = 5 * 60_000;
    const points = [row(0, 'device=vr', 2), row(120_000, 'device=vr', 3), row(120_000, 'device=desktop', 1)];
    const gauge = toColumns(points, { resolution: 'minute', from, to, reading: 'max', splitBy: 'device', zeroWhenMissing: false });
    expect(gauge.times).toEqual([0, 60, 120, 180, 240]);
    expect(gauge.lines).toEqual([
      { label: 'desktop', values: [null, null, 1, null, null] },
      { label: 'vr', values: [2, null, 3, null, null] },
    ]);
    const counter = toColumns(points, { resolution: 'minute', from, to, reading: 'sum', zeroWhenMissing: true, label: 'all', scale: 10 });
    expect(counter.lines).toEqual([{ label: 'all', values: [20, 0, 40, 0, 0] }]);
  });

  it('rows outside the range are left out, and an empty series has no lines', () => {
    expect(toColumns([row(10 * 3_600_000, '', 1)], { resolution: 'hour', from: 0, to: 3 * 3_600_000, reading: 'sum', zeroWhenMissing: true }).lines).toEqual([]);
  });
});
