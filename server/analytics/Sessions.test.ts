import { describe, expect, it } from 'vitest';
import type { AnalyticsStore, RollupPoint } from '../adapters/storage/AnalyticsStore';
import { createLogger } from '../log';
import { Metrics } from '../metrics/Metrics';
import { Sessions } from './Sessions';

/** The rows written, as the store would be given them. */
function rowsKept(): AnalyticsStore & { rows: RollupPoint[] } {
  const rows: RollupPoint[] = [];
  return {
    rows,
    addPoints: async (points) => void rows.push(...points),
    readPoints: async () => [],
    prunePoints: async () => 0,
  };
}

async function counterValue(metrics: Metrics, name: string, labels: Record<string, string>): Promise<number | undefined> {
  const all = (await metrics.registry.getMetricsAsJSON()) as unknown as Array<{ name: string; values: Array<{ value: number; labels: Record<string, string>; metricName?: string }> }>;
  for (const m of all) for (const v of m.values) if ((v.metricName ?? m.name) === name && Object.entries(labels).every(([k, x]) => v.labels[k] === x)) return v.value;
  return undefined;
}

describe('sessions', () => {
  it('INSIGHTS-1: follow the device as it changes: seconds go to each device, the session to the one used longest', async () => {
    let now = Date.UTC(2026, 11, 3, 10, 0, 0);
    const store = rowsKept();
    const metrics = new Metrics();
    const sessions = new Sessions({ metrics, store, log: createLogger('silent'), now: () => now });
    sessions.started('w1', 'ann', 'desktop');
    now += 60_000;
    sessions.device('w1', 'ann', 'desktop'); // unchanged: nothing happens
    sessions.device('w1', 'ann', 'vr');
    expect(sessions.openIn('w1')).toEqual({ vr: 1 });
    now += 300_000;
    sessions.device('w1', 'ann', 'desktop');
    now += 30_000;
    sessions.ended('w1', 'ann');
    await sessions.flush();
    const byDevice = Object.fromEntries(store.rows.map((r) => [r.labels, { count: r.count, sum: r.sum }]));
    expect(byDevice).toEqual({ 'device=desktop,world=w1': { count: 0, sum: 90 }, 'device=vr,world=w1': { count: 1, sum: 300 } });
    expect(await counterValue(metrics, 'dwc_session_device_seconds_total', { device: 'vr' })).toBe(300);
    expect(await counterValue(metrics, 'dwc_session_device_seconds_total', { device: 'desktop' })).toBe(90);
    expect(await counterValue(metrics, 'dwc_session_duration_seconds_count', { device: 'vr' })).toBe(1);
    expect(sessions.openIn('w1')).toEqual({});
  });

  it('a device it does not know is "other", and a person who never joined ends nothing', async () => {
    const store = rowsKept();
    const sessions = new Sessions({ store, log: createLogger('silent') });
    sessions.ended('w1', 'nobody');
    sessions.started('w1', 'bob', 'toaster');
    expect(sessions.openIn('w1')).toEqual({ other: 1 });
    sessions.ended('w1', 'bob');
    await sessions.flush();
    expect(store.rows.map((r) => r.labels)).toEqual(['device=other,world=w1']);
  });
});
