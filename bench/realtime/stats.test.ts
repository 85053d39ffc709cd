import { describe, expect, it } from 'vitest';
import { cpuPercent, deliveryRatio, parseProcStat, perSecond, ratio, spread } from './stats';

describe('realtime benchmark statistics', () => {
  it('gives percentiles by linear interpolation, whatever the order of the samples', () => {
    const samples = Array.from({ length: 101 }, (_, i) => 100 - i);
    expect(spread(samples)).toEqual({ count: 101, p50: 50, p95: 95, p99: 99, max: 100 });
    expect(spread([10, 20])).toMatchObject({ p50: 15, p95: 19.5, p99: 19.9, max: 20 });
    expect(spread([7])).toMatchObject({ p50: 7, p99: 7, max: 7 });
  });

  it('reports no samples as NaN rather than zero', () => {
    const s = spread([]);
    expect(s.count).toBe(0);
    expect(s.p50).toBeNaN();
    expect(s.p99).toBeNaN();
  });

  it('refuses to divide by nothing', () => {
    expect(ratio(3, 2)).toBe(1.5);
    expect(ratio(3, 0)).toBeNaN();
    expect(ratio(NaN, 2)).toBeNaN();
    expect(perSecond(500, 2000)).toBe(250);
  });

  it('counts delivery against what a tick could carry', () => {
    // 30 poses a second on a 20 Hz tick: 20 of every 30 can be seen
    expect(deliveryRatio(200, 300, 30, 20)).toBeCloseTo(1);
    expect(deliveryRatio(100, 300, 30, 20)).toBeCloseTo(0.5);
    // a relay forwards everything
    expect(deliveryRatio(150, 300, 30, Infinity)).toBeCloseTo(0.5);
    expect(deliveryRatio(400, 300, 30, 20)).toBe(1);
    expect(deliveryRatio(0, 0, 30, 20)).toBeNaN();
  });

  it('reads CPU ticks and RSS from /proc/<pid>/stat, even with a command name holding spaces', () => {
    const fields = Array.from({ length: 50 }, (_, i) => String(i + 3));
    fields[14 - 3] = '120';
    fields[15 - 3] = '30';
    fields[24 - 3] = '2560';
    const line = `4242 (node (bench) x) ${fields.join(' ')}\n`;
    expect(parseProcStat(line)).toEqual({ ticks: 150, rssPages: 2560, rssBytes: 2560 * 4096 });
    expect(() => parseProcStat('garbage')).toThrow();
  });

  it('turns tick counts into a share of one core', () => {
    expect(cpuPercent({ ticks: 100, rssBytes: 0, atMs: 0 }, { ticks: 150, rssBytes: 0, atMs: 1000 })).toBe(50);
    expect(cpuPercent({ ticks: 0, rssBytes: 0, atMs: 0 }, { ticks: 400, rssBytes: 0, atMs: 2000 })).toBe(200);
  });
});
