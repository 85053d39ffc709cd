/**
 * Accounts over REST: `/api/v3/auth` (sign-up, sign-in, refresh, sign-out, password, TOTP) and
 * `/api/v3/keys` (API keys), and the middleware that says who is calling. Roles are not enforced
 * here yet: a caller without credentials is a guest, but credentials that are presented must be good.
 */
import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import type { z } from 'zod';
import { ErrorCode } from '../../shared/protocol';
import type { AuthService, Caller, Origin } from '../auth/AuthService';
import { ChangePassword, ConfirmTotp, CreateKey, Refresh, SignIn, SignOut, SignUp, describe } from '../auth/inputs';
import { AppError } from '../errors';
import { RateLimiterMemory } from 'rate-limiter-flexible';

const origin = (req: Request): Origin => ({ ip: req.ip ?? req.socket.remoteAddress ?? 'unknown' });
const caller = (res: Response): Caller => (res.locals.auth as Caller | undefined) ?? { kind: 'guest' };

function parse<T extends z.ZodType>(schema: T, body: unknown, what: string): z.infer<T> {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) throw new AppError(ErrorCode.BAD_REQUEST, `Invalid ${what}: ${describe(parsed.error)}`);
  return parsed.data;
}

/**
 * Puts the caller in `res.locals.auth`: the account of a bearer access token, the owner and scopes
 * of an `x-api-key`, or a guest when neither is sent. A token or key that is sent and not good is
 * refused with 401 rather than quietly treated as a guest, so a client learns its sign-in lapsed.
 */
export function resolveCaller(auth: AuthService): RequestHandler {
  return async (req, res, next) => {
    const header = req.get('authorization');
    const key = req.get('x-api-key');
    if (header !== undefined && key !== undefined) throw new AppError(ErrorCode.BAD_REQUEST, 'Send either a bearer token or an API key, not both.');
    if (header !== undefined) {
      const m = /^Bearer +([^\s]{1,4096})$/i.exec(header);
      if (!m) throw new AppError(ErrorCode.UNAUTHORIZED, 'The Authorization header must be "Bearer <access token>".', 401);
      res.locals.auth = await auth.identify(m[1]!);
    } else if (key !== undefined) {
      res.locals.auth = await auth.identifyKey(key, origin(req));
    } else {
      res.locals.auth = { kind: 'guest' } satisfies Caller;
    }
    next();
  };
}

/** How many failed sign-ins one username may have from one address in a window. */
export interface SignInThrottle {
  failures: number;
  windowMs: number;
}

export function authRoutes(auth: AuthService, throttle: SignInThrottle = { failures: 5, windowMs: 15 * 60_000 }): Router {
  const r = express.Router();
  // per username and address, so guessing one account's password is slow while its owner, elsewhere, still gets in
  const failures = new RateLimiterMemory({ points: throttle.failures, duration: Math.ceil(throttle.windowMs / 1000) });
  // answers carry tokens: nothing on the way may keep a copy
  r.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  r.post('/signup', async (req, res) => {
    const input = parse(SignUp, req.body, 'sign-up');
    res.status(201).json(await auth.signUp(input.username, input.password, origin(req)));
  });
  r.post('/signin', async (req, res) => {
    const input = parse(SignIn, req.body, 'sign-in');
    const key = `${input.username.trim().toLowerCase()}|${origin(req).ip}`;
    const seen = await failures.get(key);
    if (seen && seen.consumedPoints >= throttle.failures) {
      const seconds = Math.max(1, Math.ceil(seen.msBeforeNext / 1000));
      res.setHeader('Retry-After', String(seconds));
      throw new AppError(ErrorCode.RATE_LIMITED, `Too many failed sign-ins for this username from this address; try again in ${seconds} s.`, 429);
    }
    try {
      const session = await auth.signIn(input.username, input.password, input.totp, origin(req));
      await failures.delete(key);
      res.json(session);
    } catch (err) {
      // asking for the authenticator code is not a failure; a wrong password or code is
      if (err instanceof AppError && err.code === ErrorCode.UNAUTHORIZED) await failures.penalty(key, 1);
      throw err;
    }
  });
  r.post('/refresh', async (req, res) => {
    const input = parse(Refresh, req.body, 'refresh');
    res.json(await auth.refresh(input.refreshToken, origin(req)));
  });
  r.post('/signout', async (req, res) => {
    const input = parse(SignOut, req.body, 'sign-out');
    await auth.signOut(caller(res), input.refreshToken, origin(req));
    res.status(204).end();
  });
  r.get('/me', async (_req, res) => {
    res.json(await auth.me(caller(res)));
  });
  r.post('/password', async (req, res) => {
    const input = parse(ChangePassword, req.body, 'password change');
    res.json(await auth.changePassword(caller(res), input.currentPassword, input.newPassword, origin(req)));
  });
  r.post('/totp/enrol', async (req, res) => {
    res.json(await auth.enrolTotp(caller(res), origin(req)));
  });
  r.post('/totp/confirm', async (req, res) => {
    const input = parse(ConfirmTotp, req.body, 'authenticator code');
    res.json({ user: await auth.confirmTotp(caller(res), input.code, origin(req)) });
  });
  return r;
}

export function keyRoutes(auth: AuthService): Router {
  const r = express.Router();
  r.post('/', async (req, res) => {
    const input = parse(CreateKey, req.body, 'API key');
    res.setHeader('Cache-Control', 'no-store');
    res.status(201).json(await auth.createKey(caller(res), input, origin(req)));
  });
  r.get('/', async (_req, res) => {
    res.json({ keys: await auth.listKeys(caller(res)) });
  });
  r.delete('/:id', async (req, res) => {
    await auth.revokeKey(caller(res), String(req.params.id).slice(0, 64), origin(req));
    res.status(204).end();
  });
  return r;
}
