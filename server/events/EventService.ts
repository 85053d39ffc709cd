/**
 * Events in worlds: the owner schedules, changes and cancels them; anyone who may enter the world
 * sees them and, signed in, says they are coming while seats are left; the calendar file for each;
 * and, while one is on, who comes and goes in its world, for the owner's attendance report.
 */
import { randomBytes } from 'node:crypto';
import { ErrorCode } from '../../shared/protocol';
import { EVENT_LIMITS, isLive, type AttendanceReport, type EventSummary } from '../../shared/model/events';
import { allowed, type WorldRole } from '../../shared/model/roles';
import type { WorldRecord } from '../../shared/model/worlds';
import type { EventRecord, EventStore } from '../adapters/storage/EventStore';
import type { Store } from '../adapters/storage/Store';
import type { WorldAccess, Who } from '../access/WorldAccess';
import type { Logger } from '../log';
import { AppError } from '../errors';
import { attendanceReport } from './attendanceReport';
import { calendarFile, calendarFileName } from './ics';
import { ChangeEvent, ScheduleEvent, checkTimes, parse } from './inputs';

export interface EventServiceOptions {
  events: EventStore;
  store: Pick<Store, 'getWorld'>;
  access: Pick<WorldAccess, 'require' | 'roleIn'>;
  log: Logger;
  now?: () => number;
}

/** Who joined a world's room, as the room tells it. */
export interface Arrival {
  participantId: string;
  userId?: string | undefined;
  name: string;
}

/** The most events one listing shows: the soonest. */
const LIST_LIMIT = 100;
/** How long a world's coming events are remembered for the room's joins before being read again. */
const CACHE_MS = 60_000;

const notFound = (id: string) => new AppError(ErrorCode.NOT_FOUND, `There is no event "${String(id).slice(0, 64)}".`, 404);

export class EventService {
  private readonly now: () => number;
  /** World → its events not yet over, as last read, for the room's joins. */
  private readonly coming = new Map<string, { events: EventRecord[]; until: number }>();
  /** Connection → the events it is being counted at, to mark when it leaves. */
  private readonly present = new Map<string, string[]>();

  constructor(private readonly o: EventServiceOptions) {
    this.now = o.now ?? Date.now;
  }

  async schedule(who: Who, raw: unknown): Promise<EventSummary> {
    const input = parse(ScheduleEvent, raw, 'event');
    const { world } = await this.o.access.require(input.worldId, who, 'manageEvents');
    const now = this.now();
    checkTimes(input.startsAt, input.endsAt, now);
    const upcoming = (await this.o.events.listWorldEvents(world.id)).filter((e) => !e.cancelledAt && Date.parse(e.endsAt) > now);
    if (upcoming.length >= EVENT_LIMITS.upcomingPerWorld) {
      throw new AppError(ErrorCode.CONFLICT, `"${world.name}" already has ${EVENT_LIMITS.upcomingPerWorld} events to come, as many as a world may; cancel one first.`, 409);
    }
    const { worldId: _named, ...fields } = input;
    const event: EventRecord = { id: `ev_${randomBytes(9).toString('base64url')}`, worldId: world.id, ...fields, createdBy: who!.userId, createdAt: new Date(now).toISOString() };
    await this.o.events.putEvent(event);
    this.coming.delete(world.id);
    this.o.log.info({ worldId: world.id, eventId: event.id }, 'event scheduled');
    return this.summary(event, world, who, 0);
  }

