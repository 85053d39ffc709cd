/**
 * How many workflow runs a caller may start over REST: per account (signed in, or through any of
 * its API keys, so making more keys gives no more runs) and, more strictly, per address for guests.
 * Guests may also be kept from workflows altogether, or from schedules, which go on starting runs
 * with nobody behind them (GUEST_WORKFLOWS).
 */
import type { Request, Response } from 'express';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { ErrorCode } from '../../shared/protocol';
import type { Caller } from '../auth/AuthService';
import type { WorkflowLimits } from '../config';
import { AppError } from '../errors';

export type QuotaSettings = Pick<WorkflowLimits, 'runsPerMinute' | 'guestRunsPerMinute' | 'guests'>;

export interface WorkflowQuota {
  /** Counts `runs` new runs against the caller's allowance; 401 for a guest where guests may not, 429 past it. */
  startRuns(req: Request, res: Response, runs: number): Promise<void>;
  /** Refuses a guest who may not set schedules; clearing one (null) is always allowed. */
  setSchedule(res: Response, schedule: unknown): void;
}

function guestRefused(what: string): AppError {
  return new AppError(ErrorCode.UNAUTHORIZED, `Sign in to ${what}: this server does not let guests do that.`, 401);
}

export function workflowQuota(s: QuotaSettings): WorkflowQuota {
  const accounts = new RateLimiterMemory({ points: s.runsPerMinute, duration: 60 });
  const guests = new RateLimiterMemory({ points: s.guestRunsPerMinute, duration: 60 });
  return {
    async startRuns(req, res, runs) {
      const caller = res.locals.auth as Caller | undefined;
      const guest = !caller || caller.kind === 'guest';
      if (guest && s.guests === 'off') throw guestRefused('start workflow runs');
      const limiter = guest ? guests : accounts;
      const perMinute = guest ? s.guestRunsPerMinute : s.runsPerMinute;
      const who = guest ? 'this address' : 'this account';
      const key = guest ? `ip:${req.ip ?? req.socket.remoteAddress ?? 'unknown'}` : `user:${caller.userId}`;
      if (runs > perMinute) {
        throw new AppError(ErrorCode.RATE_LIMITED, `This request would start ${runs} runs; ${who} may start at most ${perMinute} a minute. Start fewer at a time.`, 429);
      }
      try {
        await limiter.consume(key, runs);
      } catch (err) {
        if (!(err instanceof RateLimiterRes)) throw err;
        // a request that does not fit starts nothing, so it uses none of the allowance
        await limiter.reward(key, runs);
        const seconds = Math.max(1, Math.ceil(err.msBeforeNext / 1000));
        res.setHeader('Retry-After', String(seconds));
        throw new AppError(ErrorCode.RATE_LIMITED, `Too many workflow runs started from ${who}: at most ${perMinute} a minute. Try again in ${seconds} s.`, 429);
      }
    },
    setSchedule(res, schedule) {
      const caller = res.locals.auth as Caller | undefined;
      if (schedule !== null && (!caller || caller.kind === 'guest') && s.guests !== 'all') throw guestRefused('schedule workflow runs');
    },
  };
}
