/**
 * Events against the real server: scheduling by the owner only, validation, who sees which events,
 * RSVPs up to the capacity (a race for the last seat included), the calendar file, cancelling, and
 * the attendance kept while an event is on as people join and leave its world's room.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../shared/protocol';
import { joinWorld, until } from '../testing/clients';
import { bearer, restClient, type Reply } from '../testing/rest';
import { useServer } from '../testing/useServer';

const server = useServer();

const rest = restClient(() => server().url);
const { signUp } = rest;
const call = (method: string, route: string, body?: unknown, token?: string): Promise<Reply> => rest.call(method, route, body, token ? bearer(token) : {});

const inMinutes = (min: number) => new Date(Date.now() + min * 60_000).toISOString();
const EVENTS = '/metaverse/events';

type Person = { token: string; userId: string };
let owner: Person, editor: Person, viewer: Person, stranger: Person;
/** Only invited people may enter; anyone may look around the open one. */
let privateWorld: string;
let openWorld: string;

async function schedule(worldId: string, over: Record<string, unknown> = {}, token = owner.token): Promise<Reply> {
  return call('POST', EVENTS, { worldId, title: 'Weekly review', startsAt: inMinutes(60), endsAt: inMinutes(120), ...over }, token);
}

beforeAll(async () => {
  owner = await signUp('orla');
  [editor, viewer, stranger] = [await signUp('eddy'), await signUp('vicky'), await signUp('stan')];
  privateWorld = (await call('POST', '/worlds', { name: 'Boardroom', template: 'office', guestRole: 'none' }, owner.token)).json.world.id;
  openWorld = (await call('POST', '/worlds', { name: 'Town hall', template: 'classroom', guestRole: 'viewer' }, owner.token)).json.world.id;
  for (const [role, who] of [['editor', editor], ['viewer', viewer]] as const) {
    const made = await call('POST', `/worlds/${privateWorld}/invites`, { role }, owner.token);
    expect((await call('POST', `/worlds/${privateWorld}/invites/accept`, { token: made.json.token }, who.token)).status).toBe(200);
  }
});

