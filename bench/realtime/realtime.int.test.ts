/**
 * Smoke run of the realtime benchmark: a handful of bots for a second against our server and each
 * baseline. It checks that the harness works end to end and writes a well-formed report; it says
 * nothing about speed (that is what `npm run bench:realtime` is for).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runRealtimeBench } from './realtime';
import type { Report } from './report';

const out = mkdtempSync(path.join(tmpdir(), 'dwc-bench-smoke-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('realtime benchmark harness', () => {
  it('runs a small crowd against our server and the three baselines and writes its results', async () => {
    const report = await runRealtimeBench(['--quick', '--crowd=4', '--only=crowd', '--warmup-ms=500', '--measure-ms=1000', `--out=${out}`]);
    const written = JSON.parse(readFileSync(path.join(out, 'realtime.json'), 'utf8')) as Report;
    expect(written.runs.length).toBe(report.runs.length);
    expect(written.machine.cores).toBeGreaterThan(0);
    // ours twice (interest management on and off), then each baseline once
    expect(written.runs.map((r) => `${r.target}${r.variant ? `:${r.variant}` : ''}`)).toEqual(['ours:interest', 'ours:everyone', 'colyseus', 'ws', 'socketio']);
    for (const run of written.runs) {
      expect(run.error, `${run.target}: ${run.error}`).toBeUndefined();
      const g = run.generator!;
      expect(g.joined).toBe(4);
      expect(g.stateErrors).toEqual([]);
      // poses travelled from senders to the decoding bots, and every one of them was recognised
      expect(g.latencyMs.count).toBeGreaterThan(0);
      expect(g.unmatched).toBe(0);
      expect(g.downBytesPerClientPerSec).toBeGreaterThan(0);
      expect(g.upBytesPerClientPerSec).toBeGreaterThan(0);
      expect(run.serverCpuPercent).toBeGreaterThanOrEqual(0);
      expect(run.serverRssMb).toBeGreaterThan(0);
      expect(run.fanoutMs!.count).toBeGreaterThan(0);
    }
    expect(written.ratios.map((r) => r.baseline).sort()).toEqual(['colyseus', 'socketio', 'ws']);
    expect(readFileSync(path.join(out, 'realtime.html'), 'utf8')).toContain('<svg');
  }, 240_000);

  it('takes a small crowd through the crowded path: near poses arrive at the promised rate, recognised, and the server is profiled', async () => {
    // above 3 people the world is crowded: each of 10 bots gets its nearest 3, the nearest 2 every patch
    const report = await runRealtimeBench(['--quick', '--crowd=10', '--only=crowd', '--targets=ours', '--crowded-above=3', '--profile', '--warmup-ms=500', '--measure-ms=1500', `--out=${out}`]);
    const run = report.runs.find((r) => r.variant === 'interest')!;
    expect(run.error).toBeUndefined();
    const g = run.generator!;
    expect(g.joined).toBe(10);
    expect(g.unmatched).toBe(0);
    // the poses came as near messages, quantised, and each was found among what its sender sent
    expect(g.nearGapMs.count).toBeGreaterThan(10);
    expect(g.latencyMs.count).toBeGreaterThan(10);
    // the promise: every patch (50 ms) for the nearest, every second one for the rest; the median gap keeps it
    expect(g.nearGapMs.p50).toBeLessThanOrEqual(110);
    // drawn between the poses received, a walker (at most 1.2 m/s) is within centimetres of where they were
    expect(g.interpolationErrorMm.count).toBeGreaterThan(0);
    expect(g.interpolationErrorMm.p50).toBeLessThan(50);
    expect(run.profile!.busyMs).toBeGreaterThan(0);
    expect(run.profile!.areas.length).toBeGreaterThan(0);
    expect(readFileSync(path.join(process.cwd(), run.profile!.file), 'utf8')).toContain('"nodes"');
  }, 240_000);
});
