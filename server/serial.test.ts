import { describe, expect, it } from 'vitest';
import { keyedSerial, oneAtATime, serial } from './serial';

/** Work that logs when it starts and ends, and ends when the test says so. */
function gated(log: string[], name: string, fail = false) {
  let open!: () => void;
  const gate = new Promise<void>((r) => (open = r));
  const work = async () => {
    log.push(`start ${name}`);
    await gate;
    log.push(`end ${name}`);
    if (fail) throw new Error(name);
    return name;
  };
  return { work, open };
}

const turnsPass = () => new Promise((r) => setImmediate(r));

describe('serial', () => {
  it('runs work one at a time in order, and a failure does not stop what follows', async () => {
    const run = serial();
    const log: string[] = [];
    const step = (name: string, ms: number, fail = false) =>
      run(async () => {
        log.push(`start ${name}`);
        await new Promise((r) => setTimeout(r, ms));
        log.push(`end ${name}`);
        if (fail) throw new Error(name);
        return name;
      });
    const results = await Promise.allSettled([step('a', 20), step('b', 1, true), step('c', 1)]);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });
});

describe('keyedSerial', () => {
  it('runs the work of one key one piece at a time, in the order asked', async () => {
    const queue = keyedSerial();
    const log: string[] = [];
    const [a, b, c] = ['a', 'b', 'c'].map((n) => gated(log, n));
    const results = [a, b, c].map((g) => queue.run('run-1', g!.work));
    await turnsPass();
    expect(log).toEqual(['start a']);
    // the last one asked is let go first: it still waits its turn
    c!.open();
    b!.open();
    await turnsPass();
    expect(log).toEqual(['start a']);
    a!.open();
    expect(await Promise.all(results)).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('runs the work of different keys side by side', async () => {
    const queue = keyedSerial();
    const log: string[] = [];
    const one = gated(log, 'one');
    const two = gated(log, 'two');
    const results = [queue.run('run-1', one.work), queue.run('run-2', two.work)];
    await turnsPass();
    expect(log).toEqual(['start one', 'start two']);
    two.open();
    expect(await results[1]).toBe('two');
    expect(log).toEqual(['start one', 'start two', 'end two']);
    one.open();
    expect(await results[0]).toBe('one');
  });

  it('gives a failure to its caller only, and runs the next piece of that key', async () => {
    const queue = keyedSerial();
    const log: string[] = [];
    const failing = gated(log, 'failing', true);
    const next = gated(log, 'next');
    const results = Promise.allSettled([queue.run('run-1', failing.work), queue.run('run-1', next.work)]);
    failing.open();
    next.open();
    const [first, second] = await results;
    expect(first).toMatchObject({ status: 'rejected', reason: new Error('failing') });
    expect(second).toEqual({ status: 'fulfilled', value: 'next' });
    // a failure thrown before the work's first await counts the same
    await expect(queue.run('run-1', () => Promise.reject(new Error('at once')))).rejects.toThrow('at once');
    await expect(queue.run('run-1', async () => 'after')).resolves.toBe('after');
  });

  it('keeps nothing for a key once its queue is empty', async () => {
    const queue = keyedSerial();
    const log: string[] = [];
    const gates = Array.from({ length: 100 }, (_, i) => gated(log, String(i), i % 2 === 1));
    const results = Promise.allSettled(gates.map((g, i) => queue.run(`run-${i % 10}`, g.work)));
    await turnsPass();
    expect(queue.busyKeys).toBe(10);
    for (const g of gates) g.open();
    await results;
    await turnsPass();
    expect(queue.busyKeys).toBe(0);
    // a key used again after it was forgotten starts a fresh queue
    await expect(queue.run('run-3', async () => 'again')).resolves.toBe('again');
    await turnsPass();
    expect(queue.busyKeys).toBe(0);
  });
});

describe('oneAtATime', () => {
  it('starts no second run while one is under way, hands failures to its handler, and starts afresh once settled', async () => {
    const log: string[] = [];
    const failures: unknown[] = [];
    let gate = gated(log, 'first', true);
    const job = oneAtATime(() => gate.work(), (err) => failures.push(err));
    job.start();
    job.start();
    await turnsPass();
    expect(log).toEqual(['start first']);
    gate.open();
    await job.settled();
    expect(failures).toEqual([new Error('first')]);
    gate = gated(log, 'second');
    job.start();
    gate.open();
    await job.settled();
    expect(log).toEqual(['start first', 'end first', 'start second', 'end second']);
  });
});
