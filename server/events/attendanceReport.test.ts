import { describe, expect, it } from 'vitest';
import type { AttendanceRecord, EventRecord } from '../adapters/storage/EventStore';
import { attendanceReport } from './attendanceReport';

const T = (min: number) => new Date(Date.parse('2026-05-02T10:00:00Z') + min * 60_000).toISOString();
const event: EventRecord = { id: 'e1', worldId: 'w1', title: 'T', description: '', startsAt: T(0), endsAt: T(60), capacity: 10, createdBy: 'u0', createdAt: T(-600) };
const rec = (participantId: string, joined: number, left: number | undefined, who: { userId?: string; name: string }): AttendanceRecord => ({
  eventId: 'e1',
  participantId,
  ...who,
  joinedAt: T(joined),
  ...(left === undefined ? {} : { leftAt: T(left) }),
});

describe('attendance report', () => {
  it('EVENT-6: merges one person\'s connections, counts overlaps once and clips to the event', () => {
    const ann = { userId: 'ua', name: 'ann' };
    const records = [
      // came ten minutes early, left after 20; came back on two devices at once
      rec('s1', -10, 20, ann),
      rec('s2', 30, 50, ann),
      rec('s3', 40, 55, ann),
      rec('g1', 5, 15, { name: 'guest' }),
      // left before the start: not at the event
      rec('g2', -30, -5, { name: 'early bird' }),
    ];
    const rsvps = [
      { eventId: 'e1', userId: 'ua', username: 'ann', at: T(-100) },
      { eventId: 'e1', userId: 'ub', username: 'bob', at: T(-90) },
    ];
    const report = attendanceReport(event, records, rsvps, Date.parse(T(120)));
    expect(report.attendees).toEqual([
      { userId: 'ua', name: 'ann', firstJoinedAt: T(-10), lastLeftAt: T(55), seconds: (20 + 25) * 60, rsvp: true },
      { name: 'guest', firstJoinedAt: T(5), lastLeftAt: T(15), seconds: 600, rsvp: false },
    ]);
    expect(report.absent).toEqual([{ userId: 'ub', username: 'bob' }]);
  });

  it('EVENT-6: counts someone still there up to now, and shows no time they left', () => {
    const report = attendanceReport(event, [rec('s1', 10, undefined, { userId: 'ua', name: 'ann' })], [], Date.parse(T(25)));
    expect(report.attendees).toEqual([{ userId: 'ua', name: 'ann', firstJoinedAt: T(10), seconds: 900, rsvp: false }]);
    const after = attendanceReport(event, [rec('s1', 10, undefined, { userId: 'ua', name: 'ann' })], [], Date.parse(T(90)));
    expect(after.attendees[0]).toMatchObject({ seconds: 3000, lastLeftAt: T(60) });
  });
});
