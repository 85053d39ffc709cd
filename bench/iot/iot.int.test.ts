/**
 * Smoke run of the IoT benchmark: a few devices for a second or two against our server and the bare
 * aedes baseline. It checks the harness end to end (readings acknowledged are the readings stored,
 * the twins and the subscriber see the paced readings) and says nothing about speed: that is
 * `npm run bench -- iot`.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runIotBench, type IotReport } from './iot';

const out = mkdtempSync(path.join(tmpdir(), 'dwc-bench-iot-smoke-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('IoT benchmark harness', () => {
  it('floods both brokers, counts back what was stored, and times readings to the twins and the subscriber', async () => {
    const report = await runIotBench(['--quick', `--out=${out}`]);
    const written = JSON.parse(readFileSync(path.join(out, 'iot.json'), 'utf8')) as IotReport;
    expect(written.settings).toEqual(report.settings);
    const { ours, bare } = report;
    expect(ours.acknowledged).toBeGreaterThan(0);
    expect(ours.stored).toBe(ours.acknowledged);
    expect(bare.counted).toBe(bare.acknowledged);
    expect(ours.ingest.map((i) => i.inFlight)).toEqual([4]);
    expect(ours.ingest[0]!.perSecond).toBeGreaterThan(0);
    expect(ours.ingest[0]!.cpuMsPer1000).toBeGreaterThan(0);
    // every paced reading found among those sent, most of them seen (the last may still be on its way)
    for (const delay of [ours.twinDelay, bare.receiveDelay]) {
      expect(delay.unmatched).toBe(0);
      expect(delay.count).toBeGreaterThan(10);
      expect(delay.p50).toBeGreaterThan(0);
    }
  }, 90_000);
});
