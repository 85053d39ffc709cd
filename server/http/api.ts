/** REST API under /api/v3. */
import express, { type ErrorRequestHandler, type Request, type RequestHandler, type Response, type Router } from 'express';
import { within } from '../within';
import type { Limiters } from '../cluster/limiters';
import { EntityId, ErrorCode, PROTOCOL_VERSION } from '../../shared/protocol';
import { WORLD_TEMPLATES } from '../../shared/model/worlds';
import type { Storage } from '../adapters/storage';
import type { DocumentService } from '../documents/DocumentService';
import { AppError } from '../errors';
import type { Logger } from '../log';
import { createWorld } from '../worlds';
import { documentRoutes } from './documents';
import { runRoutes, workflowRoutes, type WorkflowRouteDeps } from './workflows';
import type { WorldAccess } from '../access/WorldAccess';
import { adminOnly, noScope, requireWorld, scope, who } from './access';
import { keyRateLimit } from './hardening';
import { mountedAt } from './routes';
import { requestIdOf, requestLog } from './requestContext';
import type { Metrics } from '../metrics/Metrics';
import type { Readiness } from '../health/Readiness';
import { memberRoutes } from './members';
import { propRoutes } from './props';
import { eventRoutes } from './events';
import type { EventService } from '../events/EventService';
import type { PropModels } from '../props/PropModels';

export interface ApiDeps {
  storage: Storage;
  documents: DocumentService;
  /** Models uploaded to use as props, and worlds' layouts as stored. */
  props: PropModels;
  maxUploadBytes: number;
  workflowDeps: WorkflowRouteDeps;
  blockchain: Router;
  ai: Router;
  audit: Router;
  /** Accounts and API keys, and the middleware that says who is calling (guests included). */
  auth: Router;
  keys: Router;
  /** What a signed-in person keeps with their account (their look). */
  account: Router;
  caller: RequestHandler;
  /** REST requests per minute per API key. */
  keyRatePerMinute: number;
  /** Where the per-key limit counts: this process, or the site's Redis. */
  limiters?: Limiters;
  /** World roles: who may see and change which world. */
  access: WorldAccess;
  /** Neural sessions and device-bridge commands. */
  neural: Router;
  /** Events scheduled in worlds, their RSVPs and attendance. */
  events: EventService;
  /** The server's metrics, for Prometheus. */
  metrics: Metrics;
  /** Minute and hour rollups of the key series, for administrators. */
  analytics: Router;
  /** Alert rules, the alerts firing and their history, for administrators. */
  alerts: Router;
  /** Devices, their telemetry and commands. */
  iot: Router;
  /** Whether the dependencies answer, for `/health/ready`. */
  readiness: Readiness;
  log: Logger;
  version: string;
  startedAt: number;
  /** Live rooms: which world each serves and how many clients it has. */
  liveRooms(): Promise<Array<{ worldId: string; clients: number }>>;
}

const MAX_JSON_BYTES = '64kb';

