/**
 * Smoke run of the scale benchmark: two worlds of three people through one process, then through
 * two processes as one site (a real redis-server, the MongoDB wire stand-in). It checks the harness
 * end to end and says nothing about speed: that is `npm run bench -- scale`.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderTable } from './report';
import { runScaleBench } from './scale';
import type { ScaleReport } from './report';

const out = mkdtempSync(path.join(tmpdir(), 'dwc-bench-scale-smoke-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('scale benchmark harness', () => {
  it('joins every bot through one process and through two, times their poses and sets the two side by side', async () => {
    const report = await runScaleBench(['--quick', '--worlds=2', '--people=3', '--warmup-ms=300', '--measure-ms=1000', `--out=${out}`]);
    const written = JSON.parse(readFileSync(path.join(out, 'scale.json'), 'utf8')) as ScaleReport;
    expect(written.ratios).toEqual(report.ratios);
    expect([written.baseline.processes, written.site.processes]).toEqual([1, 2]);
    for (const setup of [written.baseline, written.site]) {
      expect(setup.joined, setup.joinFailures.join('; ')).toBe(6);
      expect(setup.stateErrors).toEqual([]);
      expect(setup.posesTimed).toBeGreaterThan(0);
      expect(setup.perWorld.every((w) => w.latencyMs.count > 0)).toBe(true);
      expect(setup.joinsPerSecond).toBeGreaterThan(0);
      expect(setup.serverCpuByProcess).toHaveLength(setup.processes);
      expect(setup.serverCpuPercent).toBeGreaterThan(0);
    }
    expect(written.ratios.joinsPerSecond).toBeGreaterThan(0);
    expect(written.ratios.poseP95).toBeGreaterThan(0);
    const table = renderTable(written);
    expect(table).toMatch(/joins per second .*\d×/);
    expect(table).toMatch(/pose latency p95 .*\d×/);
    expect(table).toContain('1 process');
    expect(table).toContain('2 processes');
  }, 60_000);
});
