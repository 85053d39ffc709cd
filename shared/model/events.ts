/**
 * Events: gatherings an owner schedules in a world, with RSVPs and the attendance kept while they
 * are live. The limits and the shapes the REST API answers with, shared by the server and the lobby.
 */

export const EVENT_LIMITS = {
  titleChars: 120,
  descriptionChars: 2000,
  /** The longest an event may last. */
  maxDurationMs: 24 * 3600_000,
  defaultCapacity: 100,
  maxCapacity: 1000,
  /** Events a world may have that have not ended (nor been cancelled). */
  upcomingPerWorld: 50,
  /** How far ahead an event may be scheduled. */
  maxLeadMs: 366 * 86_400_000,
  /**
   * People who come in this long before the start are counted from the start: doors open early,
   * and someone already in the room when the event begins has attended it.
   */
  doorsOpenMs: 3600_000,
} as const;

/** An event as the REST API shows it to a caller. */
export interface EventSummary {
  id: string;
  worldId: string;
  worldName: string;
  title: string;
  description: string;
  /** ISO 8601, UTC. */
  startsAt: string;
  endsAt: string;
  capacity: number;
  rsvpCount: number;
  /** Whether the caller has said they are coming (always false for a guest). */
  going: boolean;
  /** Started and not yet ended. */
  live: boolean;
  cancelledAt?: string;
  /** Whether the caller may change or cancel it (the world's owner). */
  canManage: boolean;
}

/** One person's presence at an event, as the owner's attendance report lists it. */
export interface AttendeeReport {
  /** The account, or absent for a guest (who is then one entry per connection). */
  userId?: string;
  name: string;
  firstJoinedAt: string;
  /** Absent while they are still there. */
  lastLeftAt?: string;
  /** Time present within the event, overlapping connections counted once. */
  seconds: number;
  rsvp: boolean;
}

export interface AttendanceReport {
  eventId: string;
  attendees: AttendeeReport[];
  /** Said they were coming and never came. */
  absent: Array<{ userId: string; username: string }>;
}

/** Whether an event is on at `now` (ms): started, not ended, not cancelled. */
export function isLive(e: { startsAt: string; endsAt: string; cancelledAt?: string | undefined }, now: number): boolean {
  return !e.cancelledAt && Date.parse(e.startsAt) <= now && now < Date.parse(e.endsAt);
}
