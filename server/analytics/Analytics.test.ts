/**
 * Analytics rollups on the real embedded store (LevelDB on disk), fed by a real prom-client
 * registry: gauges kept as sampled, counters as what they grew by, minute and hour rows summing the
 * samples in them, and retention removing old rows and nothing newer.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Counter, Gauge, Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LevelStore } from '../adapters/storage/LevelStore';
import type { AnalyticsStore, RollupPoint } from '../adapters/storage/AnalyticsStore';
import { createLogger } from '../log';
import { Analytics, bucketOf } from './Analytics';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 11, 3, 10, 0, 0);

let dir: string;
let level: LevelStore;
let store: AnalyticsStore;
beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'dwc-analytics-'));
  level = new LevelStore(dir);
  await level.open();
  store = level.analyticsStore();
});
afterEach(async () => {
  await level.close();
  rmSync(dir, { recursive: true, force: true });
});

function product() {
  const registry = new Registry();
  const people = new Gauge({ name: 'dwc_people', help: 'p', labelNames: ['device'], registers: [registry] });
  const intents = new Counter({ name: 'dwc_intents_total', help: 'i', labelNames: ['type', 'outcome', 'reason'], registers: [registry] });
  return { registry, people, intents };
}

const read = (series: string, resolution: 'minute' | 'hour', from = 0, to = T0 + 400 * DAY) => store.readPoints({ resolution, series, from, to, limit: 1000 });
const brief = (rows: RollupPoint[]) => rows.map((r) => [r.bucket - T0, r.labels, r.count, r.sum, r.min, r.max]);

describe('analytics rollups', () => {
  it('keeps gauges as sampled and counters as what they grew by, summed per minute and per hour, with only the kept labels', async () => {
    const { registry, people, intents } = product();
    let clock = T0;
    const analytics = new Analytics({ registry, store, log: createLogger('silent'), sampleMs: 1000, retentionDays: 30, now: () => clock });
    people.set({ device: 'vr' }, 2);
    people.set({ device: 'desktop' }, 5);
    intents.inc({ type: 'move', outcome: 'accepted', reason: '' }, 10);
    intents.inc({ type: 'grab', outcome: 'refused', reason: 'LOCKED' }, 1);
    intents.inc({ type: 'chat', outcome: 'refused', reason: 'CHAT_TOO_FAST' }, 2);
    await analytics.sampleNow();
    clock += 30_000;
    people.set({ device: 'vr' }, 4);
    intents.inc({ type: 'move', outcome: 'accepted', reason: '' }, 5);
    await analytics.sampleNow();
    clock += 40_000; // the next minute
    people.set({ device: 'vr' }, 1);
    await analytics.sampleNow();

    expect(brief(await read('people', 'minute'))).toEqual([
      [0, 'device=desktop', 2, 10, 5, 5],
      [0, 'device=vr', 2, 6, 2, 4],
      [60_000, 'device=desktop', 1, 5, 5, 5],
      [60_000, 'device=vr', 1, 1, 1, 1],
    ]);
    // summed over type and reason; the first sample counts everything since the process began
    expect(brief(await read('intents', 'minute'))).toEqual([
      [0, 'outcome=accepted', 2, 15, 5, 10],
      [0, 'outcome=refused', 2, 3, 0, 3],
      [60_000, 'outcome=accepted', 1, 0, 0, 0],
      [60_000, 'outcome=refused', 1, 0, 0, 0],
    ]);
    expect(brief(await read('intents', 'hour'))).toEqual([
      [0, 'outcome=accepted', 3, 15, 0, 10],
      [0, 'outcome=refused', 3, 3, 0, 3],
    ]);
    // a range reads only its buckets
    expect((await read('people', 'minute', T0 + 60_000, T0 + 120_000)).length).toBe(2);
  });

  it('keeps no sample of a value that is unknown (NaN), and the value once it is known, telling listeners once it is stored', async () => {
    const registry = new Registry();
    const disk = new Gauge({ name: 'dwc_data_disk_free_ratio', help: 'd', registers: [registry] });
    let clock = T0;
    const analytics = new Analytics({ registry, store, log: createLogger('silent'), sampleMs: 1000, retentionDays: 30, now: () => clock });
    disk.set(NaN);
    await analytics.sampleNow();
    clock += 60_000;
    disk.set(0.25);
    const heard: number[] = [];
    analytics.onSample((at) => heard.push(at));
    await analytics.sampleNow();
    expect(heard).toEqual([clock]);
    expect(brief(await read('disk_free_ratio', 'minute'))).toEqual([[60_000, '', 1, 0.25, 0.25, 0.25]]);
  });

  it('removes rows older than the retention, and nothing newer: minutes after two days, hours after the retention', async () => {
    const now = T0 + 100 * DAY;
    const row = (resolution: 'minute' | 'hour', at: number): RollupPoint => ({ resolution, series: 'people', labels: 'device=vr', bucket: bucketOf(at, resolution), count: 1, sum: 1, min: 1, max: 1 });
    await store.addPoints([
      row('minute', now - 3 * DAY),
      row('minute', now - 2 * DAY - 5 * 60_000),
      row('minute', now - 2 * DAY + 5 * 60_000),
      row('minute', now - 60_000),
      row('hour', now - 31 * DAY),
      row('hour', now - 29 * DAY),
      row('hour', now - HOUR),
    ]);
    const { registry } = product();
    const analytics = new Analytics({ registry, store, log: createLogger('silent'), sampleMs: 1000, retentionDays: 30, now: () => now });
    expect(await analytics.prune()).toBe(3);
    expect((await read('people', 'minute')).map((r) => now - r.bucket)).toEqual([2 * DAY - 5 * 60_000, 60_000].map((ago) => now - bucketOf(now - ago, 'minute')));
    expect((await read('people', 'hour')).map((r) => r.bucket)).toEqual([bucketOf(now - 29 * DAY, 'hour'), bucketOf(now - HOUR, 'hour')]);
    // with no retention (0), hours stay for ever; minutes still go after two days
    await store.addPoints([row('minute', now - 3 * DAY), row('hour', now - 300 * DAY)]);
    const forever = new Analytics({ registry, store, log: createLogger('silent'), sampleMs: 1000, retentionDays: 0, now: () => now });
    expect(await forever.prune()).toBe(1);
    expect((await read('people', 'hour')).length).toBe(3);
  });
});
