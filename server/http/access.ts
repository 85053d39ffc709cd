/**
 * REST access checks: who the caller is for world roles, and the scopes API keys need. The scope
 * table names every route family; a key without the scope a route needs is refused with 403 naming
 * it, before the route runs. Tokens and guests are not limited by scopes, only by world roles.
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

/** Checks the caller's role in a world for `action`; 403 (401 for a guest at a private world) otherwise. */
export async function requireWorld(access: WorldAccess, res: Response, worldId: string, action: WorldAction | IntentType) {
  res.locals.auditWorld ??= worldId;
  return access.require(worldId, who(res), action);
}

/**
 * The scope an API key needs for each route family, by method: reads and changes. First match wins;
 * routes not listed (the caller's own account, health) need no scope.
 */
export const ROUTE_SCOPES: ReadonlyArray<{ prefix: string; read: Scope | null; write: Scope }> = [
  { prefix: '/documents', read: 'documents:read', write: 'documents:write' },
  { prefix: '/blockchain', read: 'documents:read', write: 'documents:write' },
  { prefix: '/worlds', read: 'worlds:read', write: 'worlds:write' },
  { prefix: '/workflows', read: 'workflows:read', write: 'workflows:run' },
  { prefix: '/runs', read: 'workflows:read', write: 'workflows:run' },
  // AI answers cost money or compute: asking for one is running something
  { prefix: '/ai', read: null, write: 'workflows:run' },
  { prefix: '/neural', read: 'neural:write', write: 'neural:write' },
  { prefix: '/audit', read: 'audit:read', write: 'audit:read' },
];

/** The scope a request needs from an API key, or null when none. */
export function scopeFor(method: string, path: string): Scope | null {
  const entry = ROUTE_SCOPES.find((e) => path === e.prefix || path.startsWith(`${e.prefix}/`));
  if (!entry) return null;
  return method === 'GET' || method === 'HEAD' ? entry.read : entry.write;
}

/** Refuses an API key that lacks the scope the route needs. */
export function requireScopes(): RequestHandler {
  return (req, res, next) => {
    const caller = res.locals.auth as Caller | undefined;
    if (caller?.kind !== 'key') return next();
    const scope = scopeFor(req.method, req.path);
    if (scope && !caller.scopes.includes(scope)) {
      throw new AppError(ErrorCode.FORBIDDEN, `This API key lacks the scope "${scope}" that ${req.method} /api/v3${req.path} needs; make a key with it.`, 403);
    }
    next();
  };
}
