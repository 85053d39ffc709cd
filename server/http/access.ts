/**
 * REST access checks: who the caller is for world roles, and the scopes API keys need, declared on
 * the routes themselves (see server/http/routes.ts for the check that every route declares them).
 */
import type { RequestHandler, Response } from 'express';
import { ErrorCode, type IntentType } from '../../shared/protocol';
import type { WorldAction } from '../../shared/model/roles';
import type { Caller } from '../auth/AuthService';
import type { Scope } from '../auth/inputs';
import type { WorldAccess, Who } from '../access/WorldAccess';
import { AppError } from '../errors';

/** The signed-in person behind a request (token or key), or null for a guest. */
export function who(res: Response): Who {
  const caller = res.locals.auth as Caller | undefined;
  return caller && caller.kind !== 'guest' ? { userId: caller.userId, username: caller.username } : null;
}

/**
 * Checks the caller's role in a world for `action`; 403 (401 for a guest at a private world)
 * otherwise. Only once the check passes is the request's audit entry filed under that world: a
 * world's log is no place anyone can write to by naming it.
 */
export async function requireWorld(access: WorldAccess, res: Response, worldId: string, action: WorldAction | IntentType) {
  const allowed = await access.require(worldId, who(res), action);
  res.locals.auditWorld ??= worldId;
  return allowed;
}

/** What a route decided about API key scopes: the scope for reads and for changes, or none, with why. */
export type ScopeDecision = { read: Scope | null; write: Scope | null } | { none: string };

const DECISION = Symbol('scope decision');
type Marked = RequestHandler & { [DECISION]: ScopeDecision };

/**
 * Declares the scopes an API key needs for the routes it guards: `read` for GET and HEAD, `write`
 * for everything else (null: no scope). Put on a route, or on a mount so every route under it is
 * covered; a key without the scope is refused with 403 naming it, before the route runs. Tokens and
 * guests are not limited by scopes, only by world roles. Being attached to the routes themselves, it
 * guards whatever path spelling reaches them.
 */
export function scope(read: Scope | null, write: Scope | null = read): RequestHandler {
  const check: RequestHandler = (req, res, next) => {
    const caller = res.locals.auth as Caller | undefined;
    const needed = req.method === 'GET' || req.method === 'HEAD' ? read : write;
    if (caller?.kind === 'key' && needed && !caller.scopes.includes(needed)) {
      throw new AppError(ErrorCode.FORBIDDEN, `This API key lacks the scope "${needed}" that ${req.method} ${req.originalUrl.split('?')[0]!.slice(0, 200)} needs; make a key with it.`, 403);
    }
    next();
  };
  return Object.assign(check, { [DECISION]: { read, write } }) as Marked;
}

/** Says, on purpose, that the routes it guards need no scope from an API key, and why. */
export function noScope(why: string): RequestHandler {
  const pass: RequestHandler = (_req, _res, next) => next();
  return Object.assign(pass, { [DECISION]: { none: why } }) as Marked;
}

export function scopeDecision(handler: unknown): ScopeDecision | undefined {
  return typeof handler === 'function' ? (handler as Partial<Marked>)[DECISION] : undefined;
}

/**
 * For what only administrators (ADMIN_USERS) may read: 401 for a guest, 403 for anyone else. `what`
 * names it in the refusal, in the plural ("the server's metrics").
 */
export function adminOnly(access: WorldAccess, what: string): RequestHandler {
  return (_req, res, next) => {
    const caller = who(res);
    if (!caller) throw new AppError(ErrorCode.UNAUTHORIZED, `${what[0]!.toUpperCase()}${what.slice(1)} are for administrators: sign in, or send an administrator's API key.`, 401);
    if (!access.isAdmin(caller)) throw new AppError(ErrorCode.FORBIDDEN, `Only administrators (ADMIN_USERS) read ${what}.`, 403);
    next();
  };
}