export function apiRouter(deps: ApiDeps): Router {
  // paths match as written: a route guarded for /workflows must not be reached as /WORKFLOWS
  const api = express.Router({ caseSensitive: true });
  const store = deps.storage.store;
  api.use(express.json({ limit: MAX_JSON_BYTES }));
  api.use(deps.caller);
  api.use(keyRateLimit(deps.keyRatePerMinute, deps.limiters));
  // every mount says which API key scopes its routes need (reads, changes), or why none
  const account = noScope("the caller's own account and keys: API keys are refused there, signing in needs none");
  api.use('/auth', account, deps.auth);
  api.use('/keys', account, deps.keys);
  api.use('/account', account, deps.account);
  api.use('/documents', scope('documents:read', 'documents:write'), documentRoutes({ documents: deps.documents, spoolDir: deps.storage.spoolDir, maxUploadBytes: deps.maxUploadBytes, access: deps.access }));
  api.use('/workflows', scope('workflows:read', 'workflows:run'), workflowRoutes(deps.workflowDeps));
  api.use('/runs', scope('workflows:read', 'workflows:run'), runRoutes(deps.workflowDeps));
  api.use('/blockchain', scope('documents:read', 'documents:write'), deps.blockchain);
  // AI answers cost money or compute: asking for one is running something
  api.use('/ai', scope(null, 'workflows:run'), deps.ai);
  api.use('/audit', scope('audit:read'), deps.audit);
  api.use('/neural', scope('neural:write'), deps.neural);
  api.use('/worlds', scope('worlds:read', 'worlds:write'));
  // an event is part of its world: seeing one is reading the world, scheduling or RSVPing changes it
  api.use('/metaverse/events', scope('worlds:read', 'worlds:write'), eventRoutes(deps.events));

  api.use('/analytics', scope('metrics:read'), deps.analytics);
  // changing an alert rule is part of watching the server: the same scope as reading its metrics
  api.use('/alerts', scope('metrics:read'), deps.alerts);
  // devices are a world's things: its roles decide who sees and changes them, the scopes what a key may
  api.use('/iot', scope('iot:read', 'iot:write'), deps.iot);

  // the server's metrics, for administrators (an API key of theirs needs metrics:read): what Prometheus scrapes
  api.get('/metrics', scope('metrics:read'), adminOnly(deps.access, "the server's metrics"), async (_req, res) => {
    const { contentType, body } = await deps.metrics.text();
    res.setHeader('content-type', contentType);
    res.setHeader('cache-control', 'no-store');
    res.send(body);
  });

  api.get('/health', noScope('says only that the server is up'), async (_req, res) => {
    // liveness must not hang on what the site shares (Redis): the counts are left out when they are slow
    const rooms = await within(deps.liveRooms().catch(() => null), 1000, null);
    res.json({
      status: 'ok',
      version: deps.version,
      protocol: PROTOCOL_VERSION,
      uptimeSeconds: Math.round((Date.now() - deps.startedAt) / 1000),
      rooms: rooms ? rooms.length : null,
      clients: rooms ? rooms.reduce((n, r) => n + r.clients, 0) : null,
    });
  });

  // for a load balancer: 503 until the store and the default chain answer (see Readiness.ts)
  api.get('/health/ready', noScope('says whether the server can serve, and what each dependency answers, in a word'), async (_req, res) => {
    const report = await deps.readiness.report();
    res.setHeader('cache-control', 'no-store');
    res.status(report.ready ? 200 : 503).json(report);
  });

  api.get('/worlds/templates', (_req, res) => {
    res.json({
      templates: Object.values(WORLD_TEMPLATES).map(({ id, name, description }) => ({ id, name, description })),
    });
  });

  api.get('/worlds', async (_req, res) => {
    const [all, rooms] = await Promise.all([store.listWorlds(), deps.liveRooms()]);
    const worlds = await deps.access.visible(all, who(res));
    const counts = new Map<string, number>();
    for (const r of rooms) counts.set(r.worldId, (counts.get(r.worldId) ?? 0) + r.clients);
    worlds.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    res.json({ worlds: worlds.map((w) => ({ ...w, participants: counts.get(w.id) ?? 0 })) });
  });

  api.post('/worlds', async (req: Request, res: Response) => {
    const owner = who(res);
    const world = await createWorld(deps.storage, req.body, new Date(), owner?.userId);
    if (owner) await deps.access.addOwner(world, owner);
    requestLog(res, deps.log).info({ worldId: world.id, template: world.template }, 'world created');
    res.status(201).json({ world: { ...world, participants: 0 } });
  });

  api.get('/worlds/:id', async (req, res) => {
    const id = EntityId.safeParse(req.params.id);
    const world = id.success ? await store.getWorld(id.data) : undefined;
    if (!world) throw new AppError(ErrorCode.NOT_FOUND, `There is no world "${String(req.params.id).slice(0, 64)}".`, 404);
    const { role } = await requireWorld(deps.access, res, world.id, 'read');
    const rooms = await deps.liveRooms();
    const participants = rooms.filter((r) => r.worldId === world.id).reduce((n, r) => n + r.clients, 0);
    res.json({ world: { ...world, participants }, role });
  });
  api.use('/worlds/:id', mountedAt('/worlds/:id'), memberRoutes(deps.access));
  api.use('/worlds/:id/props', mountedAt('/worlds/:id/props'), propRoutes({ props: deps.props, access: deps.access, spoolDir: deps.storage.spoolDir }));

  api.use((req, _res) => {
    throw new AppError(ErrorCode.NOT_FOUND, `No API route ${req.method} ${req.path}.`, 404);
  });
  api.use(errorHandler(deps.log));
  return api;
}

/**
 * Turns any error into `{ error: { code, message, requestId } }` without leaking internals; the
 * request id is what a user quotes to find the request in the log.
 */
function errorHandler(log: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const requestId = requestIdOf(res);
    const reqLog = requestLog(res, log);
    if (err instanceof AppError) {
      reqLog.debug({ code: err.code, status: err.status, method: req.method, path: req.path }, 'request refused');
      res.status(err.status).json({ error: { code: err.code, message: err.message, requestId } });
      return;
    }
    // body-parser marks its own client errors (malformed JSON, too large) with a status
    const status = typeof err?.status === 'number' && err.status >= 400 && err.status < 500 ? err.status : 500;
    if (status < 500) {
      const message = err.type === 'entity.too.large' ? `The request body is larger than ${typeof err.limit === 'number' ? `${err.limit} bytes` : MAX_JSON_BYTES}.` : 'The request body is not valid JSON.';
      reqLog.debug({ status, method: req.method, path: req.path }, 'request refused');
      res.status(status).json({ error: { code: ErrorCode.BAD_REQUEST, message, requestId } });
      return;
    }
    reqLog.error({ err, method: req.method, path: req.path }, 'request failed');
    res.status(500).json({ error: { code: ErrorCode.INTERNAL, message: 'Something went wrong on the server; it has been logged.', requestId } });
  };
}
