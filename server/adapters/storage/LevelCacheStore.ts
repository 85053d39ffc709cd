/** Cached results in the embedded LevelDB, beside worlds and workflows, under their own key prefix. */
import type { ClassicLevel } from 'classic-level';
import type { CacheStore } from './CacheStore';

const cacheKey = (key: string) => `cache\x00${key}`;

export class LevelCacheStore implements CacheStore {
  constructor(private readonly db: ClassicLevel<string, unknown>) {}

  async get(key: string): Promise<unknown | undefined> {
    const entry = (await this.db.get(cacheKey(key))) as { value: unknown } | undefined;
    return entry?.value;
  }

  async put(key: string, value: unknown): Promise<void> {
    // not synced: a cache entry lost in a crash only costs one more call
    await this.db.put(cacheKey(key), { value, at: Date.now() });
  }
}
