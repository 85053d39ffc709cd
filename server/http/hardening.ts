/**
 * What every HTTP response gets before any route sees the request: security headers with a
 * Content-Security-Policy the app runs under, CORS closed unless origins are configured, and a
 * per-address rate limit on the REST API with the standard RateLimit headers. `finalErrors` is the
 * last handler: whatever escapes the routes is answered without a stack trace.
 */
import type { Application, ErrorRequestHandler, Request, RequestHandler } from 'express';
import { matchMaker } from '@colyseus/core';
import cors from 'cors';
import helmet from 'helmet';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { ErrorCode } from '../../shared/protocol';
import { LimiterName, memoryLimiters, type Limiters } from '../cluster/limiters';
import type { Logger } from '../log';
import { addressKey } from '../rooms/clientAddress';
import { REQUEST_ID_HEADER, requestIdOf, requestLog } from './requestContext';

export interface HardeningOptions {
  restRatePerMinute: number;
  corsOrigins: readonly string[];
  /** More origins pages may connect to: the EEG headband bridges an operator allows. */
  connectOrigins?: readonly string[];
  /** Where the per-address count is kept: this process's memory unless the site shares Redis. */
  limiters?: Limiters;
}

/**
 * The policy the client is built to run under: its own scripts (and WebAssembly, which pdf.js and
 * MediaPipe's camera models use), workers from its own origin, images and models from blob: URLs it
 * makes itself, and the realtime connection back to its own origin. Nothing from any other host:
 * connect-src is also what refuses the usage reports MediaPipe would post to a Google host.
 */
export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'", "'wasm-unsafe-eval'"],
  workerSrc: ["'self'", 'blob:'],
  imgSrc: ["'self'", 'blob:', 'data:'],
  mediaSrc: ["'self'", 'blob:', 'mediastream:'],
  connectSrc: ["'self'", 'blob:', 'data:'],
  // Babylon and the client set element styles from script, and Babylon injects a small stylesheet
  styleSrc: ["'self'", "'unsafe-inline'"],
  fontSrc: ["'self'", 'data:'],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'self'"],
  // the server is often reached over plain HTTP on a LAN; upgrading would break every asset
  upgradeInsecureRequests: null,
};

/**
 * Powerful features only this origin's own pages may use, never a page that frames them: the camera
 * (the camera source, opt-in per person), the microphone (voice, when the person presses Talk) and
 * WebXR. Location is used by nothing.
 */
export const PERMISSIONS_POLICY = 'camera=(self), microphone=(self), xr-spatial-tracking=(self), geolocation=()';

export function securityHeaders(connectOrigins: readonly string[] = []): RequestHandler {
  const directives = { ...CONTENT_SECURITY_POLICY, connectSrc: [...CONTENT_SECURITY_POLICY.connectSrc, ...connectOrigins] };
  const headers = helmet({
    contentSecurityPolicy: { useDefaults: false, directives },
    // HSTS would make a self-signed LAN certificate impossible to accept on a headset or phone
    strictTransportSecurity: false,
    crossOriginEmbedderPolicy: false,
  });
  return (req, res, next) => {
    res.setHeader('Permissions-Policy', PERMISSIONS_POLICY);
    headers(req, res, next);
  };
}

/** CORS on the REST API: only the configured origins (or any, for "*"); others get no CORS headers. */
export function restCors(origins: readonly string[]): RequestHandler {
  const any = origins.includes('*');
  return cors({
    origin: (origin, done) => done(null, any || (origin !== undefined && origins.includes(origin))),
    methods: ['GET', 'POST', 'PUT', 'DELETE'],
    allowedHeaders: ['content-type', 'authorization', 'x-api-key', REQUEST_ID_HEADER.toLowerCase()],
    exposedHeaders: ['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset', 'Retry-After', REQUEST_ID_HEADER],
    maxAge: 600,
  });
}

/**
 * The client's address as every per-address rule sees it: the socket's peer, or the address a
 * trusted reverse proxy forwarded (TRUST_PROXY), never a header the client wrote itself.
 */
export const clientIp = (req: Request): string => req.ip ?? 'unknown';