  /** Events not over nor cancelled, soonest first, of one world or of every world the caller may enter. */
  async list(who: Who, worldId?: string): Promise<EventSummary[]> {
    const now = this.now();
    let events: EventRecord[];
    const worlds = new Map<string, { world: WorldRecord; role: WorldRole } | null>();
    if (worldId !== undefined) {
      const { world, role } = await this.o.access.require(worldId, who, 'read');
      worlds.set(world.id, { world, role });
      events = await this.o.events.listWorldEvents(world.id);
    } else {
      events = await this.o.events.listEndingAfter(new Date(now).toISOString());
    }
    events = events.filter((e) => !e.cancelledAt && Date.parse(e.endsAt) > now).sort((a, b) => a.startsAt.localeCompare(b.startsAt) || a.id.localeCompare(b.id));
    const out: EventSummary[] = [];
    for (const e of events) {
      if (out.length >= LIST_LIMIT) break;
      if (!worlds.has(e.worldId)) {
        const world = await this.o.store.getWorld(e.worldId);
        const role = world ? await this.o.access.roleIn(world, who) : null;
        // a world the caller may not enter shows none of its events
        worlds.set(e.worldId, world && role ? { world, role } : null);
      }
      const seen = worlds.get(e.worldId);
      if (seen) out.push(await this.summary(e, seen.world, who, undefined, seen.role));
    }
    return out;
  }

  async get(who: Who, id: string): Promise<EventSummary> {
    const { event, world } = await this.find(who, id, 'read');
    return this.summary(event, world, who);
  }

  async change(who: Who, id: string, raw: unknown): Promise<EventSummary> {
    const { event, world } = await this.find(who, id, 'manageEvents');
    const input = parse(ChangeEvent, raw, 'change to the event');
    this.open(event, 'it can no longer be changed');
    const next: EventRecord = { ...event, ...definedOnly(input) };
    checkTimes(next.startsAt, next.endsAt, this.now());
    const count = await this.o.events.countRsvps(event.id);
    if (next.capacity < count) throw new AppError(ErrorCode.CONFLICT, `${count} people have said they are coming; the capacity cannot be less than that.`, 409);
    await this.o.events.putEvent(next);
    this.coming.delete(world.id);
    return this.summary(next, world, who, count);
  }

  /** Cancels the event; cancelling it again changes nothing. */
  async cancel(who: Who, id: string): Promise<EventSummary> {
    const { event, world } = await this.find(who, id, 'manageEvents');
    if (event.cancelledAt) return this.summary(event, world, who);
    const cancelled = { ...event, cancelledAt: new Date(this.now()).toISOString() };
    await this.o.events.putEvent(cancelled);
    this.coming.delete(world.id);
    this.o.log.info({ worldId: world.id, eventId: event.id }, 'event cancelled');
    return this.summary(cancelled, world, who);
  }

  /** Says the signed-in caller is coming; `added` is false when they already had. */
  async rsvp(who: Who, id: string): Promise<{ event: EventSummary; added: boolean }> {
    const { event, world } = await this.find(signedIn(who, 'say you are coming'), id, 'read');
    this.open(event, 'nobody can say they are coming any more');
    const outcome = await this.o.events.addRsvp({ eventId: event.id, userId: who!.userId, username: who!.username, at: new Date(this.now()).toISOString() });
    if (outcome === 'full') throw new AppError(ErrorCode.EVENT_FULL, `"${event.title}" is full: all ${event.capacity} seats are taken.`, 409);
    if (outcome === 'closed') throw new AppError(ErrorCode.EVENT_CLOSED, `"${event.title}" has been cancelled.`, 409);
    return { event: await this.summary(event, world, who), added: outcome === 'added' };
  }

  async unrsvp(who: Who, id: string): Promise<EventSummary> {
    const { event, world } = await this.find(signedIn(who, 'change whether you are coming'), id, 'read');
    this.open(event, 'who is coming can no longer change');
    await this.o.events.removeRsvp(event.id, who!.userId);
    return this.summary(event, world, who);
  }

  /** The calendar file, with links to the world on `origin` (the address the caller reached). */
  async calendar(who: Who, id: string, origin: string): Promise<{ fileName: string; body: string }> {
    const { event, world } = await this.find(who, id, 'read');
    const url = `${origin}/#/w/${encodeURIComponent(world.id)}`;
    const body = calendarFile({
      uid: `${event.id}@${new URL(origin).hostname || 'localhost'}`,
      stamp: new Date(this.now()),
      start: new Date(event.startsAt),
      end: new Date(event.endsAt),
      summary: event.title,
      description: event.description ? `${event.description}\n\nJoin: ${url}` : `Join: ${url}`,
      url,
      location: `${world.name} (Document Workflow Chain)`,
      cancelled: event.cancelledAt !== undefined,
    });
    return { fileName: calendarFileName(event.title), body };
  }

