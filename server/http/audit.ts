/**
 * The audit log over REST: `GET /api/v3/audit` with filters, paged by cursor, as JSON or as a CSV
 * export of everything that matches. `auditRequests` records every REST change (and every refusal
 * of the rate limit) as it finishes.
 */
import express, { type RequestHandler, type Router } from 'express';
import { z } from 'zod';
import { ErrorCode } from '../../shared/protocol';
import type { AuditEntry, AuditQuery } from '../adapters/storage/AuditStore';
import type { AuditLog } from '../audit/AuditLog';
import type { Caller } from '../auth/AuthService';
import { AppError } from '../errors';
import type { WorldAccess } from '../access/WorldAccess';
import { who } from './access';
import { clientIp } from './hardening';

const Query = z.strictObject({
  world: z.string().min(1).max(64).optional(),
  actor: z.string().min(1).max(128).optional(),
  action: z.string().min(1).max(200).optional(),
  outcome: z.enum(['accepted', 'refused']).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  after: z.string().regex(/^[0-9a-z]{13,40}$/, 'a cursor from a previous page').optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  format: z.enum(['json', 'csv']).default('json'),
});

const CSV_COLUMNS = ['id', 'at', 'worldId', 'actorKind', 'actorId', 'actorName', 'actorIp', 'action', 'outcome', 'targetType', 'targetId', 'before', 'after', 'detail', 'count'] as const;

/**
 * What a spreadsheet may read as the start of a formula: = + - @, their full-width forms, and any
 * leading whitespace or line break (some spreadsheets skip it and read what follows).
 */
const FORMULA_START = /^[=+\-@\uFF1D\uFF0B\uFF0D\uFF20\s]/u;

/**
 * One CSV cell: quoted, quotes doubled, and a leading character a spreadsheet would run as a
 * formula defused with an apostrophe, since names and note texts are whatever people typed.
 */
export function csvCell(value: unknown): string {
  let s = value === undefined || value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  if (FORMULA_START.test(s)) s = `'${s}`;
  return `"${s.replace(/"/g, '""')}"`;
}

function csvRow(e: AuditEntry): string {
  const cells = [e.id, e.at, e.worldId, e.actor.kind, e.actor.id, e.actor.name, e.actor.ip, e.action, e.outcome, e.target?.type, e.target?.id, e.before, e.after, e.detail, e.count];
  return `${cells.map(csvCell).join(',')}\r\n`;
}

function toQuery(q: z.infer<typeof Query>): AuditQuery {
  return {
    limit: q.limit,
    ...(q.world !== undefined ? { worldId: q.world } : {}),
    ...(q.actor !== undefined ? { actorId: q.actor } : {}),
    ...(q.action !== undefined ? { action: q.action } : {}),
    ...(q.outcome !== undefined ? { outcome: q.outcome } : {}),
    // stored times are UTC ISO strings; compare like with like
    ...(q.from !== undefined ? { from: new Date(q.from).toISOString() } : {}),
    ...(q.to !== undefined ? { to: new Date(q.to).toISOString() } : {}),
    ...(q.after !== undefined ? { after: q.after } : {}),
  };
}

/** Administrators read everything; a world's owner reads that world's entries; nobody else reads any. */
export function auditRoutes(audit: AuditLog, access: WorldAccess): Router {
  const r = express.Router({ caseSensitive: true });
  r.get('/', async (req, res) => {
    const parsed = Query.safeParse(req.query);
    if (!parsed.success) {
      throw new AppError(ErrorCode.BAD_REQUEST, `Invalid audit query: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`).join('; ')}`);
    }
    const caller = who(res);
    if (!access.isAdmin(caller)) {
      if (!caller) throw new AppError(ErrorCode.UNAUTHORIZED, 'The audit log is for world owners and administrators: sign in first.', 401);
      if (!parsed.data.world) throw new AppError(ErrorCode.FORBIDDEN, 'Only administrators read the whole audit log; name one of your worlds: ?world=<id>.', 403);
      await access.require(parsed.data.world, caller, 'readAudit');
    }
    const query = toQuery(parsed.data);
    if (parsed.data.format === 'json') {
      res.json(await audit.query(query));
      return;
    }
    // the export is everything that matches, read a page at a time and streamed
    res.setHeader('content-type', 'text/csv; charset=utf-8');
    res.setHeader('content-disposition', `attachment; filename="audit-${new Date().toISOString().slice(0, 10)}.csv"`);
    res.write(`${CSV_COLUMNS.join(',')}\r\n`);
    let after = query.after;
    for (;;) {
      const page = await audit.query({ ...query, limit: 1000, ...(after !== undefined ? { after } : {}) });
      for (const e of page.entries) res.write(csvRow(e));
      if (!page.next || res.destroyed) break;
      after = page.next;
    }
    res.end();
  });
  return r;
}

/** Records each REST change when its response is done, and every refusal, reads included. */
export function auditRequests(audit: AuditLog): RequestHandler {
  return (req, res, next) => {
    res.on('finish', () => {
      const change = req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'OPTIONS';
      const refusedByGuard = res.statusCode === 401 || res.statusCode === 403 || res.statusCode === 429;
      if (!change && !refusedByGuard) return;
      const ip = clientIp(req);
      // only a world the route's access check let the caller into, never one the request merely names
      const worldId = typeof res.locals.auditWorld === 'string' && res.locals.auditWorld.length <= 64 ? res.locals.auditWorld : null;
      const path = req.originalUrl.split('?')[0]!.slice(0, 200);
      // a signed-in caller (token or key) is named; a guest is known by address
      const caller = res.locals.auth as Caller | undefined;
      const actor = caller && caller.kind !== 'guest' ? { kind: 'client' as const, id: caller.userId, name: caller.username, ip } : { kind: 'client' as const, id: ip, ip };
      audit.record({
        worldId,
        actor,
        action: `${req.method} ${path}`,
        outcome: res.statusCode < 400 ? 'accepted' : 'refused',
        detail: String(res.statusCode),
      });
    });
    next();
  };
}
