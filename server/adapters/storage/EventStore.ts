/**
 * Events scheduled in worlds, the RSVPs of the people coming, and who was there. Saying one is
 * coming is checked against the event's capacity in the same step that counts it, so two people
 * racing for the last seat never both get it.
 */

export interface EventRecord {
  id: string;
  worldId: string;
  title: string;
  description: string;
  /** ISO 8601, UTC. */
  startsAt: string;
  endsAt: string;
  capacity: number;
  /** The account that scheduled it. */
  createdBy: string;
  createdAt: string;
  cancelledAt?: string;
}

export interface RsvpRecord {
  eventId: string;
  userId: string;
  username: string;
  at: string;
}

/** One connection's presence in the event's world while it was on (or about to be). */
export interface AttendanceRecord {
  eventId: string;
  /** The room's session id of the connection. */
  participantId: string;
  /** Absent for a guest. */
  userId?: string;
  name: string;
  joinedAt: string;
  leftAt?: string;
}

/** What saying one is coming did: counted, already counted, no seat left, or no such event (or cancelled). */
export type RsvpOutcome = 'added' | 'already' | 'full' | 'closed';

export interface EventStore {
  /** Creates or replaces an event (its RSVPs stay). */
  putEvent(event: EventRecord): Promise<void>;
  getEvent(id: string): Promise<EventRecord | undefined>;
  /** Every event of a world, cancelled and past ones too, in no particular order. */
  listWorldEvents(worldId: string): Promise<EventRecord[]>;
  /** Every event, of any world, that ends after `iso`, in no particular order. */
  listEndingAfter(iso: string): Promise<EventRecord[]>;

  /** Counts the person as coming if the event exists, is not cancelled and has a seat left. */
  addRsvp(rsvp: RsvpRecord): Promise<RsvpOutcome>;
  /** False when they had not said they were coming. */
  removeRsvp(eventId: string, userId: string): Promise<boolean>;
  listRsvps(eventId: string): Promise<RsvpRecord[]>;
  countRsvps(eventId: string): Promise<number>;
  hasRsvp(eventId: string, userId: string): Promise<boolean>;

  /** Records a connection arriving (replacing an earlier record of the same connection). */
  putAttendance(record: AttendanceRecord): Promise<void>;
  /** Marks the connection as gone, if it is recorded and not marked already. */
  closeAttendance(eventId: string, participantId: string, leftAt: string): Promise<void>;
  listAttendance(eventId: string): Promise<AttendanceRecord[]>;
}
