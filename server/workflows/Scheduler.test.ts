import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Schedule, Scheduler, nextFire, shortestGap } from './Scheduler';

afterEach(() => vi.useRealTimers());

describe('schedules', () => {
  it('accepts a cron pattern or an interval, not both and not neither', () => {
    expect(Schedule.safeParse({ cron: '0 9 * * 1-5' }).success).toBe(true);
    expect(Schedule.safeParse({ everyMs: 60_000 }).success).toBe(true);
    expect(Schedule.safeParse({ cron: '0 9 * * *', everyMs: 60_000 }).success).toBe(false);
    expect(Schedule.safeParse({}).success).toBe(false);
    const bad = Schedule.safeParse({ cron: 'every monday' });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0]!.message).toMatch(/cron pattern is not valid/);
    expect(Schedule.safeParse({ everyMs: 5 }).success).toBe(false);
  });

  it('computes the next time a schedule fires', () => {
    const from = new Date('2026-11-25T08:30:00');
    expect(nextFire(Schedule.parse({ cron: '0 9 * * *' }), from)).toEqual(new Date('2026-11-25T09:00:00'));
    expect(nextFire(Schedule.parse({ everyMs: 60_000 }), from)).toEqual(new Date('2026-11-25T08:31:00'));
  });

  it('fires an interval schedule with its input, and stops when the schedule is removed', async () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-11-25T08:30:00.000Z'));
    const fired: unknown[] = [];
    const s = new Scheduler(async (id, schedule) => void fired.push([id, schedule.input]), pino({ level: 'silent' }));
    s.set({ id: 'wf1', schedule: { everyMs: 1000, input: { documentId: 'd1' }, priority: 'normal' } });
    await vi.advanceTimersByTimeAsync(3500);
    expect(fired).toEqual([
      ['wf1', { documentId: 'd1' }],
      ['wf1', { documentId: 'd1' }],
      ['wf1', { documentId: 'd1' }],
    ]);
    s.set({ id: 'wf1', schedule: null });
    await vi.advanceTimersByTimeAsync(5000);
    expect(fired).toHaveLength(3);
    s.stopAll();
  });

  it('fires an interval at the clock\'s multiples of it and names each moment, wherever it was set', async () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-11-25T08:30:07.300Z'));
    const moments: string[] = [];
    const s = new Scheduler(async (_id, _schedule, at) => void moments.push(at.toISOString()), pino({ level: 'silent' }));
    s.set({ id: 'wf', schedule: { everyMs: 5000, input: {}, priority: 'normal' } });
    await vi.advanceTimersByTimeAsync(12_000);
    expect(moments).toEqual(['2026-11-25T08:30:10.000Z', '2026-11-25T08:30:15.000Z']);
    s.stopAll();
  });

  it('names a cron fire by the moment it was due', async () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-11-25T08:30:58.000Z'));
    const moments: string[] = [];
    const s = new Scheduler(async (_id, _schedule, at) => void moments.push(at.toISOString()), pino({ level: 'silent' }));
    s.set({ id: 'wf', schedule: { cron: '* * * * *', input: {}, priority: 'normal' } });
    await vi.advanceTimersByTimeAsync(4_000);
    expect(moments).toEqual(['2026-11-25T08:31:00.000Z']);
    s.stopAll();
  });

  it('measures the shortest gap a schedule leaves between runs, bursts included', () => {
    const from = new Date('2026-11-25T08:30:00');
    const gap = (schedule: object) => shortestGap(Schedule.parse(schedule), from);
    expect(gap({ everyMs: 90_000 })).toBe(90_000);
    expect(gap({ cron: '* * * * * *' })).toBe(1000);
    expect(gap({ cron: '*/30 * * * * *' })).toBe(30_000);
    expect(gap({ cron: '0,1 0 * * * *' })).toBe(1000);
    expect(gap({ cron: '0,59 59 23 31 12 *' })).toBe(59_000);
    expect(gap({ cron: '* * * * *' })).toBe(60_000);
    expect(gap({ cron: '0 9 * * 1-5' })).toBe(86_400_000);
  });

  it('does not put in force a stored schedule that fires more often than allowed', async () => {
    vi.useFakeTimers();
    const fired: string[] = [];
    const s = new Scheduler(async (id) => void fired.push(id), pino({ level: 'silent' }), 60_000);
    s.set({ id: 'often', schedule: { everyMs: 1000, input: {}, priority: 'normal' } });
    s.set({ id: 'hourly', schedule: { everyMs: 3_600_000, input: {}, priority: 'normal' } });
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(fired).toEqual(['hourly']);
    s.stopAll();
  });
});
