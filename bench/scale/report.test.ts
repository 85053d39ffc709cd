import { describe, expect, it } from 'vitest';
import type { GeneratorResult } from '../realtime/generator';
import { spread } from '../realtime/stats';
import { ratios, renderTable, summarize, type ScaleReport } from './report';

function world(joinMs: number[], latencyMs: number[], delivery = 1): GeneratorResult {
  const none = spread([]);
  return {
    joined: joinMs.length, joinFailures: [], joinMs: spread(joinMs), latencyMs: spread(latencyMs), docLatencyMs: none, delivery,
    nearGapMs: none, interpolationErrorMm: none, fullRatePeers: 0, unmatched: 0, stateErrors: [], cutOff: 0,
    downBytesPerClientPerSec: 0, upBytesPerClientPerSec: 0, maxDownBytesPerClientPerSec: 0, framesPerClientPerSec: 0, windowMs: 1000,
  };
}
const cpu = (servers: number[]) => ({ servers, redis: 1, store: 0, generator: 90, generatorCores: 1, windowMs: 1000 });

describe('scale report', () => {
  it('counts joins over the slowest join, takes the worst world for latencies and sums the servers', () => {
    const r = summarize(2, 2, [world([100, 200], [10, 20]), world([300, 400], [30, 40], 0.9)], cpu([20, 30]), { rooms: 2, clients: 4 });
    expect(r.joined).toBe(4);
    expect(r.joinsPerSecond).toBe(10);
    expect(r.joinMaxMs).toBe(400);
    expect(r.poseP95Ms).toBe(spread([30, 40]).p95);
    expect(r.posesTimed).toBe(4);
    expect(r.delivery).toBe(0.9);
    expect(r.serverCpuPercent).toBe(50);
  });

  it('sets the two setups side by side with their ratio, and flags a busy generator and a world opened twice', () => {
    const baseline = summarize(1, 2, [world([100, 200], [10, 20])], cpu([40]), { rooms: 1, clients: 2 });
    const site = summarize(2, 2, [world([50, 100], [10, 40])], cpu([20, 30]), { rooms: 2, clients: 2 });
    const report: ScaleReport = {
      when: '', machine: { cores: 2, cpu: 'test', node: 'v20', pinned: true },
      settings: { worlds: 1, peoplePerWorld: 2, processes: 2, warmupMs: 0, measureMs: 1000, sendHz: 30, tickHz: 20, decodersPerWorld: 1, quick: true },
      layout: [{ processes: 1, servers: ['0'], generator: '1' }, { processes: 2, servers: ['0', '0'], generator: '1' }],
      baseline, site, ratios: ratios(site, baseline),
    };
    expect(report.ratios.joinsPerSecond).toBe(2);
    const table = renderTable(report);
    expect(table).toMatch(/joins per second \(everyone at once\)\s+10\s+20\s+2\.00×/);
    expect(table).toContain('20 + 30');
    expect(table).toContain('not a speed-up');
    expect(table).toContain('! not trustworthy (1 process)');
    expect(table).toContain('2 rooms open for 1 worlds');
  });
});
