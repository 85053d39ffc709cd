/**
 * Events, RSVPs and attendance in the embedded LevelDB. Whatever changes one event or its RSVPs
 * runs in that event's own queue, one at a time, so a seat is counted and taken in one step.
 */
import type { ClassicLevel } from 'classic-level';
import { keyedSerial } from '../../serial';
import type { AttendanceRecord, EventRecord, EventStore, RsvpOutcome, RsvpRecord } from './EventStore';

const SEP = '\x00';
const eventKey = (id: string) => `event${SEP}${id}`;
/** world → its events, so a world's listing never scans every world's */
const worldEventPrefix = (worldId: string) => `wevent${SEP}${worldId}${SEP}`;
/** end time → event, so the events still to come are one range scan */
const endKey = (e: EventRecord) => `eventend${SEP}${e.endsAt}${SEP}${e.id}`;
const rsvpPrefix = (eventId: string) => `rsvp${SEP}${eventId}${SEP}`;
const attendPrefix = (eventId: string) => `attend${SEP}${eventId}${SEP}`;
const range = (prefix: string) => ({ gt: prefix, lt: `${prefix}\xff` });
const SYNC = { sync: true } as const;

export class LevelEventStore implements EventStore {
  private readonly perEvent = keyedSerial();

  constructor(private readonly db: ClassicLevel<string, unknown>) {}

  putEvent(event: EventRecord): Promise<void> {
    return this.perEvent.run(event.id, async () => {
      const before = await this.getEvent(event.id);
      const batch = this.db.batch();
      if (before && before.endsAt !== event.endsAt) batch.del(endKey(before));
      await batch.put(eventKey(event.id), event).put(worldEventPrefix(event.worldId) + event.id, event.id).put(endKey(event), event.id).write(SYNC);
    });
  }

  async getEvent(id: string): Promise<EventRecord | undefined> {
    return (await this.db.get(eventKey(id))) as EventRecord | undefined;
  }

  async listWorldEvents(worldId: string): Promise<EventRecord[]> {
    return this.byIds((await this.db.values(range(worldEventPrefix(worldId))).all()) as string[]);
  }

  async listEndingAfter(iso: string): Promise<EventRecord[]> {
    // ISO times of one format sort as text; a key past the end time sorts after `iso` + SEP
    const ids = (await this.db.values({ gt: `eventend${SEP}${iso}${SEP}\xff`, lt: `eventend${SEP}\xff` }).all()) as string[];
    return this.byIds(ids);
  }

  addRsvp(rsvp: RsvpRecord): Promise<RsvpOutcome> {
    return this.perEvent.run(rsvp.eventId, async () => {
      const event = await this.getEvent(rsvp.eventId);
      if (!event || event.cancelledAt) return 'closed';
      if (await this.hasRsvp(rsvp.eventId, rsvp.userId)) return 'already';
      if ((await this.countRsvps(rsvp.eventId)) >= event.capacity) return 'full';
      await this.db.put(rsvpPrefix(rsvp.eventId) + rsvp.userId, rsvp, SYNC);
      return 'added';
    });
  }

  removeRsvp(eventId: string, userId: string): Promise<boolean> {
    return this.perEvent.run(eventId, async () => {
      if (!(await this.hasRsvp(eventId, userId))) return false;
      await this.db.del(rsvpPrefix(eventId) + userId, SYNC);
      return true;
    });
  }

  async listRsvps(eventId: string): Promise<RsvpRecord[]> {
    return (await this.db.values(range(rsvpPrefix(eventId))).all()) as RsvpRecord[];
  }

  async countRsvps(eventId: string): Promise<number> {
    return (await this.db.keys(range(rsvpPrefix(eventId))).all()).length;
  }

  async hasRsvp(eventId: string, userId: string): Promise<boolean> {
    return (await this.db.get(rsvpPrefix(eventId) + userId)) !== undefined;
  }

  async putAttendance(record: AttendanceRecord): Promise<void> {
    await this.db.put(attendPrefix(record.eventId) + record.participantId, record, SYNC);
  }

  closeAttendance(eventId: string, participantId: string, leftAt: string): Promise<void> {
    return this.perEvent.run(eventId, async () => {
      const key = attendPrefix(eventId) + participantId;
      const record = (await this.db.get(key)) as AttendanceRecord | undefined;
      if (record && !record.leftAt) await this.db.put(key, { ...record, leftAt }, SYNC);
    });
  }

  async listAttendance(eventId: string): Promise<AttendanceRecord[]> {
    return (await this.db.values(range(attendPrefix(eventId))).all()) as AttendanceRecord[];
  }

  private async byIds(ids: string[]): Promise<EventRecord[]> {
    if (ids.length === 0) return [];
    return ((await this.db.getMany(ids.map(eventKey))) as Array<EventRecord | undefined>).filter((e): e is EventRecord => e !== undefined);
  }
}
