/**
 * Who came to an event, from the connections recorded while it was on: one entry per account
 * (several connections of one person merged, overlapping ones counted once), one per connection for
 * guests, times clipped to the event, and the people who said they were coming but never came.
 */
import type { AttendanceReport, AttendeeReport } from '../../shared/model/events';
import type { AttendanceRecord, EventRecord, RsvpRecord } from '../adapters/storage/EventStore';

type Span = [number, number];

/** Total length of the union of spans. */
function covered(spans: Span[]): number {
  let total = 0;
  let end = -Infinity;
  for (const [s, e] of [...spans].sort((a, b) => a[0] - b[0])) {
    if (e <= end) continue;
    total += e - Math.max(s, end);
    end = e;
  }
  return total;
}

export function attendanceReport(event: EventRecord, records: AttendanceRecord[], rsvps: RsvpRecord[], now: number): AttendanceReport {
  const start = Date.parse(event.startsAt);
  const end = Math.min(Date.parse(event.endsAt), event.cancelledAt ? Date.parse(event.cancelledAt) : Infinity);
  const people = new Map<string, AttendanceRecord[]>();
  for (const r of records) {
    const key = r.userId ? `u:${r.userId}` : `p:${r.participantId}`;
    people.set(key, [...(people.get(key) ?? []), r]);
  }
  const attendees: AttendeeReport[] = [];
  for (const mine of people.values()) {
    const spans = mine.map((r): Span => [Math.max(Date.parse(r.joinedAt), start), Math.min(r.leftAt ? Date.parse(r.leftAt) : now, end)]).filter(([s, e]) => e > s);
    const seconds = Math.round(covered(spans) / 1000);
    // in the room only before the doors' time, or for less than a second: not at the event
    if (seconds === 0) continue;
    const latest = mine.reduce((a, b) => (b.joinedAt > a.joinedAt ? b : a));
    const stillThere = mine.some((r) => !r.leftAt) && now < end;
    const lastLeft = mine.reduce((t, r) => Math.max(t, r.leftAt ? Date.parse(r.leftAt) : Math.min(now, end)), 0);
    attendees.push({
      ...(latest.userId ? { userId: latest.userId } : {}),
      name: latest.name,
      firstJoinedAt: mine.reduce((t, r) => (r.joinedAt < t ? r.joinedAt : t), mine[0]!.joinedAt),
      ...(stillThere ? {} : { lastLeftAt: new Date(lastLeft).toISOString() }),
      seconds,
      rsvp: latest.userId !== undefined && rsvps.some((x) => x.userId === latest.userId),
    });
  }
  attendees.sort((a, b) => a.firstJoinedAt.localeCompare(b.firstJoinedAt));
  const came = new Set(attendees.map((a) => a.userId));
  const absent = rsvps
    .filter((r) => !came.has(r.userId))
    .sort((a, b) => a.at.localeCompare(b.at))
    .map(({ userId, username }) => ({ userId, username }));
  return { eventId: event.id, attendees, absent };
}
