/**
 * Accounts, sign-in sessions and API keys. A sign-in is a family of refresh tokens: each refresh
 * uses one up and hands out the next, so a refresh token seen twice means a copy is in someone
 * else's hands, and the whole family is revoked. Access tokens name their family, so revoking it
 * ends them too rather than leaving them valid until they expire.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { ErrorCode, type AvatarLook } from '../../shared/protocol';
import type { ApiKeyRecord, AuthStore, UserRecord } from '../adapters/storage/AuthStore';
import type { AuditInput } from '../audit/AuditLog';
import { AppError } from '../errors';
import type { CreateKey } from './inputs';
import type { z } from 'zod';
import { hashPassword, verifyNobody, verifyPassword } from './passwords';
import { checkTotp, newTotpSecret, totpUrl } from './totp';
import { TokenRefused, randomToken, secretKey, sha256, signAccess, verifyAccess } from './tokens';

export type Caller =
  | { kind: 'guest' }
  | { kind: 'user'; userId: string; username: string; familyId: string }
  | { kind: 'key'; userId: string; username: string; keyId: string; scopes: string[] };

/** Where a request came from, for the audit log. */
export interface Origin {
  ip: string;
}

export interface Session {
  tokenType: 'Bearer';
  accessToken: string;
  /** Seconds the access token lasts. */
  expiresIn: number;
  refreshToken: string;
  user: PublicUser;
}

export interface PublicUser {
  id: string;
  username: string;
  createdAt: string;
  totp: boolean;
}

export interface PublicKey {
  id: string;
  name: string;
  scopes: string[];
  createdAt: string;
  expiresAt: string | null;
  revokedAt?: string;
  lastUsedAt?: string;
}

export interface AuthServiceOptions {
  store: AuthStore;
  secret: string;
  accessTokenMs: number;
  refreshTokenMs: number;
  audit: { record(input: AuditInput): unknown };
  /** Milliseconds since the epoch; replaceable so tests can move time. */
  now?: () => number;
  /** Told when a sign-in ends (sign-out, password change, a reused refresh token), so open connections can be closed. */
  sessionEnded?: (userId: string, familyId: string) => void;
}

const KEY_PATTERN = /^dwc_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;
/** A key's use is noted at most this often, so a busy device bridge does not flood the audit log. */
const KEY_USE_NOTE_MS = 60_000;

const refused = (message: string) => new AppError(ErrorCode.UNAUTHORIZED, message, 401);
const publicUser = (u: UserRecord): PublicUser => ({ id: u.id, username: u.username, createdAt: u.createdAt, totp: u.totp?.confirmed === true });
const publicKey = ({ hash: _hash, userId: _user, ...k }: ApiKeyRecord): PublicKey => k;

export class AuthService {
  private readonly key: Uint8Array;
  private readonly now: () => number;

  constructor(private readonly o: AuthServiceOptions) {
    this.key = secretKey(o.secret);
    this.now = o.now ?? Date.now;
  }

  async signUp(username: string, password: string, from: Origin): Promise<Session> {
    const at = this.iso();
    const user: UserRecord = { id: randomBytes(12).toString('hex'), username, passwordHash: await hashPassword(password), createdAt: at, updatedAt: at };
    if (!(await this.o.store.createUser(user))) throw new AppError(ErrorCode.CONFLICT, `The username "${username}" is taken; choose another.`, 409);
    this.audit(from, 'auth.signup', 'accepted', user);
    return this.startSession(user);
  }

  async signIn(username: string, password: string, totp: string | undefined, from: Origin): Promise<Session> {
    const user = await this.o.store.findUser(username.trim().toLowerCase());
    const ok = user ? await verifyPassword(password, user.passwordHash) : await verifyNobody(password);
    if (!user || !ok) {
      this.audit(from, 'auth.signin', 'refused', user, 'wrong username or password', username.slice(0, 64));
      throw refused('The username or password is not right.');
    }
    if (user.totp?.confirmed) {
      if (!totp) {
        this.audit(from, 'auth.signin', 'refused', user, 'no authenticator code');
        throw new AppError(ErrorCode.TOTP_REQUIRED, 'This account also needs the 6-digit code from its authenticator app (totp).', 401);
      }
      const step = await checkTotp(user.totp.secret, totp, this.now(), user.totp.lastStep);
      if (step === undefined) {
        this.audit(from, 'auth.signin', 'refused', user, 'wrong or reused authenticator code');
        throw refused('The authenticator code is not right, or was already used; wait for the next one.');
      }
      await this.o.store.updateUser({ ...user, totp: { ...user.totp, lastStep: step } });
    }
    this.audit(from, 'auth.signin', 'accepted', user);
    return this.startSession(user);
  }