/** A fixed window per client address, with the IETF RateLimit headers and Retry-After on 429. */
export function restRateLimit(perMinute: number, limiters: Limiters = memoryLimiters): RequestHandler {
  return rateLimit(limiters, LimiterName.rest, perMinute, 'this address', (req) => addressKey(clientIp(req)));
}

/**
 * A fixed window per API key, on top of the one per address: a device bridge or script is held to
 * its own allowance wherever it calls from. Runs after the caller is known, so only real keys count.
 */
export function keyRateLimit(perMinute: number, limiters: Limiters = memoryLimiters): RequestHandler {
  return rateLimit(limiters, LimiterName.apiKey, perMinute, 'this API key', (_req, res) => {
    const caller = res.locals.auth as { kind: string; keyId?: string } | undefined;
    return caller?.kind === 'key' && caller.keyId ? caller.keyId : null;
  });
}

/** Counts requests by `keyOf` (null: not counted) in one-minute windows. */
function rateLimit(limiters: Limiters, name: LimiterName, perMinute: number, who: string, keyOf: (req: Parameters<RequestHandler>[0], res: Parameters<RequestHandler>[1]) => string | null): RequestHandler {
  const limiter = limiters({ name, points: perMinute, durationSeconds: 60 });
  const headers = (res: Parameters<RequestHandler>[1], r: RateLimiterRes) => {
    res.setHeader('RateLimit-Limit', String(perMinute));
    res.setHeader('RateLimit-Remaining', String(Math.max(0, r.remainingPoints)));
    res.setHeader('RateLimit-Reset', String(Math.ceil(r.msBeforeNext / 1000)));
  };
  return (req, res, next) => {
    const key = keyOf(req, res);
    if (key === null) return next();
    limiter.consume(key).then(
      (r) => {
        headers(res, r);
        next();
      },
      (r: unknown) => {
        if (!(r instanceof RateLimiterRes)) return next(r);
        headers(res, r);
        const seconds = Math.max(1, Math.ceil(r.msBeforeNext / 1000));
        res.setHeader('Retry-After', String(seconds));
        res.status(429).json({ error: { code: ErrorCode.RATE_LIMITED, message: `Too many requests from ${who}: at most ${perMinute} a minute. Try again in ${seconds} s.`, requestId: requestIdOf(res) } });
      },
    );
  };
}

/**
 * Colyseus answers every request, not only its matchmaking, with CORS headers that echo any origin
 * and allow credentials. Make it follow the same configured list as the REST API.
 */
function closeRealtimeCors(origins: readonly string[]): void {
  const any = origins.includes('*');
  // the type Colyseus declares insists on its own permissive values; the runtime takes any headers
  (matchMaker.controller as { DEFAULT_CORS_HEADERS: Record<string, string> }).DEFAULT_CORS_HEADERS = {
    'Access-Control-Allow-Headers': 'Origin, X-Requested-With, Content-Type, Accept, Authorization',
    'Access-Control-Allow-Methods': 'GET,HEAD,PUT,POST,DELETE',
    'Access-Control-Max-Age': '600',
    Vary: 'Origin',
  };
  matchMaker.controller.getCorsHeaders = (headers: Headers): Record<string, string> => {
    const origin = headers.get('origin');
    return origin && (any || origins.includes(origin)) ? { 'Access-Control-Allow-Origin': origin } : {};
  };
}

/** Installs headers on everything and CORS plus the rate limit on the REST API. */
export function harden(app: Application, opts: HardeningOptions): void {
  closeRealtimeCors(opts.corsOrigins);
  app.disable('x-powered-by');
  app.use(securityHeaders(opts.connectOrigins));
  app.use('/api', restCors(opts.corsOrigins), restRateLimit(opts.restRatePerMinute, opts.limiters));
}

/** The last error handler: a plain answer, the details in the log under the request's id, never a stack trace. */
export function finalErrors(log: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const status = typeof err?.status === 'number' && err.status >= 400 && err.status < 600 ? err.status : 500;
    if (status >= 500) requestLog(res, log).error({ err, method: req.method, path: req.path }, 'request failed');
    if (res.headersSent) return void res.end();
    const id = requestIdOf(res);
    const quote = id ? ` (request ${id})` : '';
    res.status(status).type('text/plain').send(status >= 500 ? `Something went wrong on the server; it has been logged${quote}.` : 'That request could not be served.');
  };
}
