/**
 * Every REST request gets an id: the caller's `X-Request-Id` when it is a plain token (a proxy's or
 * a client's, so one id follows the request through both logs), else a fresh one. It is sent back
 * in the `X-Request-Id` header and in error bodies, so a user can quote it, and every log line about
 * the request carries it as `reqId` (with `traceId` when tracing is on). With tracing on, each
 * request is a span named by its method and route pattern.
 */
import { randomUUID } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import type { Span } from '@opentelemetry/api';
import { ATTR_HTTP_REQUEST_METHOD, ATTR_HTTP_RESPONSE_STATUS_CODE, ATTR_HTTP_ROUTE } from '@opentelemetry/semantic-conventions';
import type { Logger } from '../log';
import { REQUEST_ID_ATTRIBUTE, failed, traceIdOf, type Tracing } from '../tracing/Tracing';
import { routePattern } from './routes';

export const REQUEST_ID_HEADER = 'X-Request-Id';

/** Letters, digits and `._:-`, 1 to 64 of them: what a UUID, a ULID or a proxy's id looks like, and nothing that could forge a log line. */
const SANE_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** The caller's request id when it is sane, else a new one. */
export function requestIdFrom(given: unknown): string {
  return typeof given === 'string' && SANE_ID.test(given) ? given : randomUUID();
}

interface RequestLocals {
  requestId?: string;
  traceId?: string;
}

/** The request's id, once `requestContext` has run (undefined outside /api). */
export function requestIdOf(res: Response): string | undefined {
  return (res.locals as RequestLocals).requestId;
}

/**
 * `log` with the request's id (and trace id) on every line. Made when something is logged, not for
 * every request: most requests log nothing.
 */
export function requestLog(res: Response, log: Logger): Logger {
  const { requestId, traceId } = res.locals as RequestLocals;
  if (!requestId) return log;
  return log.child(traceId ? { reqId: requestId, traceId } : { reqId: requestId });
}

/** Gives the request its id, and with tracing on its span, current while the routes run. */
export function requestContext(tracing: Tracing): RequestHandler {
  return (req, res, next) => {
    const requestId = requestIdFrom(req.headers['x-request-id']);
    res.setHeader(REQUEST_ID_HEADER, requestId);
    const locals = res.locals as RequestLocals;
    locals.requestId = requestId;
    if (!tracing.on) return next();
    const span = tracing.startRequest(req.method, req.headers, { [ATTR_HTTP_REQUEST_METHOD]: req.method, [REQUEST_ID_ATTRIBUTE]: requestId });
    const traceId = traceIdOf(span);
    if (traceId) locals.traceId = traceId;
    res.once('close', () => endRequestSpan(span, req, res));
    tracing.within(span, next);
  };
}

function endRequestSpan(span: Span, req: Request, res: Response): void {
  const route = routePattern(req, res.locals);
  if (route) {
    span.updateName(`${req.method} ${route}`);
    span.setAttribute(ATTR_HTTP_ROUTE, route);
  }
  span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, res.statusCode);
  // a response cut off before its end failed whatever its status said
  if (!res.writableFinished) failed(span, 'aborted');
  else if (res.statusCode >= 500) failed(span, String(res.statusCode));
  span.end();
}
