import { describe, expect, it } from 'vitest';
import type { GeneratorResult } from './generator';
import { GENERATOR_BUSY_PERCENT, cpuPerPerson, generatorBusy, metricsOverhead, nearPromise, type RunResult } from './report';

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

describe('the crowded path in the realtime report', () => {
  const gaps = (p99: number, count = 100) => ({ ...run('interest', 40, 50, 'crowd'), generator: { nearGapMs: { count, p50: 50, p95: p99, p99, max: p99 } } as unknown as GeneratorResult });

  it('holds the near poses to their promise: no gap past two patches and 20 ms at p99', () => {
    expect(nearPromise(gaps(119), 20)).toEqual({ kept: true, limitMs: 120 });
    expect(nearPromise(gaps(121), 20)).toEqual({ kept: false, limitMs: 120 });
    // nothing sent as near poses: nothing promised
    expect(nearPromise(gaps(500, 0), 20)).toBeUndefined();
    expect(nearPromise(gaps(10), 0)).toBeUndefined();
  });

  it('flags a run whose load generator was too busy to be believed, and puts the CPU per person', () => {
    expect(generatorBusy({ ...run('interest', 1, 1, 'crowd'), generatorCpuPercent: GENERATOR_BUSY_PERCENT + 1 })).toBe(true);
    expect(generatorBusy({ ...run('interest', 1, 1, 'crowd'), generatorCpuPercent: GENERATOR_BUSY_PERCENT })).toBe(false);
    // 50 % of a core over 200 people: 2.5 ms of CPU a second each
    expect(cpuPerPerson(run('interest', 1, 50, 'crowd'))).toBe(2.5);
  });
});
