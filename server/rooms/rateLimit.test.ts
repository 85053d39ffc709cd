import { describe, expect, it } from 'vitest';
import { TokenBucket } from './rateLimit';

const opts = { rate: 10, burst: 5, patienceMs: 1000 };

describe('per-client rate limit', () => {
  it('lets a burst through, then drops what exceeds the rate', () => {
    const b = new TokenBucket(opts, 0);
    const verdicts = Array.from({ length: 7 }, () => b.take(0));
    expect(verdicts).toEqual(['accept', 'accept', 'accept', 'accept', 'accept', 'drop', 'drop']);
  });

  it('refills at the rate, so a client sending at the rate is never dropped', () => {
    const b = new TokenBucket(opts, 0);
    for (let t = 0; t < 10_000; t += 100) expect(b.take(t)).toBe('accept');
  });

  it('disconnects a client that keeps flooding past its patience, and forgives one that stops', () => {
    const flooder = new TokenBucket(opts, 0);
    let verdict = 'accept';
    let t = 0;
    for (; t < 2000 && verdict !== 'disconnect'; t += 5) verdict = flooder.take(t);
    expect(verdict).toBe('disconnect');
    expect(t).toBeGreaterThan(1000);

    const burst = new TokenBucket(opts, 0);
    for (let i = 0; i < 20; i++) burst.take(0);
    expect(burst.take(500)).toBe('accept'); // half a second of quiet refills the bucket
    for (let t2 = 600; t2 < 3000; t2 += 100) expect(burst.take(t2)).toBe('accept');
  });
});