  /** Exchanges a refresh token for a new pair; the old one is used up. */
  async refresh(token: string, from: Origin): Promise<Session> {
    const hash = sha256(token);
    const record = await this.o.store.getRefresh(hash);
    if (!record) throw refused('The refresh token is not recognised; sign in again.');
    const family = await this.o.store.getFamily(record.userId, record.familyId);
    if (!family || family.revokedAt) throw refused('This sign-in has ended; sign in again.');
    const reused = async () => {
      await this.endFamily(record.userId, record.familyId, 'a used refresh token was presented again');
      this.audit(from, 'auth.refresh.reuse', 'refused', { id: record.userId }, `session ${record.familyId} revoked`);
      return refused('This refresh token was already used, so this sign-in may have been copied: it has been ended everywhere. Sign in again.');
    };
    if (record.usedAt !== undefined) throw await reused();
    if (Date.parse(record.expiresAt) <= this.now()) throw refused('This sign-in has expired; sign in again.');
    // two refreshes racing with one token: one wins, the other counts as reuse
    if (!(await this.o.store.useRefresh(hash, this.iso()))) throw await reused();
    const user = await this.o.store.getUser(record.userId);
    if (!user) throw refused('The account no longer exists.');
    return this.continueSession(user, record.familyId);
  }

  /** Ends a sign-in: the one a refresh token belongs to, or else the caller's own. */
  async signOut(caller: Caller, refreshToken: string | undefined, from: Origin): Promise<void> {
    let userId: string;
    let familyId: string;
    if (refreshToken) {
      const record = await this.o.store.getRefresh(sha256(refreshToken));
      if (!record) throw refused('The refresh token is not recognised.');
      ({ userId, familyId } = record);
    } else if (caller.kind === 'user') {
      ({ userId, familyId } = caller);
    } else {
      throw new AppError(ErrorCode.BAD_REQUEST, 'Say which sign-in to end: send its refreshToken, or sign out with its access token.');
    }
    await this.endFamily(userId, familyId, 'signed out');
    this.audit(from, 'auth.signout', 'accepted', { id: userId });
  }

  /** Who a bearer access token belongs to; refused when expired, forged or its sign-in has ended. */
  async identify(accessToken: string): Promise<Extract<Caller, { kind: 'user' }>> {
    let claims;
    try {
      claims = await verifyAccess(this.key, accessToken, this.now());
    } catch (err) {
      if (err instanceof TokenRefused) throw refused(err.message);
      throw err;
    }
    const family = await this.o.store.getFamily(claims.userId, claims.familyId);
    if (!family || family.revokedAt) throw refused('This sign-in has ended; sign in again.');
    return { kind: 'user', userId: claims.userId, username: claims.username, familyId: claims.familyId };
  }

  /** Whether a sign-in is still live: connections opened under it last only as long as it does. */
  async sessionLive(userId: string, familyId: string): Promise<boolean> {
    const family = await this.o.store.getFamily(userId, familyId);
    return family !== undefined && !family.revokedAt;
  }

