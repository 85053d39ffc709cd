import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { ChangeEvent, ScheduleEvent, checkTimes, parse } from './inputs';

const NOW = Date.parse('2026-05-01T12:00:00Z');
const at = (hours: number) => new Date(NOW + hours * 3600_000).toISOString();
const valid = { worldId: 'w1', title: 'Review', startsAt: at(1), endsAt: at(2) };

const refusal = (f: () => unknown): string => {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return (err as AppError).message;
  }
  throw new Error('not refused');
};

describe('event inputs', () => {
  it('EVENT-1: takes a valid event with its defaults, times in UTC and text cleaned', () => {
    const e = parse(ScheduleEvent, { ...valid, title: '  Q3\r\nreview\u0000 ', description: 'line 1\r\nline 2\u0007', startsAt: '2026-05-01T15:00:00+02:00' }, 'event');
    expect(e).toEqual({ worldId: 'w1', title: 'Q3 review', description: 'line 1\nline 2', startsAt: '2026-05-01T13:00:00.000Z', endsAt: at(2), capacity: 100 });
    expect(parse(ChangeEvent, { capacity: 5 }, 'change')).toEqual({ capacity: 5 });
  });

  it('EVENT-1: refuses a bad shape with the reason', () => {
    expect(refusal(() => parse(ScheduleEvent, { ...valid, title: '' }, 'event'))).toMatch(/title: give the event a title/);
    expect(refusal(() => parse(ScheduleEvent, { ...valid, title: 'x'.repeat(121) }, 'event'))).toMatch(/title: at most 120/);
    expect(refusal(() => parse(ScheduleEvent, { ...valid, description: 'x'.repeat(2001) }, 'event'))).toMatch(/description: at most 2000/);
    expect(refusal(() => parse(ScheduleEvent, { ...valid, capacity: 0 }, 'event'))).toMatch(/capacity/);
    expect(refusal(() => parse(ScheduleEvent, { ...valid, capacity: 1001 }, 'event'))).toMatch(/capacity/);
    expect(refusal(() => parse(ScheduleEvent, { ...valid, capacity: 2.5 }, 'event'))).toMatch(/capacity/);
    expect(refusal(() => parse(ScheduleEvent, { ...valid, startsAt: 'tomorrow' }, 'event'))).toMatch(/startsAt: a date and time/);
    expect(refusal(() => parse(ScheduleEvent, { ...valid, title: ['x'] }, 'event'))).toMatch(/title/);
    expect(refusal(() => parse(ScheduleEvent, { ...valid, worldId: '../x' }, 'event'))).toMatch(/worldId/);
    expect(refusal(() => parse(ScheduleEvent, { ...valid, extra: 1 }, 'event'))).toMatch(/extra/);
    expect(refusal(() => parse(ChangeEvent, { worldId: 'w2' }, 'change'))).toMatch(/worldId/);
  });

  it('EVENT-1: refuses times that cannot be meant', () => {
    expect(() => checkTimes(at(1), at(2), NOW)).not.toThrow();
    // already started but not over: it can still be scheduled (and is live at once)
    expect(() => checkTimes(at(-1), at(1), NOW)).not.toThrow();
    expect(refusal(() => checkTimes(at(2), at(2), NOW))).toMatch(/end after it starts/);
    expect(refusal(() => checkTimes(at(3), at(2), NOW))).toMatch(/end after it starts/);
    expect(refusal(() => checkTimes(at(1), at(25.01), NOW))).toMatch(/at most 24 hours/);
    expect(refusal(() => checkTimes(at(-3), at(-1), NOW))).toMatch(/already be over/);
    expect(refusal(() => checkTimes(at(24 * 400), at(24 * 400 + 1), NOW))).toMatch(/a year ahead/);
  });
});
