/**
 * The routes an express app serves, read from its router stack: each with its method, full path and
 * the scope decision attached to it (see `scope` and `noScope`). Used at boot to refuse to start with
 * a REST route nobody decided scopes for, or a router that matches paths whatever their case, and by
 * the tests that call every route.
 */
import type { RequestHandler } from 'express';
import { scopeDecision, type ScopeDecision } from './access';

interface Layer {
  rawPath?: unknown;
  handle: unknown;
  method?: string;
  route?: { path: unknown; stack: Layer[] };
}
interface RouterLike {
  stack: Layer[];
  caseSensitive?: boolean;
}

export interface RouteInfo {
  method: string;
  path: string;
  decision?: ScopeDecision;
}

export interface RouteWalk {
  routes: RouteInfo[];
  /** Mount paths of routers that match paths whatever their case. */
  caseInsensitive: string[];
}

const isRouter = (h: unknown): h is RouterLike => typeof h === 'function' && Array.isArray((h as Partial<RouterLike>).stack);
const paths = (raw: unknown): string[] => (Array.isArray(raw) ? raw.flat(Infinity).map(String) : [raw === undefined ? '/' : String(raw)]);
const join = (prefix: string, p: string) => (p === '/' ? prefix : `${prefix}${p}`) || '/';
const under = (p: string, base: string) => base === '' || p === base || p.startsWith(`${base}/`);

/** Every route under `router`, depth first in the order express tries them. */
export function walkRoutes(router: RouterLike, prefix = '', inherited?: ScopeDecision): RouteWalk {
  const walk: RouteWalk = { routes: [], caseInsensitive: router.caseSensitive === true ? [] : [prefix || '/'] };
  // scope middleware mounted in this router covers the layers after it under its path
  const marks: Array<{ path: string; decision: ScopeDecision }> = [];
  const decided = (p: string) => marks.findLast((m) => under(p, m.path))?.decision ?? inherited;
  for (const layer of router.stack) {
    for (const p of paths(layer.route ? layer.route.path : layer.rawPath)) {
      const full = join(prefix, p);
      if (layer.route) {
        const own = layer.route.stack.map((l) => scopeDecision(l.handle)).find((d) => d !== undefined);
        const methods = [...new Set(layer.route.stack.map((l) => (l.method ?? 'all').toUpperCase()))];
        for (const method of methods) walk.routes.push({ method, path: full, ...withDecision(own ?? decided(full)) });
        continue;
      }
      const mark = scopeDecision(layer.handle);
      if (mark) marks.push({ path: full === '/' ? prefix : full, decision: mark });
      else if (isRouter(layer.handle)) {
        const inner = walkRoutes(layer.handle, full === '/' ? '' : full, decided(full));
        walk.routes.push(...inner.routes);
        walk.caseInsensitive.push(...inner.caseInsensitive);
      }
    }
  }
  return walk;
}

const withDecision = (decision: ScopeDecision | undefined) => (decision ? { decision } : {});

/**
 * Refuses to serve routes under `apiPrefix` that declare no scope decision, or any router that
 * ignores case: either would let an API key past the scopes it was given.
 */
export function assertRoutesGuarded(router: RouterLike, apiPrefix: string): void {
  const { routes, caseInsensitive } = walkRoutes(router);
  const undecided = routes.filter((r) => under(r.path, apiPrefix) && !r.decision).map((r) => `${r.method} ${r.path}`);
  if (undecided.length) throw new Error(`REST routes without a scope decision (add scope(...) or noScope(why)): ${undecided.join(', ')}`);
  if (caseInsensitive.length) throw new Error(`Routers that match paths whatever their case (create them with { caseSensitive: true }): ${caseInsensitive.join(', ')}`);
}

/**
 * The pattern of the route that answered a request (`/api/v3/worlds/:id`), once it has been
 * answered; undefined when none matched. Metrics and spans name requests by it, never by the path,
 * so ids in paths make no new series and no new span names.
 */
export function routePattern(req: { baseUrl: string; route?: { path?: unknown } }, locals: Record<string, unknown> = {}): string | undefined {
  const pattern = req.route?.path;
  if (typeof pattern !== 'string') return undefined;
  // a router mounted at a path with parameters has the matched path as its baseUrl: its pattern was
  // noted on the way in (see mountedAt), kept only if it is of the router that answered (as deep)
  const noted = locals.mountPattern;
  const base = typeof noted === 'string' && noted.split('/').length === req.baseUrl.split('/').length ? noted : req.baseUrl;
  return `${base}${pattern === '/' ? '' : pattern}` || '/';
}

/**
 * Notes the pattern a router is mounted at (`/worlds/:id/props`), for a mount with parameters:
 * its requests are then named `/api/v3/worlds/:id/props/…`, never with a world's id.
 */
export function mountedAt(pattern: string): RequestHandler {
  const depth = pattern.split('/').length - 1;
  return (req, res, next) => {
    const parts = req.baseUrl.split('/');
    res.locals.mountPattern = `${parts.slice(0, parts.length - depth).join('/')}${pattern}`;
    next();
  };
}
