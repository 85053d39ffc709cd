/** Accounts, sessions and API keys in MongoDB; unique indexes and conditional updates do the compare-and-set. */
import { MongoServerError, type Collection, type Db } from 'mongodb';
import type { AvatarLook } from '../../../shared/protocol';
import type { ApiKeyRecord, AuthStore, RefreshRecord, SessionFamily, UserRecord } from './AuthStore';

type Doc<T, K extends keyof T> = Omit<T, K> & { _id: T[K] };
const DUPLICATE_KEY = 11000;
const DURABLE = { writeConcern: { w: 'majority' as const, j: true } };

function out<T>(doc: (Record<string, unknown> & { _id: unknown }) | null, idField: string): T | undefined {
  if (!doc) return undefined;
  const { _id, ...rest } = doc;
  return { [idField]: _id, ...rest } as T;
}

export class MongoAuthStore implements AuthStore {
  private users!: Collection<Doc<UserRecord, 'id'>>;
  private families!: Collection<Doc<SessionFamily, 'id'>>;
  private refresh!: Collection<Doc<RefreshRecord, 'hash'>>;
  private keys!: Collection<Doc<ApiKeyRecord, 'id'>>;
  private looks!: Collection<{ _id: string; look: AvatarLook }>;

  constructor(private readonly db: () => Db) {}

  async open(): Promise<void> {
    const db = this.db();
    this.users = db.collection('auth_users');
    this.families = db.collection('auth_sessions');
    this.refresh = db.collection('auth_refresh');
    this.keys = db.collection('auth_keys');
    this.looks = db.collection('auth_looks');
    await Promise.all([
      this.users.createIndex({ username: 1 }, { unique: true }),
      this.families.createIndex({ userId: 1 }),
      this.keys.createIndex({ userId: 1 }),
    ]);
  }

  async createUser({ id, ...rest }: UserRecord): Promise<boolean> {
    try {
      await this.users.insertOne({ _id: id, ...rest }, DURABLE);
      return true;
    } catch (err) {
      if (err instanceof MongoServerError && err.code === DUPLICATE_KEY) return false;
      throw err;
    }
  }

  async getUser(id: string): Promise<UserRecord | undefined> {
    return out(await this.users.findOne({ _id: id }), 'id');
  }

  async findUser(username: string): Promise<UserRecord | undefined> {
    return out(await this.users.findOne({ username }), 'id');
  }

  async updateUser({ id, ...rest }: UserRecord): Promise<void> {
    await this.users.replaceOne({ _id: id }, rest, DURABLE);
  }

  async putFamily({ id, ...rest }: SessionFamily): Promise<void> {
    await this.families.replaceOne({ _id: id }, rest, { upsert: true, ...DURABLE });
  }

  async getFamily(userId: string, familyId: string): Promise<SessionFamily | undefined> {
    return out(await this.families.findOne({ _id: familyId, userId }), 'id');
  }

  async listFamilies(userId: string): Promise<SessionFamily[]> {
    const found = await this.families.find({ userId }).toArray();
    return found.map((f) => out<SessionFamily>(f, 'id')!);
  }

  async putRefresh({ hash, ...rest }: RefreshRecord): Promise<void> {
    await this.refresh.replaceOne({ _id: hash }, rest, { upsert: true, ...DURABLE });
  }

  async getRefresh(hash: string): Promise<RefreshRecord | undefined> {
    return out(await this.refresh.findOne({ _id: hash }), 'hash');
  }

  async useRefresh(hash: string, at: string): Promise<boolean> {
    const r = await this.refresh.updateOne({ _id: hash, usedAt: { $exists: false } }, { $set: { usedAt: at } }, DURABLE);
    return r.modifiedCount === 1;
  }

  async putKey({ id, ...rest }: ApiKeyRecord): Promise<void> {
    await this.keys.replaceOne({ _id: id }, rest, { upsert: true, ...DURABLE });
  }

  async getKey(id: string): Promise<ApiKeyRecord | undefined> {
    return out(await this.keys.findOne({ _id: id }), 'id');
  }

  async markKey(id: string, field: 'lastUsedAt' | 'revokedAt', at: string): Promise<void> {
    await this.keys.updateOne({ _id: id }, { $set: { [field]: at } }, DURABLE);
  }

  async listKeys(userId: string): Promise<ApiKeyRecord[]> {
    const found = await this.keys.find({ userId }).toArray();
    return found.map((k) => out<ApiKeyRecord>(k, 'id')!);
  }

  async getLook(userId: string): Promise<AvatarLook | undefined> {
    return (await this.looks.findOne({ _id: userId }))?.look;
  }

  async putLook(userId: string, look: AvatarLook): Promise<void> {
    await this.looks.replaceOne({ _id: userId }, { look }, { upsert: true, ...DURABLE });
  }
}
