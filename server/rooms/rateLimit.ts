/**
 * A token bucket per client: a steady rate with room for short bursts. A client over the rate has
 * its messages dropped; one that keeps flooding for `patienceMs` is disconnected, so it cannot
 * slow the room down for everyone else.
 */
export interface RateLimitOptions {
  /** Messages per second a client may send on average. */
  rate: number;
  /** Messages a client may send at once after a quiet spell. */
  burst: number;
  /** How long a client may stay over the rate before it is disconnected. */
  patienceMs: number;
}

export type Verdict = 'accept' | 'drop' | 'disconnect';

export class TokenBucket {
  private tokens: number;
  private last: number;
  /** When the client first went over the rate in its current flood, or null when it is within. */
  private floodingSince: number | null = null;

  constructor(
    private readonly o: RateLimitOptions,
    now: number,
  ) {
    this.tokens = o.burst;
    this.last = now;
  }

  take(now: number): Verdict {
    this.tokens = Math.min(this.o.burst, this.tokens + ((now - this.last) / 1000) * this.o.rate);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      // back under the rate with some room to spare: the flood is over
      if (this.tokens >= this.o.burst / 2) this.floodingSince = null;
      return 'accept';
    }
    this.floodingSince ??= now;
    return now - this.floodingSince >= this.o.patienceMs ? 'disconnect' : 'drop';
  }
}
