/**
 * Rate limiting for outgoing intents: the first value goes out at once, later ones at most every
 * `intervalMs`, and the last value of a burst is never lost (it goes out when the interval ends),
 * so a dragged panel ends exactly where the pointer let go of it.
 */
export interface Throttled<T> {
  push(value: T): void;
  /** Sends a pending value now (e.g. right before a release). */
  flush(): void;
  /** Forgets a pending value without sending it. */
  cancel(): void;
}

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: Clock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export function throttle<T>(intervalMs: number, send: (value: T) => void, clock: Clock = realClock): Throttled<T> {
  let lastSent = -Infinity;
  let pending: { value: T } | null = null;
  let timer: unknown = null;

  const sendNow = (value: T) => {
    lastSent = clock.now();
    send(value);
  };
  const flush = () => {
    if (timer !== null) clock.clearTimeout(timer);
    timer = null;
    if (!pending) return;
    const { value } = pending;
    pending = null;
    sendNow(value);
  };

  return {
    push(value) {
      const wait = lastSent + intervalMs - clock.now();
      if (wait <= 0 && timer === null) return sendNow(value);
      pending = { value };
      if (timer === null) timer = clock.setTimeout(flush, Math.max(0, wait));
    },
    flush,
    cancel() {
      if (timer !== null) clock.clearTimeout(timer);
      timer = null;
      pending = null;
    },
  };
}
