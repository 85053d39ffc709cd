/** Cached results in MongoDB, one document per key. */
import type { Collection, Db } from 'mongodb';
import type { CacheStore } from './CacheStore';

interface Entry {
  _id: string;
  value: unknown;
  at: Date;
}

export class MongoCacheStore implements CacheStore {
  private entries!: Collection<Entry>;

  constructor(private readonly db: () => Db) {}

  async open(): Promise<void> {
    this.entries = this.db().collection<Entry>('cache');
  }

  async get(key: string): Promise<unknown | undefined> {
    return (await this.entries.findOne({ _id: key }))?.value;
  }

  async put(key: string, value: unknown): Promise<void> {
    await this.entries.replaceOne({ _id: key }, { value, at: new Date() }, { upsert: true });
  }
}
