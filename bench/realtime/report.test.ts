import { describe, expect, it } from 'vitest';
import type { GeneratorResult } from './generator';
import { metricsOverhead, type RunResult } from './report';

const run = (variant: string, p95: number, cpu: number, kind: RunResult['kind'] = 'metrics'): RunResult => ({
  scenario: 'crowd 200',
  kind,
  target: 'ours',
  variant,
  bots: 200,
  generator: { latencyMs: { p50: 1, p95, p99: 1 } } as unknown as GeneratorResult,
  serverCpuPercent: cpu,
});

describe('metrics overhead in the realtime report', () => {
  it('sets the means of the runs with the counting on and off side by side', () => {
    const o = metricsOverhead([run('metrics on', 50, 40), run('metrics off', 48, 38), run('metrics on', 54, 44), run('metrics off', 52, 42), run('interest', 999, 99, 'crowd')]);
    expect(o).toEqual({ bots: 200, runs: 2, p95On: 52, p95Off: 50, cpuOn: 42, cpuOff: 40 });
  });

  it('says nothing unless both were run and finished', () => {
    expect(metricsOverhead([run('metrics on', 50, 40)])).toBeNull();
    expect(metricsOverhead([run('metrics on', 50, 40), { ...run('metrics off', 1, 1), generator: undefined }])).toBeNull();
  });
});
