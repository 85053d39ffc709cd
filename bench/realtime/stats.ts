/**
 * The arithmetic of the realtime benchmark, kept pure so it is tested on its own: percentiles,
 * ratios, rates and CPU shares from /proc counters.
 */
import { percentile } from '../lib/percentile';

export interface Spread {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** p50/p95/p99/max of a set of samples; NaN everywhere when there are none. */
export function spread(samples: readonly number[]): Spread {
  if (samples.length === 0) return { count: 0, p50: NaN, p95: NaN, p99: NaN, max: NaN };
  const sorted = [...samples].sort((a, b) => a - b);
  // percentile sorts again; on sorted input that is cheap and keeps one definition of a percentile
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1]!,
  };
}

/** a / b, or NaN when b is zero or either is not a number (a ratio of nothing is not 0 or ∞). */
export function ratio(a: number, b: number): number {
  if (!Number.isFinite(a) || !Number.isFinite(b) || b === 0) return NaN;
  return a / b;
}

/**
 * Share of the poses an observer could have seen that it did see. A server that sends state on a
 * tick coalesces poses that arrive between two ticks, so at most `tickHz` of `sendHz` poses a second
 * can be seen; a relay forwards every one (`tickHz` = Infinity). Capped at 1.
 */
export function deliveryRatio(seen: number, sent: number, sendHz: number, tickHz: number): number {
  const possible = sent * Math.min(1, tickHz / sendHz);
  const r = ratio(seen, possible);
  return Number.isNaN(r) ? NaN : Math.min(1, r);
}

/** Per-second rate of a counter over a window in milliseconds. */
export function perSecond(count: number, windowMs: number): number {
  return ratio(count * 1000, windowMs);
}

export interface ProcSample {
  /** utime + stime in clock ticks. */
  ticks: number;
  /** Resident set size in bytes. */
  rssBytes: number;
  /** When it was read, in milliseconds. */
  atMs: number;
}

/**
 * Reads utime + stime and RSS from the text of /proc/<pid>/stat. The command name (field 2) may
 * hold spaces and parentheses, so fields are counted from the last ')'.
 */
export function parseProcStat(text: string, pageBytes = 4096): { ticks: number; rssPages: number; rssBytes: number } {
  const close = text.lastIndexOf(')');
  if (close < 0) throw new Error('not a /proc/<pid>/stat line');
  const fields = text.slice(close + 2).trim().split(/\s+/);
  // fields[0] is field 3 (state); utime is field 14, stime 15, rss 24
  const at = (n: number) => Number(fields[n - 3]);
  const rssPages = at(24);
  return { ticks: at(14) + at(15), rssPages, rssBytes: rssPages * pageBytes };
}

/** CPU used between two samples as a percentage of one core (200 = two cores busy). */
export function cpuPercent(before: ProcSample, after: ProcSample, ticksPerSecond = 100): number {
  const seconds = (after.atMs - before.atMs) / 1000;
  return ratio((after.ticks - before.ticks) / ticksPerSecond, seconds) * 100;
}
