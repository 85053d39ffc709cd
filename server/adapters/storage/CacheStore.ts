/**
 * Results worth keeping so that the same work is not paid for twice (AI answers), by a key that
 * names everything the result depends on. A value is JSON; putting a key again replaces it.
 */
export interface CacheStore {
  get(key: string): Promise<unknown | undefined>;
  put(key: string, value: unknown): Promise<void>;
}
