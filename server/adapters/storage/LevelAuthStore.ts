/**
 * Accounts, sessions and API keys in the embedded LevelDB. The server is one process, so the two
 * compare-and-set writes (a new username, a used refresh token) are made safe by running them one
 * at a time; each is one synced write or batch.
 */
import type { ClassicLevel } from 'classic-level';
import type { AvatarLook } from '../../../shared/protocol';
import { serial } from '../../serial';
import type { ApiKeyRecord, AuthStore, RefreshRecord, SessionFamily, UserRecord } from './AuthStore';

const SEP = '\x00';
const userKey = (id: string) => `authuser${SEP}${id}`;
const nameKey = (username: string) => `authname${SEP}${username}`;
const familyPrefix = (userId: string) => `authfam${SEP}${userId}${SEP}`;
const refreshKey = (hash: string) => `authrt${SEP}${hash}`;
const keyKey = (id: string) => `authkey${SEP}${id}`;
/** user → their keys, so listing never scans everyone's */
const userKeyPrefix = (userId: string) => `authukey${SEP}${userId}${SEP}`;
/** user → the look they chose */
const lookKey = (userId: string) => `authlook${SEP}${userId}`;
const range = (prefix: string) => ({ gt: prefix, lt: `${prefix}\xff` });
const SYNC = { sync: true } as const;

export class LevelAuthStore implements AuthStore {
  private readonly oneAtATime = serial();

  constructor(private readonly db: ClassicLevel<string, unknown>) {}

  createUser(user: UserRecord): Promise<boolean> {
    return this.oneAtATime(async () => {
      if ((await this.db.get(nameKey(user.username))) !== undefined) return false;
      await this.db.batch().put(userKey(user.id), user).put(nameKey(user.username), user.id).write(SYNC);
      return true;
    });
  }

  async getUser(id: string): Promise<UserRecord | undefined> {
    return (await this.db.get(userKey(id))) as UserRecord | undefined;
  }

  async findUser(username: string): Promise<UserRecord | undefined> {
    const id = (await this.db.get(nameKey(username))) as string | undefined;
    return id === undefined ? undefined : this.getUser(id);
  }

  async updateUser(user: UserRecord): Promise<void> {
    await this.db.put(userKey(user.id), user, SYNC);
  }

  async putFamily(family: SessionFamily): Promise<void> {
    await this.db.put(familyPrefix(family.userId) + family.id, family, SYNC);
  }

  async getFamily(userId: string, familyId: string): Promise<SessionFamily | undefined> {
    return (await this.db.get(familyPrefix(userId) + familyId)) as SessionFamily | undefined;
  }

  async listFamilies(userId: string): Promise<SessionFamily[]> {
    return (await this.db.values(range(familyPrefix(userId))).all()) as SessionFamily[];
  }

  async putRefresh(token: RefreshRecord): Promise<void> {
    await this.db.put(refreshKey(token.hash), token, SYNC);
  }

  async getRefresh(hash: string): Promise<RefreshRecord | undefined> {
    return (await this.db.get(refreshKey(hash))) as RefreshRecord | undefined;
  }

  useRefresh(hash: string, at: string): Promise<boolean> {
    return this.oneAtATime(async () => {
      const token = await this.getRefresh(hash);
      if (!token || token.usedAt !== undefined) return false;
      await this.db.put(refreshKey(hash), { ...token, usedAt: at }, SYNC);
      return true;
    });
  }

  putKey(key: ApiKeyRecord): Promise<void> {
    return this.oneAtATime(() => this.db.batch().put(keyKey(key.id), key).put(userKeyPrefix(key.userId) + key.id, key.id).write(SYNC));
  }

  async getKey(id: string): Promise<ApiKeyRecord | undefined> {
    return (await this.db.get(keyKey(id))) as ApiKeyRecord | undefined;
  }

  markKey(id: string, field: 'lastUsedAt' | 'revokedAt', at: string): Promise<void> {
    return this.oneAtATime(async () => {
      const key = await this.getKey(id);
      if (key) await this.db.put(keyKey(id), { ...key, [field]: at }, SYNC);
    });
  }

  async listKeys(userId: string): Promise<ApiKeyRecord[]> {
    const ids = (await this.db.values(range(userKeyPrefix(userId))).all()) as string[];
    const keys = await this.db.getMany(ids.map(keyKey));
    return keys.filter((k): k is ApiKeyRecord => k !== undefined);
  }

  async getLook(userId: string): Promise<AvatarLook | undefined> {
    return (await this.db.get(lookKey(userId))) as AvatarLook | undefined;
  }

  async putLook(userId: string, look: AvatarLook): Promise<void> {
    await this.db.put(lookKey(userId), look, SYNC);
  }
}