describe('events', () => {
  it("EVENT-1: schedules an event as the world's owner; editors, viewers, strangers and guests are refused", async () => {
    const made = await schedule(privateWorld, { description: 'Bring the numbers', capacity: 12 });
    expect(made.status).toBe(201);
    expect(made.json.event).toMatchObject({ worldId: privateWorld, worldName: 'Boardroom', title: 'Weekly review', description: 'Bring the numbers', capacity: 12, rsvpCount: 0, going: false, live: false, canManage: true });
    expect(made.json.event.id).toMatch(/^ev_/);
    expect((await call('GET', `${EVENTS}/${made.json.event.id}`, undefined, owner.token)).json.event.title).toBe('Weekly review');
    for (const [who, status, code] of [
      [editor.token, 403, ErrorCode.FORBIDDEN],
      [viewer.token, 403, ErrorCode.FORBIDDEN],
      [stranger.token, 403, ErrorCode.FORBIDDEN],
      [undefined, 401, ErrorCode.UNAUTHORIZED],
    ] as const) {
      // no token at all: a guest
      const refused = await call('POST', EVENTS, { worldId: privateWorld, title: 'Not mine', startsAt: inMinutes(60), endsAt: inMinutes(120) }, who);
      expect(refused.status).toBe(status);
      expect(refused.json.error.code).toBe(code);
    }
    expect((await schedule(privateWorld, {}, editor.token)).json.error.message).toMatch(/Only the owner of this world can schedule events here; you are an editor/);
    const titles = (await call('GET', `${EVENTS}?world=${privateWorld}`, undefined, owner.token)).json.events.map((e: { title: string }) => e.title);
    expect(titles).not.toContain('Not mine');
  });

  it('EVENT-1: refuses an event that cannot be meant, with the reason, storing nothing', async () => {
    const before = (await call('GET', `${EVENTS}?world=${openWorld}`, undefined, owner.token)).json.events.length;
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ title: '' }, /title: give the event a title/],
      [{ title: 'x'.repeat(121) }, /at most 120/],
      [{ description: 'x'.repeat(2001) }, /at most 2000/],
      [{ startsAt: inMinutes(120), endsAt: inMinutes(60) }, /end after it starts/],
      [{ startsAt: inMinutes(60), endsAt: inMinutes(60 + 25 * 60) }, /at most 24 hours/],
      [{ startsAt: inMinutes(-120), endsAt: inMinutes(-60) }, /already be over/],
      [{ capacity: 0 }, /capacity/],
      [{ capacity: 5000 }, /capacity/],
      [{ startsAt: 'next Tuesday' }, /startsAt/],
      [{ title: { $gt: '' } }, /title/],
      [{ worldId: 'no-such-world' }, /no world/],
    ];
    for (const [over, message] of cases) {
      const res = await schedule(openWorld, over);
      expect(res.status, JSON.stringify(over).slice(0, 80)).toBe(over.worldId ? 404 : 400);
      expect(res.json.error.message).toMatch(message);
    }
    expect((await call('GET', `${EVENTS}?world=${openWorld}`, undefined, owner.token)).json.events.length).toBe(before);
  });

  it('EVENT-2: lists events to come soonest first, each world only to those who may enter it', async () => {
    const later = (await schedule(openWorld, { title: 'Later', startsAt: inMinutes(300), endsAt: inMinutes(360) })).json.event;
    const sooner = (await schedule(openWorld, { title: 'Sooner', startsAt: inMinutes(30), endsAt: inMinutes(90) })).json.event;
    const secret = (await schedule(privateWorld, { title: 'Secret board meeting' })).json.event;
    const ids = async (token?: string, world?: string) => ((await call('GET', `${EVENTS}${world ? `?world=${world}` : ''}`, undefined, token)).json.events as Array<{ id: string }>).map((e) => e.id);
    const mine = await ids(owner.token);
    expect(mine).toEqual(expect.arrayContaining([later.id, sooner.id, secret.id]));
    expect(mine.indexOf(sooner.id)).toBeLessThan(mine.indexOf(later.id));
    expect(await ids(viewer.token)).toContain(secret.id);
    // a world's events are as private as the world
    for (const token of [stranger.token, undefined]) {
      const seen = await ids(token);
      expect(seen).toEqual(expect.arrayContaining([later.id, sooner.id]));
      expect(seen).not.toContain(secret.id);
    }
    expect((await call('GET', `${EVENTS}?world=${privateWorld}`, undefined, stranger.token)).status).toBe(403);
    expect((await call('GET', `${EVENTS}?world=${privateWorld}`)).status).toBe(401);
    expect((await call('GET', `${EVENTS}/${secret.id}`, undefined, stranger.token)).status).toBe(403);
    expect((await call('GET', `${EVENTS}/${secret.id}/ics`)).status).toBe(401);
    expect((await call('GET', `${EVENTS}/${secret.id}`)).json.error.code).toBe(ErrorCode.UNAUTHORIZED);
    expect((await call('GET', `${EVENTS}/ev_nosuchevent`, undefined, owner.token)).status).toBe(404);
    expect((await call('GET', `${EVENTS}?world=${openWorld}&world=${privateWorld}`, undefined, stranger.token)).status).toBe(400);
    // what the caller may do comes with each
    const asViewer = (await call('GET', `${EVENTS}?world=${privateWorld}`, undefined, viewer.token)).json.events.find((e: { id: string }) => e.id === secret.id);
    expect(asViewer).toMatchObject({ canManage: false, going: false, live: false });
  });

  it('EVENT-3: lets signed-in people RSVP while seats are left; of several racing for the last seat exactly one gets it', async () => {
    const event = (await schedule(openWorld, { title: 'Small workshop', capacity: 3 })).json.event;
    const path = `${EVENTS}/${event.id}/rsvp`;
    const guest = await call('POST', path);
    expect(guest.status).toBe(401);
    expect(guest.json.error).toMatchObject({ code: ErrorCode.UNAUTHORIZED });
    expect(guest.json.error.message).toMatch(/Sign in/);
    const first = await call('POST', path, undefined, viewer.token);
    expect(first.status).toBe(201);
    expect(first.json.event).toMatchObject({ rsvpCount: 1, going: true });
    // saying so twice counts once
    expect((await call('POST', path, undefined, viewer.token)).status).toBe(200);
    expect((await call('POST', path, undefined, stranger.token)).status).toBe(201);
    const racers = await Promise.all(['r1', 'r2', 'r3', 'r4', 'r5'].map((n) => signUp(`racer${n}`)));
    const race = await Promise.all(racers.map((r) => call('POST', path, undefined, r.token)));
    expect(race.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
    const full = race.find((r) => r.status === 409)!;
    expect(full.json.error.code).toBe(ErrorCode.EVENT_FULL);
    expect(full.json.error.message).toMatch(/"Small workshop" is full: all 3 seats are taken/);
    expect((await call('GET', `${EVENTS}/${event.id}`, undefined, owner.token)).json.event).toMatchObject({ rsvpCount: 3, going: false });
    // taking an RSVP back frees its seat
    const back = await call('DELETE', path, undefined, viewer.token);
    expect(back.json.event).toMatchObject({ rsvpCount: 2, going: false });
    const loser = racers[race.findIndex((r) => r.status === 409)]!;
    expect((await call('POST', path, undefined, loser.token)).status).toBe(201);
    expect((await call('DELETE', path)).status).toBe(401);
    // someone who may not enter the world cannot RSVP to its events
    const secret = (await schedule(privateWorld, { title: 'Members only' })).json.event;
    expect((await call('POST', `${EVENTS}/${secret.id}/rsvp`, undefined, stranger.token)).status).toBe(403);
  });

  it('EVENT-4: downloads the event as an .ics calendar file, hostile text kept inside its property', async () => {
    const title = 'Q3; plan, <script>alert(1)</script>\\ review';
    const description = 'Agenda:\r\nATTENDEE:mailto:evil@example.test\r\nEND:VEVENT\nBEGIN:VEVENT';
    const startsAt = '2027-03-04T09:30:00.000Z';
    const event = (await schedule(openWorld, { title, description, startsAt, endsAt: '2027-03-04T11:00:00Z' })).json.event;
    expect(event.title).toBe(title);
    const res = await fetch(`${server().url}/api/v3${EVENTS}/${event.id}/ics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="Q3-plan-script-alert-1-script-review.ics"');
    const ics = await res.text();
    // every line ends in CRLF, none longer than 75 octets
    expect(ics.endsWith('\r\n')).toBe(true);
    const physical = ics.slice(0, -2).split('\r\n');
    expect(physical.every((l) => !/[\r\n]/.test(l) && Buffer.byteLength(l) <= 75)).toBe(true);
    const lines = ics.replace(/\r\n /g, '').split('\r\n');
    expect(lines[0]).toBe('BEGIN:VCALENDAR');
    expect(lines).toContain('VERSION:2.0');
    expect(lines.some((l) => l.startsWith('PRODID:'))).toBe(true);
    expect(lines).toContain(`UID:${event.id}@127.0.0.1`);
    expect(lines.some((l) => /^DTSTAMP:\d{8}T\d{6}Z$/.test(l))).toBe(true);
    expect(lines).toContain('DTSTART:20270304T093000Z');
    expect(lines).toContain('DTEND:20270304T110000Z');
    expect(lines).toContain('SUMMARY:Q3\\; plan\\, <script>alert(1)</script>\\\\ review');
    const worldUrl = `${server().url}/#/w/${openWorld}`;
    expect(lines).toContain(`DESCRIPTION:Agenda:\\nATTENDEE:mailto:evil@example.test\\nEND:VEVENT\\nBEGIN:VEVENT\\n\\nJoin: ${worldUrl}`);
    expect(lines).toContain(`URL:${worldUrl}`);
    expect(lines).toContain('LOCATION:Town hall (Document Workflow Chain)');
    expect(lines.filter((l) => l === 'BEGIN:VEVENT')).toHaveLength(1);
    expect(lines.filter((l) => l.startsWith('ATTENDEE'))).toEqual([]);
    expect(lines.slice(-3)).toEqual(['END:VEVENT', 'END:VCALENDAR', '']);
  });

  it('EVENT-5: the owner changes and cancels an event; a cancelled event takes no RSVPs and leaves the listing', async () => {
    const event = (await schedule(openWorld, { title: 'Draft', capacity: 5 })).json.event;
    const path = `${EVENTS}/${event.id}`;
    expect((await call('PATCH', path, { title: 'Final' }, owner.token)).json.event).toMatchObject({ title: 'Final', capacity: 5 });
    expect((await call('PATCH', path, { title: 'Mine now' }, viewer.token)).status).toBe(403);
    expect((await call('PATCH', path, { endsAt: inMinutes(10) }, owner.token)).json.error.message).toMatch(/end after it starts/);
    expect((await call('POST', `${path}/rsvp`, undefined, viewer.token)).status).toBe(201);
    expect((await call('POST', `${path}/rsvp`, undefined, editor.token)).status).toBe(201);
    const shrink = await call('PATCH', path, { capacity: 1 }, owner.token);
    expect(shrink.status).toBe(409);
    expect(shrink.json.error.message).toMatch(/2 people have said they are coming/);
    expect((await call('DELETE', path, undefined, editor.token)).status).toBe(403);
    const cancelled = await call('DELETE', path, undefined, owner.token);
    expect(cancelled.status).toBe(200);
    expect(cancelled.json.event.cancelledAt).toEqual(expect.any(String));
    const late = await call('POST', `${path}/rsvp`, undefined, stranger.token);
    expect(late.status).toBe(409);
    expect(late.json.error).toMatchObject({ code: ErrorCode.EVENT_CLOSED });
    expect(late.json.error.message).toMatch(/"Final" has been cancelled/);
    expect((await call('PATCH', path, { title: 'Revived' }, owner.token)).status).toBe(409);
    expect((await call('DELETE', path, undefined, owner.token)).status).toBe(200);
    const listed = (await call('GET', `${EVENTS}?world=${openWorld}`, undefined, owner.token)).json.events.map((e: { id: string }) => e.id);
    expect(listed).not.toContain(event.id);
    // the calendar file says so, so a calendar that imported it drops it
    expect(await (await fetch(`${server().url}/api/v3${path}/ics`)).text()).toContain('STATUS:CANCELLED');
  });

  it('EVENT-1: a world has at most 50 events to come', async () => {
    const world = (await call('POST', '/worlds', { name: 'Busy', template: 'office' }, owner.token)).json.world.id;
    const made = await Promise.all(Array.from({ length: 50 }, (_, i) => schedule(world, { title: `Slot ${i}`, startsAt: inMinutes(60 + i), endsAt: inMinutes(90 + i) })));
    expect(made.every((r) => r.status === 201)).toBe(true);
    const over = await schedule(world, { title: 'One too many' });
    expect(over.status).toBe(409);
    expect(over.json.error.message).toMatch(/already has 50 events to come.*cancel one first/);
    expect((await call('DELETE', `${EVENTS}/${made[0]!.json.event.id}`, undefined, owner.token)).status).toBe(200);
    expect((await schedule(world, { title: 'Now it fits' })).status).toBe(201);
  }, 30_000);

  it('EVENT-6: keeps attendance while an event is on: who came, when and for how long, and who said they would and did not', async () => {
    const event = (await schedule(openWorld, { title: 'Live now', startsAt: inMinutes(-1), endsAt: inMinutes(60) })).json.event;
    expect(event.live).toBe(true);
    expect((await call('POST', `${EVENTS}/${event.id}/rsvp`, undefined, editor.token)).status).toBe(201);
    expect((await call('POST', `${EVENTS}/${event.id}/rsvp`, undefined, viewer.token)).status).toBe(201);
    const ann = await joinWorld(server().url, openWorld, 'ignored', { token: viewer.token });
    const guest = await joinWorld(server().url, openWorld, 'Gwen');
    await new Promise((r) => setTimeout(r, 1500));
    await guest.room.leave();
    const report = async () => (await call('GET', `${EVENTS}/${event.id}/attendance`, undefined, owner.token)).json.attendance;
    await until('the guest to be marked as gone', async () => (await report()).attendees.find((a: { name: string }) => a.name === 'Gwen')?.lastLeftAt !== undefined, 5000, 100);
    // the account's second connection is one person, counted once
    const again = await joinWorld(server().url, openWorld, 'ignored', { token: viewer.token });
    await new Promise((r) => setTimeout(r, 500));
    await ann.room.leave();
    await again.room.leave();
    await until('the viewer to be marked as gone', async () => (await report()).attendees.find((a: { name: string }) => a.name === 'vicky')?.lastLeftAt !== undefined, 5000, 100);
    const { attendees, absent } = await report();
    expect(attendees).toHaveLength(2);
    const vi = attendees.find((a: { name: string }) => a.name === 'vicky');
    const gwen = attendees.find((a: { name: string }) => a.name === 'Gwen');
    expect(vi).toMatchObject({ userId: viewer.userId, rsvp: true });
    expect(gwen).toMatchObject({ rsvp: false });
    expect(gwen.userId).toBeUndefined();
    expect(vi.seconds).toBeGreaterThanOrEqual(2);
    expect(vi.seconds).toBeLessThan(30);
    expect(gwen.seconds).toBeGreaterThanOrEqual(1);
    expect(Date.parse(vi.lastLeftAt)).toBeGreaterThanOrEqual(Date.parse(vi.firstJoinedAt));
    expect(absent).toEqual([{ userId: editor.userId, username: 'eddy' }]);
    // the report is the owner's
    expect((await call('GET', `${EVENTS}/${event.id}/attendance`, undefined, editor.token)).status).toBe(403);
    expect((await call('GET', `${EVENTS}/${event.id}/attendance`)).status).toBe(403);
    // someone in a world with no event on is not recorded anywhere
    const quiet = (await call('POST', '/worlds', { name: 'Quiet', template: 'office', guestRole: 'viewer' }, owner.token)).json.world.id;
    const later = (await schedule(quiet, { title: 'Tomorrow', startsAt: inMinutes(24 * 60), endsAt: inMinutes(25 * 60) })).json.event;
    const early = await joinWorld(server().url, quiet, 'Early');
    await new Promise((r) => setTimeout(r, 300));
    await early.room.leave();
    expect((await call('GET', `${EVENTS}/${later.id}/attendance`, undefined, owner.token)).json.attendance.attendees).toEqual([]);
  }, 30_000);
});
