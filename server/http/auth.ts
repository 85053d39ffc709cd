/**
 * Accounts over REST: `/api/v3/auth` (sign-up, sign-in, refresh, sign-out, password, TOTP) and
 * `/api/v3/keys` (API keys), and the middleware that says who is calling. Roles are not enforced
 * here yet: a caller without credentials is a guest, but credentials that are presented must be good.
 */
import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import type { z } from 'zod';
import { AvatarLook, ErrorCode } from '../../shared/protocol';
import type { AuthService, Caller, Origin } from '../auth/AuthService';
import { ChangePassword, ConfirmTotp, CreateKey, Refresh, SignIn, SignOut, SignUp, describe } from '../auth/inputs';
import { AppError } from '../errors';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { LimiterName, memoryLimiters, type Limiters } from '../cluster/limiters';
import { clientIp } from './hardening';

const origin = (req: Request): Origin => ({ ip: clientIp(req) });
const caller = (res: Response): Caller => (res.locals.auth as Caller | undefined) ?? { kind: 'guest' };

function parse<T extends z.ZodType>(schema: T, body: unknown, what: string): z.infer<T> {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) throw new AppError(ErrorCode.BAD_REQUEST, `Invalid ${what}: ${describe(parsed.error)}`);
  return parsed.data;
}

/**
 * Puts the caller in `res.locals.auth`: the account of a bearer access token, the owner and scopes
 * of an API key (`x-api-key`, or as the bearer token), or a guest when neither is sent. A token or key that is sent and not good is
 * refused with 401 rather than quietly treated as a guest, so a client learns its sign-in lapsed.
 */
export function resolveCaller(auth: AuthService): RequestHandler {
  return async (req, res, next) => {
    const header = req.get('authorization');
    const key = req.get('x-api-key');
    if (header !== undefined && key !== undefined) throw new AppError(ErrorCode.BAD_REQUEST, 'Send either a bearer token or an API key, not both.');
    if (header !== undefined) {
      const m = /^Bearer +([^\s]{1,4096})$/i.exec(header);
      if (!m) throw new AppError(ErrorCode.UNAUTHORIZED, 'The Authorization header must be "Bearer <access token>" (or "Bearer <API key>").', 401);
      // an API key as a bearer token, as Prometheus and most scrapers send one; it is still a key, with its scopes
      res.locals.auth = m[1]!.startsWith('dwc_') ? await auth.identifyKey(m[1]!, origin(req)) : await auth.identify(m[1]!);
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

/**
 * Counts password guesses per account and address. An attempt takes its place before the password is
 * checked, so a burst of guesses sent at once is held to the same number as guesses sent one by one;
 * a right password clears the count, and an attempt that was not a wrong guess gives its place back.
 */
function guessLimiter(throttle: SignInThrottle, limiters: Limiters) {
  const limiter = limiters({ name: LimiterName.signIn, points: throttle.failures, durationSeconds: Math.ceil(throttle.windowMs / 1000) });
  return async <T>(key: string, res: Response, what: string, check: () => Promise<T>): Promise<T> => {
    try {
      await limiter.consume(key);
    } catch (r) {
      if (!(r instanceof RateLimiterRes)) throw r;
      const seconds = Math.max(1, Math.ceil(r.msBeforeNext / 1000));
      res.setHeader('Retry-After', String(seconds));
      throw new AppError(ErrorCode.RATE_LIMITED, `Too many failed ${what} for this account from this address; try again in ${seconds} s.`, 429);
    }
    try {
      const out = await check();
      await limiter.delete(key);
      return out;
    } catch (err) {
      // asking for the authenticator code is not a wrong guess; a wrong password or code is
      if (!(err instanceof AppError && err.code === ErrorCode.UNAUTHORIZED)) await limiter.reward(key, 1);
      throw err;
    }
  };
}

/** `limiters`: where guesses are counted; this process's memory unless the site shares Redis. */
export function authRoutes(auth: AuthService, throttle: SignInThrottle = { failures: 5, windowMs: 15 * 60_000 }, limiters: Limiters = memoryLimiters): Router {
  const r = express.Router({ caseSensitive: true });
  // per username and address, so guessing one account's password is slow while its owner, elsewhere,
  // still gets in; signing in and changing the password draw on the same count
  const guess = guessLimiter(throttle, limiters);
  const guessKey = (username: string, req: Request) => `${username.trim().toLowerCase()}|${origin(req).ip}`;
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
    res.json(await guess(guessKey(input.username, req), res, 'sign-ins', () => auth.signIn(input.username, input.password, input.totp, origin(req))));
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
    const who = caller(res);
    const change = () => auth.changePassword(who, input.currentPassword, input.newPassword, origin(req));
    // only a signed-in account has a current password to guess; anyone else is refused unchecked
    res.json(who.kind === 'user' ? await guess(guessKey(who.username, req), res, 'password checks', change) : await change());
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

/**
 * `/api/v3/account`: what a signed-in person keeps with their account besides the sign-in itself,
 * today their look. Guests keep theirs in the browser; this answers them 401.
 */
export function accountRoutes(auth: AuthService): Router {
  const r = express.Router({ caseSensitive: true });
  // a look is personal: no shared cache may hand one account's look to another caller
  r.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'private, no-store');
    next();
  });
  // asked before the body is read, so a guest learns to sign in rather than how to fix the look
  r.use((_req, res, next) => {
    if (caller(res).kind !== 'user') throw new AppError(ErrorCode.UNAUTHORIZED, 'Sign in to keep a look with your account; as a guest it is kept in this browser.', 401);
    next();
  });
  r.get('/look', async (_req, res) => {
    res.json({ look: await auth.look(caller(res)) });
  });
  r.put('/look', async (req, res) => {
    const look = parse(AvatarLook, (req.body as { look?: unknown } | undefined)?.look, 'look');
    res.json({ look: await auth.setLook(caller(res), look) });
  });
  return r;
}

export function keyRoutes(auth: AuthService): Router {
  const r = express.Router({ caseSensitive: true });
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
