/**
 * Who wants to hear of a value: `add` returns the function that takes the listener away again, and
 * `emit` calls every listener. One that throws is reported (as an uncaught error, on its own turn)
 * without stopping the source that emits or the other listeners.
 */
export class Listeners<T> {
  private readonly set = new Set<(value: T) => void>();

  add(listener: (value: T) => void): () => void {
    this.set.add(listener);
    return () => this.set.delete(listener);
  }

  /** How many listen now. */
  get size(): number {
    return this.set.size;
  }

  /** Takes every listener away. */
  clear(): void {
    this.set.clear();
  }

  emit(value: T): void {
    for (const listener of this.set) {
      try {
        listener(value);
      } catch (err) {
        setTimeout(() => {
          throw err;
        });
      }
    }
  }
}

/**
 * What something registered elsewhere (a frame callback, a timer, a socket, a media track) and must
 * take back: `add` keeps the function that releases it and returns that function, made safe to call
 * twice; `releaseAll` releases whatever is still held, newest first.
 */
export class Disposables {
  private readonly held = new Set<() => void>();

  add(release: () => void): () => void {
    const once = () => {
      if (this.held.delete(once)) release();
    };
    this.held.add(once);
    return once;
  }

  get size(): number {
    return this.held.size;
  }

  releaseAll(): void {
    for (const release of [...this.held].reverse()) release();
  }
}
