/**
 * What a closed world connection means for the person, and how to get back in when it was not
 * meant for them: a server restart, a laptop waking after its seat was given up, a network that
 * came back. Only the server's own close codes (WorldClose) send someone away for good.
 */
import { WorldClose } from '../../shared/protocol';
import type { JoinError } from './session';

/** Longest wait between two rejoin attempts. */
export const MAX_REJOIN_DELAY_MS = 30_000;

export type ConnectionEnd =
  /** Sent away on purpose: show the reason, do not come back by yourself. */
  | { kind: 'final'; message: string }
  /** The connection failed or the server went away: join again until it works. */
  | { kind: 'rejoin' };

const FINAL_MESSAGES: Record<WorldClose, string> = {
  [WorldClose.REMOVED]: 'The owner removed you from this world.',
  [WorldClose.SIGNED_OUT]: 'Your sign-in has ended; sign in again to rejoin.',
  [WorldClose.FLOODING]: 'This page sent too many messages and was disconnected. Join again from the lobby.',
};

/** Classifies a room's close code; every code but ours (shutdown, failed reconnection …) rejoins. */
export function connectionEnd(code: number, reason?: string): ConnectionEnd {
  const message = FINAL_MESSAGES[code as WorldClose];
  return message === undefined ? { kind: 'rejoin' } : { kind: 'final', message: reason || message };
}

/** Join refusals that trying again will not change; everything else (no server yet, full) retries. */
const FINAL_REFUSALS = new Set(['WORLD_NOT_FOUND', 'FORBIDDEN', 'UNAUTHORIZED', 'PROTOCOL_MISMATCH', 'INVALID_JOIN']);

export function isFinalRefusal(err: JoinError): boolean {
  return FINAL_REFUSALS.has(err.code);
}

/**
 * Wait before rejoin attempt `attempt` (1-based): 1, 2, 4, 8 … seconds up to 30, each within ±20 %
 * so that every tab of a restarted server does not knock at the same instant.
 */
export function rejoinDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(MAX_REJOIN_DELAY_MS, 1000 * 2 ** Math.max(0, attempt - 1));
  return Math.min(MAX_REJOIN_DELAY_MS, Math.round(base * (0.8 + 0.4 * random())));
}

export interface KeepTryingOptions<T> {
  attempt(): Promise<T>;
  /** True when an error means giving up (it is then thrown). */
  isFinal(err: unknown): boolean;
  /** Checked before each attempt and after each wait: true stops quietly with null. */
  cancelled(): boolean;
  delay?(attempt: number): number;
  wait?(ms: number): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs `attempt` until it succeeds (its result), is cancelled (null) or fails for good (throws). */
export async function keepTrying<T>(opts: KeepTryingOptions<T>): Promise<T | null> {
  const delay = opts.delay ?? rejoinDelay;
  const wait = opts.wait ?? sleep;
  for (let n = 1; ; n++) {
    await wait(delay(n));
    if (opts.cancelled()) return null;
    try {
      return await opts.attempt();
    } catch (err) {
      if (opts.isFinal(err)) throw err;
    }
  }
}
