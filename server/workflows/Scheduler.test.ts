import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Schedule, Scheduler, nextFire } from './Scheduler';

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
});
