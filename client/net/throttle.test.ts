import { describe, expect, it } from 'vitest';
import { throttle, type Clock } from './throttle';

function fakeClock() {
  let now = 0;
  const timers: Array<{ at: number; fn: () => void; id: number }> = [];
  let nextId = 1;
  const clock: Clock = {
    now: () => now,
    setTimeout: (fn, ms) => {
      const id = nextId++;
      timers.push({ at: now + ms, fn, id });
      return id;
    },
    clearTimeout: (id) => {
      const i = timers.findIndex((t) => t.id === id);
      if (i >= 0) timers.splice(i, 1);
    },
  };
  const advance = (ms: number) => {
    const end = now + ms;
    for (;;) {
      timers.sort((a, b) => a.at - b.at);
      const t = timers[0];
      if (!t || t.at > end) break;
      timers.shift();
      now = t.at;
      t.fn();
    }
    now = end;
  };
  return { clock, advance };
}

describe('throttle', () => {
  it('sends the first value at once and the last of a burst when the interval ends', () => {
    const { clock, advance } = fakeClock();
    const sent: number[] = [];
    const t = throttle<number>(50, (v) => sent.push(v), clock);
    t.push(1);
    t.push(2);
    t.push(3);
    expect(sent).toEqual([1]);
    advance(49);
    expect(sent).toEqual([1]);
    advance(1);
    expect(sent).toEqual([1, 3]);
  });

  it('sends at most once per interval under a steady stream', () => {
    const { clock, advance } = fakeClock();
    const sent: number[] = [];
    const t = throttle<number>(50, (v) => sent.push(v), clock);
    for (let i = 0; i < 100; i++) {
      t.push(i);
      advance(10);
    }
    advance(100);
    expect(sent.length).toBeGreaterThanOrEqual(19);
    expect(sent.length).toBeLessThanOrEqual(21);
    expect(sent.at(-1)).toBe(99);
  });

  it('flush sends the pending value now; cancel drops it', () => {
    const { clock, advance } = fakeClock();
    const sent: number[] = [];
    const t = throttle<number>(50, (v) => sent.push(v), clock);
    t.push(1);
    t.push(2);
    t.flush();
    expect(sent).toEqual([1, 2]);
    advance(10);
    t.push(3);
    t.cancel();
    advance(100);
    expect(sent).toEqual([1, 2]);
  });
});
