/**
 * Events, RSVPs and attendance in MongoDB. Each event keeps a count of its RSVPs; a seat is taken
 * by a conditional increment of that count below the capacity, so of two people racing for the last
 * seat exactly one gets it.
 */
import { MongoServerError, type Collection, type Db } from 'mongodb';
import type { AttendanceRecord, EventRecord, EventStore, RsvpOutcome, RsvpRecord } from './EventStore';

type EventDoc = Omit<EventRecord, 'id'> & { _id: string; rsvpCount: number };
type RsvpDoc = RsvpRecord & { _id: string };
type AttendanceDoc = AttendanceRecord & { _id: string };
const DURABLE = { writeConcern: { w: 'majority' as const, j: true } };
const pair = (a: string, b: string) => `${a}:${b}`;
const DUPLICATE_KEY = 11000;

function event(doc: EventDoc | null): EventRecord | undefined {
  if (!doc) return undefined;
  const { _id, rsvpCount: _count, ...rest } = doc;
  return { id: _id, ...rest };
}
function strip<T extends { _id: string }>(doc: T): Omit<T, '_id'> {
  const { _id, ...rest } = doc;
  return rest;
}

export class MongoEventStore implements EventStore {
  private events!: Collection<EventDoc>;
  private rsvps!: Collection<RsvpDoc>;
  private attendance!: Collection<AttendanceDoc>;

  constructor(private readonly db: () => Db) {}

  async open(): Promise<void> {
    const db = this.db();
    this.events = db.collection('events');
    this.rsvps = db.collection('event_rsvps');
    this.attendance = db.collection('event_attendance');
    await Promise.all([this.events.createIndex({ worldId: 1 }), this.events.createIndex({ endsAt: 1 }), this.rsvps.createIndex({ eventId: 1 }), this.attendance.createIndex({ eventId: 1 })]);
  }

  async putEvent({ id, cancelledAt, ...fields }: EventRecord): Promise<void> {
    // the RSVP count is the store's own; a replaced event keeps it
    const cancel = cancelledAt === undefined ? { $unset: { cancelledAt: '' as const } } : { $set: { ...fields, cancelledAt } };
    await this.events.updateOne({ _id: id }, { $set: fields, $setOnInsert: { rsvpCount: 0 }, ...cancel }, { upsert: true, ...DURABLE });
  }

  async getEvent(id: string): Promise<EventRecord | undefined> {
    return event(await this.events.findOne({ _id: id }));
  }

  async listWorldEvents(worldId: string): Promise<EventRecord[]> {
    return (await this.events.find({ worldId }).toArray()).map((d) => event(d)!);
  }

  async listEndingAfter(iso: string): Promise<EventRecord[]> {
    return (await this.events.find({ endsAt: { $gt: iso } }).toArray()).map((d) => event(d)!);
  }

  async addRsvp(rsvp: RsvpRecord): Promise<RsvpOutcome> {
    if (await this.hasRsvp(rsvp.eventId, rsvp.userId)) return 'already';
    const seat = await this.events.updateOne(
      { _id: rsvp.eventId, cancelledAt: { $exists: false }, $expr: { $lt: ['$rsvpCount', '$capacity'] } },
      { $inc: { rsvpCount: 1 } },
      DURABLE,
    );
    if (seat.modifiedCount !== 1) return (await this.events.countDocuments({ _id: rsvp.eventId, cancelledAt: { $exists: false } })) ? 'full' : 'closed';
    try {
      await this.rsvps.insertOne({ _id: pair(rsvp.eventId, rsvp.userId), ...rsvp }, DURABLE);
      return 'added';
    } catch (err) {
      // the same person twice at once: the seat taken for the second goes back
      await this.events.updateOne({ _id: rsvp.eventId }, { $inc: { rsvpCount: -1 } }, DURABLE);
      if (err instanceof MongoServerError && err.code === DUPLICATE_KEY) return 'already';
      throw err;
    }
  }

  async removeRsvp(eventId: string, userId: string): Promise<boolean> {
    const gone = (await this.rsvps.deleteOne({ _id: pair(eventId, userId) }, DURABLE)).deletedCount === 1;
    if (gone) await this.events.updateOne({ _id: eventId }, { $inc: { rsvpCount: -1 } }, DURABLE);
    return gone;
  }

  async listRsvps(eventId: string): Promise<RsvpRecord[]> {
    return (await this.rsvps.find({ eventId }).toArray()).map(strip);
  }

  async countRsvps(eventId: string): Promise<number> {
    return (await this.events.findOne({ _id: eventId }))?.rsvpCount ?? 0;
  }

  async hasRsvp(eventId: string, userId: string): Promise<boolean> {
    return (await this.rsvps.countDocuments({ _id: pair(eventId, userId) }, { limit: 1 })) === 1;
  }

  async putAttendance(record: AttendanceRecord): Promise<void> {
    await this.attendance.replaceOne({ _id: pair(record.eventId, record.participantId) }, record, { upsert: true, ...DURABLE });
  }

  async closeAttendance(eventId: string, participantId: string, leftAt: string): Promise<void> {
    await this.attendance.updateOne({ _id: pair(eventId, participantId), leftAt: { $exists: false } }, { $set: { leftAt } }, DURABLE);
  }

  async listAttendance(eventId: string): Promise<AttendanceRecord[]> {
    return (await this.attendance.find({ eventId }).toArray()).map(strip);
  }
}