  /** Who an API key belongs to, with its scopes; refused when unknown, revoked or expired. */
  async identifyKey(presented: string, from: Origin): Promise<Extract<Caller, { kind: 'key' }>> {
    const m = KEY_PATTERN.exec(presented);
    const record = m ? await this.o.store.getKey(m[1]!) : undefined;
    // compare digests, which have a fixed length, so the comparison takes the same time either way
    if (!record || !timingSafeEqual(Buffer.from(record.hash, 'hex'), Buffer.from(sha256(presented), 'hex'))) throw refused('The API key is not valid.');
    const refuse = (why: string) => {
      this.audit(from, 'auth.key.use', 'refused', { id: record.userId }, why, undefined, record.id);
      return refused(`The API key ${why}.`);
    };
    if (record.revokedAt) throw refuse('has been revoked');
    if (record.expiresAt && Date.parse(record.expiresAt) <= this.now()) throw refuse('has expired');
    const user = await this.o.store.getUser(record.userId);
    if (!user) throw refuse('belongs to an account that no longer exists');
    if (!record.lastUsedAt || this.now() - Date.parse(record.lastUsedAt) >= KEY_USE_NOTE_MS) {
      await this.o.store.markKey(record.id, 'lastUsedAt', this.iso());
      this.audit(from, 'auth.key.use', 'accepted', user, undefined, undefined, record.id);
    }
    return { kind: 'key', userId: user.id, username: user.username, keyId: record.id, scopes: record.scopes };
  }

  /** The caller's account, and the scopes when the caller is an API key. */
  async me(caller: Caller): Promise<{ user: PublicUser; via: 'token' } | { user: PublicUser; via: 'key'; scopes: string[] }> {
    if (caller.kind === 'key') {
      const user = await this.o.store.getUser(caller.userId);
      if (!user) throw refused('The account no longer exists.');
      return { user: publicUser(user), via: 'key', scopes: caller.scopes };
    }
    return { user: publicUser(await this.account(caller)), via: 'token' };
  }

  /** The look the caller's account keeps (null when none was chosen); signed-in people only. */
  async look(caller: Caller): Promise<AvatarLook | null> {
    return (await this.o.store.getLook((await this.account(caller)).id)) ?? null;
  }

  /** Keeps a look with the caller's account, so another browser signed in as them starts with it. */
  async setLook(caller: Caller, look: AvatarLook): Promise<AvatarLook> {
    await this.o.store.putLook((await this.account(caller)).id, look);
    return look;
  }


  /** Sets a new password and ends every sign-in of the account, then starts a fresh one. */
  async changePassword(caller: Caller, current: string, next: string, from: Origin): Promise<Session> {
    const user = await this.account(caller);
    if (!(await verifyPassword(current, user.passwordHash))) {
      this.audit(from, 'auth.password', 'refused', user, 'wrong current password');
      throw refused('The current password is not right.');
    }
    const updated = { ...user, passwordHash: await hashPassword(next), updatedAt: this.iso() };
    await this.o.store.updateUser(updated);
    for (const f of await this.o.store.listFamilies(user.id)) if (!f.revokedAt) await this.endFamily(user.id, f.id, 'password changed');
    this.audit(from, 'auth.password', 'accepted', user);
    return this.startSession(updated);
  }

  /** Starts (or restarts) enrolment of an authenticator app; it counts once confirmed with a code. */
  async enrolTotp(caller: Caller, from: Origin): Promise<{ secret: string; otpauthUrl: string }> {
    const user = await this.account(caller);
    if (user.totp?.confirmed) throw new AppError(ErrorCode.CONFLICT, 'An authenticator app is already set up for this account.', 409);
    const secret = newTotpSecret();
    await this.o.store.updateUser({ ...user, totp: { secret, confirmed: false }, updatedAt: this.iso() });
    this.audit(from, 'auth.totp.enrol', 'accepted', user);
    return { secret, otpauthUrl: totpUrl(user.username, secret) };
  }

  async confirmTotp(caller: Caller, code: string, from: Origin): Promise<PublicUser> {
    const user = await this.account(caller);
    if (!user.totp) throw new AppError(ErrorCode.CONFLICT, 'Start with POST /api/v3/auth/totp/enrol.', 409);
    if (user.totp.confirmed) throw new AppError(ErrorCode.CONFLICT, 'The authenticator app is already confirmed.', 409);
    const step = await checkTotp(user.totp.secret, code, this.now());
    if (step === undefined) {
      this.audit(from, 'auth.totp.confirm', 'refused', user, 'wrong code');
      throw new AppError(ErrorCode.BAD_REQUEST, 'That code is not the one the authenticator app shows now.');
    }
    const updated = { ...user, totp: { secret: user.totp.secret, confirmed: true, lastStep: step }, updatedAt: this.iso() };
    await this.o.store.updateUser(updated);
    this.audit(from, 'auth.totp.confirm', 'accepted', user);
    return publicUser(updated);
  }

