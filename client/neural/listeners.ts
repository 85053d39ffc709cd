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
