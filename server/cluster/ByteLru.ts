/**
 * A least-recently-used map of strings held to a number of entries and a number of bytes, whichever
 * fills first: a few huge values cannot take the memory that many small ones were given.
 */
export class ByteLru {
  // a Map iterates in insertion order: re-inserting on use keeps the least recent first
  private readonly entries = new Map<string, { value: string; bytes: number }>();
  private held = 0;

  constructor(
    readonly maxEntries: number,
    readonly maxBytes: number,
  ) {
    if (!(maxEntries >= 1 && maxBytes >= 1)) throw new RangeError(`An LRU needs room for at least one entry and one byte (given ${maxEntries} entries, ${maxBytes} bytes).`);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Bytes held, counted as the UTF-8 length of the values. */
  get bytes(): number {
    return this.held;
  }

  /** The value, marking it the most recently used. */
  get(key: string): string | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  /**
   * Keeps the value as the most recently used, evicting the least recently used until both bounds
   * hold. A value larger than the whole byte bound is not kept (false), and any older value of that
   * key goes, so a read never returns what was replaced.
   */
  set(key: string, value: string): boolean {
    this.delete(key);
    const bytes = Buffer.byteLength(value, 'utf8');
    if (bytes > this.maxBytes) return false;
    this.entries.set(key, { value, bytes });
    this.held += bytes;
    for (const [oldest, entry] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.held <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.held -= entry.bytes;
    }
    return true;
  }

  delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.held -= entry.bytes;
  }

  /** Keys from least to most recently used. */
  keys(): string[] {
    return [...this.entries.keys()];
  }
}
