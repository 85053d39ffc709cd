import { describe, expect, it } from 'vitest';
import { CpuProfiler } from './probe';

describe('the benchmark CPU profiler', () => {
  it('records one profile at a time and answers it in the DevTools format', async () => {
    const profiler = new CpuProfiler();
    await profiler.start();
    await expect(profiler.start()).rejects.toThrow('already being recorded');
    let x = 0;
    for (let i = 0; i < 1e6; i++) x += Math.sqrt(i);
    const profile = (await profiler.stop()) as { nodes: unknown[]; startTime: number; endTime: number };
    expect(x).toBeGreaterThan(0);
    expect(profile.nodes.length).toBeGreaterThan(0);
    expect(profile.endTime).toBeGreaterThan(profile.startTime);
    await expect(profiler.stop()).rejects.toThrow('no profile is being recorded');
  });

  it('gives up a profile nobody stops, so it cannot grow without end', async () => {
    const profiler = new CpuProfiler(50);
    await profiler.start();
    await new Promise((r) => setTimeout(r, 200));
    await expect(profiler.stop()).rejects.toThrow('no profile is being recorded');
    // and a new one may start
    await profiler.start();
    await profiler.stop();
  });
});
