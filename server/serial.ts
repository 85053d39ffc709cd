/**
 * Runs async work one piece at a time, in the order it was asked for; a failure is returned to
 * its caller and does not stop the work after it.
 */
export type Serial = <T>(work: () => Promise<T>) => Promise<T>;

/** One queue per key: work under one key runs as `serial()` does, different keys side by side. */
export interface KeyedSerial {
  run<T>(key: string, work: () => Promise<T>): Promise<T>;
  /** Keys with work queued or running; a key is forgotten once its queue is empty. */
  readonly busyKeys: number;
}

export function keyedSerial(): KeyedSerial {
  // the last piece of work queued under each key, settled either way, to chain the next one on
  const tails = new Map<string, Promise<void>>();
  return {
    run<T>(key: string, work: () => Promise<T>): Promise<T> {
      const result = (tails.get(key) ?? Promise.resolve()).then(work);
      const tail = result.then(
        () => undefined,
        () => undefined,
      );
      tails.set(key, tail);
      // keys are run ids, world ids and the like: an idle one must not be kept forever
      tail.then(
        () => {
          if (tails.get(key) === tail) tails.delete(key);
        },
        () => undefined,
      );
      return result;
    },
    get busyKeys() {
      return tails.size;
    },
  };
}

export function serial(): Serial {
  const queue = keyedSerial();
  return (work) => queue.run('', work);
}

/** Background work of which at most one run is under way: asking again meanwhile does nothing. */
export interface OneAtATime {
  /** Starts a run unless one is under way; its failure goes to `failed`, never to the caller. */
  start(): void;
  /** Settles when the run under way (if any) has. */
  settled(): Promise<void>;
}

export function oneAtATime(work: () => Promise<unknown>, failed: (err: unknown) => void): OneAtATime {
  let running: Promise<void> | null = null;
  return {
    start() {
      running ??= work()
        .then(() => undefined)
        .catch(failed)
        .finally(() => {
          running = null;
        });
    },
    settled: async () => {
      await running;
    },
  };
}