  async attendance(who: Who, id: string): Promise<AttendanceReport> {
    const { event } = await this.find(who, id, 'manageEvents');
    const [records, rsvps] = await Promise.all([this.o.events.listAttendance(event.id), this.o.events.listRsvps(event.id)]);
    return attendanceReport(event, records, rsvps, this.now());
  }

  /** A connection came into a world: counted at each event there that is on, or whose doors are open. */
  async joined(worldId: string, who: Arrival, at: number): Promise<void> {
    const events = (await this.comingIn(worldId, at)).filter((e) => Date.parse(e.startsAt) - EVENT_LIMITS.doorsOpenMs <= at && at < Date.parse(e.endsAt));
    if (events.length === 0) return;
    this.present.set(who.participantId, events.map((e) => e.id));
    const joinedAt = new Date(at).toISOString();
    await Promise.all(events.map((e) => this.o.events.putAttendance({ eventId: e.id, participantId: who.participantId, ...(who.userId ? { userId: who.userId } : {}), name: who.name, joinedAt })));
  }

  async left(_worldId: string, participantId: string, at: number): Promise<void> {
    const ids = this.present.get(participantId);
    if (!ids) return;
    this.present.delete(participantId);
    const leftAt = new Date(at).toISOString();
    await Promise.all(ids.map((id) => this.o.events.closeAttendance(id, participantId, leftAt)));
  }

  private async comingIn(worldId: string, now: number): Promise<EventRecord[]> {
    const cached = this.coming.get(worldId);
    if (cached && cached.until > now) return cached.events;
    const events = (await this.o.events.listWorldEvents(worldId)).filter((e) => !e.cancelledAt && Date.parse(e.endsAt) > now);
    this.coming.set(worldId, { events, until: now + CACHE_MS });
    return events;
  }

  private async find(who: Who, id: string, action: 'read' | 'manageEvents'): Promise<{ event: EventRecord; world: WorldRecord }> {
    const event = typeof id === 'string' && id.length <= 64 ? await this.o.events.getEvent(id) : undefined;
    if (!event) throw notFound(id);
    const { world } = await this.o.access.require(event.worldId, who, action);
    return { event, world };
  }

  /** Refuses changes to an event that is over or cancelled, saying which and what that means. */
  private open(event: EventRecord, consequence: string): void {
    if (event.cancelledAt) throw new AppError(ErrorCode.EVENT_CLOSED, `"${event.title}" has been cancelled: ${consequence}.`, 409);
    if (Date.parse(event.endsAt) <= this.now()) throw new AppError(ErrorCode.EVENT_CLOSED, `"${event.title}" is over: ${consequence}.`, 409);
  }

  private async summary(e: EventRecord, world: WorldRecord, who: Who, count?: number, knownRole?: WorldRole | null): Promise<EventSummary> {
    const [rsvpCount, going, role] = await Promise.all([
      count ?? this.o.events.countRsvps(e.id),
      who ? this.o.events.hasRsvp(e.id, who.userId) : false,
      knownRole !== undefined ? knownRole : this.o.access.roleIn(world, who),
    ]);
    return {
      id: e.id,
      worldId: e.worldId,
      worldName: world.name,
      title: e.title,
      description: e.description,
      startsAt: e.startsAt,
      endsAt: e.endsAt,
      capacity: e.capacity,
      rsvpCount,
      going,
      live: isLive(e, this.now()),
      ...(e.cancelledAt ? { cancelledAt: e.cancelledAt } : {}),
      canManage: allowed(role, 'manageEvents'),
    };
  }
}

function signedIn(who: Who, what: string): Who {
  if (!who) throw new AppError(ErrorCode.UNAUTHORIZED, `Sign in (or sign up) to ${what}; guests cannot RSVP.`, 401);
  return who;
}

function definedOnly<T extends object>(o: T): { [K in keyof T]-?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as { [K in keyof T]-?: Exclude<T[K], undefined> };
}