  /** Makes an API key; the key itself is in this answer only, the store keeps its digest. */
  async createKey(caller: Caller, input: z.infer<typeof CreateKey>, from: Origin): Promise<{ key: string; apiKey: PublicKey }> {
    const user = await this.account(caller, 'Only a signed-in person can make API keys, not another key.');
    const id = randomBytes(8).toString('hex');
    const key = `dwc_${id}_${randomToken(32)}`;
    const record: ApiKeyRecord = {
      id,
      userId: user.id,
      name: input.name,
      hash: sha256(key),
      scopes: [...new Set(input.scopes)],
      createdAt: this.iso(),
      expiresAt: input.expiresInSeconds === undefined ? null : new Date(this.now() + input.expiresInSeconds * 1000).toISOString(),
    };
    await this.o.store.putKey(record);
    this.audit(from, 'auth.key.create', 'accepted', user, record.scopes.join(' '), undefined, id);
    return { key, apiKey: publicKey(record) };
  }

  async listKeys(caller: Caller): Promise<PublicKey[]> {
    const user = await this.account(caller, 'Only a signed-in person can list API keys.');
    return (await this.o.store.listKeys(user.id)).sort((a, b) => a.createdAt.localeCompare(b.createdAt)).map(publicKey);
  }

  async revokeKey(caller: Caller, id: string, from: Origin): Promise<void> {
    const user = await this.account(caller, 'Only a signed-in person can revoke API keys.');
    const record = await this.o.store.getKey(id);
    if (!record || record.userId !== user.id) throw new AppError(ErrorCode.NOT_FOUND, 'You have no API key with that id.', 404);
    if (!record.revokedAt) await this.o.store.markKey(id, 'revokedAt', this.iso());
    this.audit(from, 'auth.key.revoke', 'accepted', user, undefined, undefined, id);
  }

  private async account(caller: Caller, notUser = 'Sign in first (Authorization: Bearer <access token>).'): Promise<UserRecord> {
    if (caller.kind !== 'user') throw refused(caller.kind === 'key' ? notUser : 'Sign in first (Authorization: Bearer <access token>).');
    const user = await this.o.store.getUser(caller.userId);
    if (!user) throw refused('The account no longer exists.');
    return user;
  }

  private async startSession(user: UserRecord): Promise<Session> {
    const familyId = randomBytes(12).toString('hex');
    await this.o.store.putFamily({ id: familyId, userId: user.id, createdAt: this.iso() });
    return this.continueSession(user, familyId);
  }

  private async continueSession(user: UserRecord, familyId: string): Promise<Session> {
    const refreshToken = `rt_${randomToken(32)}`;
    const now = this.now();
    await this.o.store.putRefresh({ hash: sha256(refreshToken), userId: user.id, familyId, createdAt: new Date(now).toISOString(), expiresAt: new Date(now + this.o.refreshTokenMs).toISOString() });
    const accessToken = await signAccess(this.key, { userId: user.id, username: user.username, familyId }, now, this.o.accessTokenMs);
    return { tokenType: 'Bearer', accessToken, expiresIn: Math.round(this.o.accessTokenMs / 1000), refreshToken, user: publicUser(user) };
  }

  private async endFamily(userId: string, familyId: string, why: string): Promise<void> {
    const family = await this.o.store.getFamily(userId, familyId);
    if (family && !family.revokedAt) await this.o.store.putFamily({ ...family, revokedAt: this.iso(), revokedWhy: why });
    this.o.sessionEnded?.(userId, familyId);
  }

  private audit(from: Origin, action: string, outcome: 'accepted' | 'refused', user: { id: string; username?: string } | undefined, detail?: string, name?: string, keyId?: string): void {
    const who = user?.username ?? name;
    this.o.audit.record({
      worldId: null,
      actor: { kind: 'client', id: from.ip, ip: from.ip, ...(who ? { name: who } : {}) },
      action,
      outcome,
      ...(keyId ? { target: { type: 'apiKey', id: keyId } } : user ? { target: { type: 'user', id: user.id } } : {}),
      ...(detail ? { detail } : {}),
    });
  }

  private iso(): string {
    return new Date(this.now()).toISOString();
  }
}
