/**
 * Accounts, sign-in sessions and API keys. Secrets never reach this store in the clear: passwords
 * as scrypt hashes, refresh tokens and API keys as SHA-256 digests. The two writes that race
 * (taking a username, using a refresh token) are compare-and-set so only one caller wins.
 */
import type { AvatarLook } from '../../../shared/protocol';

export interface UserRecord {
  id: string;
  /** Lower-case, unique. */
  username: string;
  passwordHash: string;
  createdAt: string;
  updatedAt: string;
  /** A TOTP second factor: pending until confirmed with a code, then required at sign-in. */
  totp?: { secret: string; confirmed: boolean; lastStep?: number };
}

/** One sign-in: every refresh token rotated from it shares its id, and revoking it ends them all. */
export interface SessionFamily {
  id: string;
  userId: string;
  createdAt: string;
  revokedAt?: string;
  /** Why it ended: signed out, a refresh token reused, the password changed. */
  revokedWhy?: string;
}

export interface RefreshRecord {
  /** SHA-256 of the token, hex. */
  hash: string;
  userId: string;
  familyId: string;
  createdAt: string;
  expiresAt: string;
  /** Set when it was exchanged for a new one; presenting it again is reuse. */
  usedAt?: string;
}

export interface ApiKeyRecord {
  id: string;
  userId: string;
  name: string;
  /** SHA-256 of the whole key, hex. */
  hash: string;
  scopes: string[];
  createdAt: string;
  expiresAt: string | null;
  revokedAt?: string;
  lastUsedAt?: string;
}

export interface AuthStore {
  /** False when the username is taken. */
  createUser(user: UserRecord): Promise<boolean>;
  getUser(id: string): Promise<UserRecord | undefined>;
  findUser(username: string): Promise<UserRecord | undefined>;
  /** Replaces an existing user (same id and username). */
  updateUser(user: UserRecord): Promise<void>;

  putFamily(family: SessionFamily): Promise<void>;
  getFamily(userId: string, familyId: string): Promise<SessionFamily | undefined>;
  listFamilies(userId: string): Promise<SessionFamily[]>;

  putRefresh(token: RefreshRecord): Promise<void>;
  getRefresh(hash: string): Promise<RefreshRecord | undefined>;
  /** Marks a token used; false when it already was (someone else got there first). */
  useRefresh(hash: string, at: string): Promise<boolean>;

  putKey(key: ApiKeyRecord): Promise<void>;
  getKey(id: string): Promise<ApiKeyRecord | undefined>;
  listKeys(userId: string): Promise<ApiKeyRecord[]>;
  /** Sets one field of a key, leaving the rest as stored, so a use never undoes a revocation. */
  markKey(id: string, field: 'lastUsedAt' | 'revokedAt', at: string): Promise<void>;

  /**
   * How the account looks in worlds (an AvatarLook, checked before it comes here), kept apart from
   * the user record so a look change never writes over a password change made at the same moment.
   */
  getLook(userId: string): Promise<AvatarLook | undefined>;
  putLook(userId: string, look: AvatarLook): Promise<void>;
}
