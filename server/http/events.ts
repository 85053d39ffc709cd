/**
 * Events over REST, under /api/v3/metaverse/events: list the ones to come (of one world, or of
 * every world the caller may enter), schedule, change and cancel one (the world's owner), RSVP and
 * take it back (signed-in people who may enter the world), its calendar file, and who came (owner).
 */
import express, { type Request, type Response, type Router } from 'express';
import { ErrorCode } from '../../shared/protocol';
import type { EventService } from '../events/EventService';
import { AppError } from '../errors';
import { who } from './access';

/** The scheme and host the caller reached this server at, for links in the calendar file. */
function origin(req: Request): string {
  const host = req.host;
  // a Host header that is not a plain host[:port] is not put in a file
  const safeHost = typeof host === 'string' && /^[A-Za-z0-9.:[\]-]{1,255}$/.test(host) ? host : 'localhost';
  return `${req.protocol === 'https' ? 'https' : 'http'}://${safeHost}`;
}

export function eventRoutes(events: EventService): Router {
  const r = express.Router({ caseSensitive: true });
  const id = (req: Request) => String(req.params.id ?? '').slice(0, 64);
  // once a call about an event passed its world's check, the request's audit entry is filed under that world
  const filed = <T extends { worldId: string }>(res: Response, event: T): T => {
    res.locals.auditWorld = event.worldId;
    return event;
  };

  r.get('/', async (req, res) => {
    const asked = req.query.world;
    if (asked !== undefined && typeof asked !== 'string') throw new AppError(ErrorCode.BAD_REQUEST, 'Give one world id as ?world=, or none for every world you may enter.');
    const world = asked?.slice(0, 64);
    res.json({ events: await events.list(who(res), world) });
  });
  r.post('/', async (req, res) => {
    res.status(201).json({ event: filed(res, await events.schedule(who(res), req.body)) });
  });
  r.get('/:id', async (req, res) => {
    res.json({ event: await events.get(who(res), id(req)) });
  });
  r.patch('/:id', async (req, res) => {
    res.json({ event: filed(res, await events.change(who(res), id(req), req.body)) });
  });
  r.delete('/:id', async (req, res) => {
    res.json({ event: filed(res, await events.cancel(who(res), id(req))) });
  });
  r.post('/:id/rsvp', async (req, res) => {
    const { event, added } = await events.rsvp(who(res), id(req));
    res.status(added ? 201 : 200).json({ event: filed(res, event) });
  });
  r.delete('/:id/rsvp', async (req, res) => {
    res.json({ event: filed(res, await events.unrsvp(who(res), id(req))) });
  });
  r.get('/:id/ics', async (req, res) => {
    const { fileName, body } = await events.calendar(who(res), id(req), origin(req));
    res.set({
      'Content-Type': 'text/calendar; charset=utf-8',
      'Content-Disposition': `attachment; filename="${fileName}"`,
      'Cache-Control': 'private, no-cache',
      'X-Content-Type-Options': 'nosniff',
    });
    res.send(body);
  });
  r.get('/:id/attendance', async (req, res) => {
    res.json({ attendance: await events.attendance(who(res), id(req)) });
  });
  return r;
}
