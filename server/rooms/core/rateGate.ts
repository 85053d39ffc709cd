/**
 * Per-client rate gating: a token bucket each, a warning at most once a second to a client over
 * the rate, and the clients cut off (for flooding, or for a reason of the world's) that keep no seat.
 */
import { TokenBucket } from '../rateLimit';

/** What to do with one message: let it in, drop it (telling the sender or not), or cut the sender off. */
export type Gate = 'accept' | 'drop' | 'warn' | 'disconnect';

export class RateGate {
  private readonly buckets = new Map<string, TokenBucket>();
  /** When each client was last told it is over the rate, so it is told once a second, not per message. */
  private readonly warned = new Map<string, number>();
  /** Clients cut off: they do not get their seat held for a reconnection. */
  private readonly cut = new Set<string>();

  constructor(private readonly rate: number) {}

  take(clientId: string, now: number): Gate {
    let bucket = this.buckets.get(clientId);
    if (!bucket) {
      bucket = new TokenBucket({ rate: this.rate, burst: this.rate * 2, patienceMs: 3000 }, now);
      this.buckets.set(clientId, bucket);
    }
    const verdict = bucket.take(now);
    if (verdict === 'accept') return 'accept';
    if (verdict === 'disconnect') {
      this.buckets.delete(clientId);
      this.cut.add(clientId);
      return 'disconnect';
    }
    if (now - (this.warned.get(clientId) ?? 0) < 1000) return 'drop';
    this.warned.set(clientId, now);
    return 'warn';
  }

  cutOff(clientId: string): void {
    this.cut.add(clientId);
  }

  isCutOff(clientId: string): boolean {
    return this.cut.has(clientId);
  }

  forget(clientId: string): void {
    this.buckets.delete(clientId);
    this.warned.delete(clientId);
    this.cut.delete(clientId);
  }
}
