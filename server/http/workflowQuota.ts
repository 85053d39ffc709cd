/**
 * How many workflow runs a caller may start over REST: per account (signed in, or through any of
 * its API keys, so making more keys gives no more runs) and, more strictly, per address for guests.
 * Guests may also be kept from workflows altogether, or from schedules, which go on starting runs
 * with nobody behind them (GUEST_WORKFLOWS). Runs started from inside a world count the same.
 */
import type { Request, Response } from 'express';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { ErrorCode } from '../../shared/protocol';
import type { Caller } from '../auth/AuthService';
import { LimiterName, memoryLimiters, type Limiters } from '../cluster/limiters';
import type { WorkflowLimits } from '../config';
import { AppError } from '../errors';
import { addressKey } from '../rooms/clientAddress';

export type QuotaSettings = Pick<WorkflowLimits, 'runsPerMinute' | 'guestRunsPerMinute' | 'guests'>;

/** Who starts runs, as the quota counts them: an account, or a guest at an address. */
export type QuotaCaller = { kind: 'account'; userId: string } | { kind: 'guest'; address: string };

export interface WorkflowQuota {
  /**
   * Counts `runs` new runs against `who`'s allowance, wherever they ask (REST or a world): 401 for a
   * guest where guests may not, 429 past it with `retryAfterSeconds` set.
   */
  charge(who: QuotaCaller, runs: number): Promise<void>;
  /** The same for a REST request, answering Retry-After when it refuses. */
  startRuns(req: Request, res: Response, runs: number): Promise<void>;
  /** Refuses a guest who may not set schedules; clearing one (null) is always allowed. */
  setSchedule(res: Response, schedule: unknown): void;
}

/** A refusal for asking too much too soon, saying when to ask again. */
export class QuotaExceeded extends AppError {
  constructor(
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(ErrorCode.RATE_LIMITED, message, 429);
  }
}

function guestRefused(what: string): AppError {
  return new AppError(ErrorCode.UNAUTHORIZED, `Sign in to ${what}: this server does not let guests do that.`, 401);
}

/** `limiters`: where runs are counted; this process's memory unless the site shares Redis. */
export function workflowQuota(s: QuotaSettings, limiters: Limiters = memoryLimiters): WorkflowQuota {
  const accounts = limiters({ name: LimiterName.accountRuns, points: s.runsPerMinute, durationSeconds: 60 });
  const guests = limiters({ name: LimiterName.guestRuns, points: s.guestRunsPerMinute, durationSeconds: 60 });
  const charge = async (caller: QuotaCaller, runs: number): Promise<void> => {
    const guest = caller.kind === 'guest';
    if (guest && s.guests === 'off') throw guestRefused('start workflow runs');
    const limiter = guest ? guests : accounts;
    const perMinute = guest ? s.guestRunsPerMinute : s.runsPerMinute;
    const who = guest ? 'this address' : 'this account';
    const key = caller.kind === 'guest' ? `ip:${addressKey(caller.address)}` : `user:${caller.userId}`;
    if (runs > perMinute) throw new QuotaExceeded(`This request would start ${runs} runs; ${who} may start at most ${perMinute} a minute. Start fewer at a time.`);
    try {
      await limiter.consume(key, runs);
    } catch (err) {
      if (!(err instanceof RateLimiterRes)) throw err;
      // a request that does not fit starts nothing, so it uses none of the allowance
      await limiter.reward(key, runs);
      const seconds = Math.max(1, Math.ceil(err.msBeforeNext / 1000));
      throw new QuotaExceeded(`Too many workflow runs started from ${who}: at most ${perMinute} a minute. Try again in ${seconds} s.`, seconds);
    }
  };
  return {
    charge,
    async startRuns(req, res, runs) {
      const caller = res.locals.auth as Caller | undefined;
      const who: QuotaCaller = !caller || caller.kind === 'guest' ? { kind: 'guest', address: req.ip ?? req.socket.remoteAddress ?? 'unknown' } : { kind: 'account', userId: caller.userId };
      try {
        await charge(who, runs);
      } catch (err) {
        if (err instanceof QuotaExceeded && err.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(err.retryAfterSeconds));
        throw err;
      }
    },
    setSchedule(res, schedule) {
      const caller = res.locals.auth as Caller | undefined;
      if (schedule !== null && (!caller || caller.kind === 'guest') && s.guests !== 'all') throw guestRefused('schedule workflow runs');
    },
  };
}
