import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SignJWT, decodeJwt } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditInput } from '../audit/AuditLog';
import { LevelStore } from '../adapters/storage/LevelStore';
import type { AuthStore } from '../adapters/storage/AuthStore';
import { AppError } from '../errors';
import { AuthService, type Caller } from './AuthService';
import { hashPassword, verifyNobody, verifyPassword } from './passwords';
import { totpCode } from './totp';
import { secretKey, signAccess } from './tokens';

const SECRET = 's'.repeat(40);
const from = { ip: '127.0.0.9' };
const PASSWORD = 'correct horse battery';

async function refusal(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('passwords', () => {
  it('hashes with a per-user salt, verifies the right password only, and a bad hash matches nothing', async () => {
    const a = await hashPassword(PASSWORD);
    const b = await hashPassword(PASSWORD);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(a).not.toContain(PASSWORD);
    expect(await verifyPassword(PASSWORD, a)).toBe(true);
    expect(await verifyPassword('correct horse battery!', a)).toBe(false);
    expect(await verifyPassword(PASSWORD, 'plain')).toBe(false);
    expect(await verifyPassword(PASSWORD, a.replace('$32768$', '$99999999$'))).toBe(false);
    expect(await verifyNobody(PASSWORD)).toBe(false);
  });
});

describe('AuthService', () => {
  let dir: string;
  let level: LevelStore;
  let store: AuthStore;
  let clock: number;
  let audit: AuditInput[];
  let auth: AuthService;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'dwc-auth-'));
    level = new LevelStore(path.join(dir, 'store'));
    await level.open();
    store = level.authStore();
    clock = Date.parse('2026-03-01T10:00:00Z');
    audit = [];
    auth = new AuthService({ store, secret: SECRET, accessTokenMs: 15 * 60_000, refreshTokenMs: 30 * 86_400_000, audit: { record: (e) => audit.push(e) }, now: () => clock });
  });
  afterEach(async () => {
    await level.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('signs up, signs in, and names the account in its access token', async () => {
    const s = await auth.signUp('ann', PASSWORD, from);
    expect(s.user).toMatchObject({ username: 'ann', totp: false });
    const claims = decodeJwt(s.accessToken);
    expect(claims).toMatchObject({ sub: s.user.id, name: 'ann' });
    expect(typeof claims.jti).toBe('string');
    expect(claims.exp! - claims.iat!).toBe(15 * 60);
    expect((await refusal(auth.signUp('ann', PASSWORD, from))).status).toBe(409);
    const again = await auth.signIn('ANN ', PASSWORD, undefined, from);
    expect(await auth.identify(again.accessToken)).toMatchObject({ kind: 'user', userId: s.user.id, username: 'ann' });
  });

  it('refuses a wrong password and an unknown user alike, and audits both', async () => {
    await auth.signUp('ann', PASSWORD, from);
    const wrong = await refusal(auth.signIn('ann', 'not the password', undefined, from));
    const nobody = await refusal(auth.signIn('nobody', PASSWORD, undefined, from));
    expect([wrong.status, nobody.status]).toEqual([401, 401]);
    expect(wrong.message).toBe(nobody.message);
    expect(audit.filter((e) => e.action === 'auth.signin' && e.outcome === 'refused').map((e) => e.actor.name)).toEqual(['ann', 'nobody']);
  });

  it('refuses an expired, tampered, wrongly signed or unsigned access token', async () => {
    const s = await auth.signUp('ann', PASSWORD, from);
    clock += 15 * 60_000 + 1000;
    expect((await refusal(auth.identify(s.accessToken))).message).toMatch(/expired/);
    clock -= 15 * 60_000;
    const [head, body, sig] = s.accessToken.split('.');
    const forged = Buffer.from(JSON.stringify({ ...decodeJwt(s.accessToken), name: 'admin' })).toString('base64url');
    expect((await refusal(auth.identify(`${head}.${forged}.${sig}`))).message).toMatch(/signature/);
    const other = await signAccess(secretKey('o'.repeat(40)), { userId: s.user.id, username: 'ann', familyId: 'x' }, clock, 60_000);
    expect((await refusal(auth.identify(other))).message).toMatch(/signature/);
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${body}.`;
    expect((await refusal(auth.identify(none))).status).toBe(401);
    const noSession = await new SignJWT({ name: 'ann' }).setProtectedHeader({ alg: 'HS256' }).setSubject(s.user.id).setJti('j').setIssuer('document-workflow-chain').setAudience('access').setExpirationTime(Math.floor(clock / 1000) + 60).sign(secretKey(SECRET));
    expect((await refusal(auth.identify(noSession))).status).toBe(401);
    expect((await refusal(auth.identify('not a token'))).status).toBe(401);
  });

  it('rotates refresh tokens; reuse of an old one revokes the whole sign-in, newer tokens included', async () => {
    const s1 = await auth.signUp('ann', PASSWORD, from);
    const s2 = await auth.refresh(s1.refreshToken, from);
    const s3 = await auth.refresh(s2.refreshToken, from);
    expect(await auth.identify(s3.accessToken)).toMatchObject({ username: 'ann' });
    expect((await refusal(auth.refresh(s1.refreshToken, from))).message).toMatch(/already used/);
    expect((await refusal(auth.refresh(s3.refreshToken, from))).message).toMatch(/ended/);
    expect((await refusal(auth.identify(s3.accessToken))).message).toMatch(/ended/);
    expect(audit.some((e) => e.action === 'auth.refresh.reuse' && e.outcome === 'refused')).toBe(true);
    // another sign-in of the same account is untouched
    const other = await auth.signIn('ann', PASSWORD, undefined, from);
    expect((await auth.refresh(other.refreshToken, from)).user.username).toBe('ann');
  });

  it('ends a sign-in on sign-out, and refuses an expired refresh token', async () => {
    const s = await auth.signUp('ann', PASSWORD, from);
    await auth.signOut({ kind: 'guest' }, s.refreshToken, from);
    expect((await refusal(auth.refresh(s.refreshToken, from))).status).toBe(401);
    expect((await refusal(auth.identify(s.accessToken))).status).toBe(401);
    const t = await auth.signIn('ann', PASSWORD, undefined, from);
    clock += 31 * 86_400_000;
    expect((await refusal(auth.refresh(t.refreshToken, from))).message).toMatch(/expired/);
  });

  it('changes the password only with the current one, and ends every other sign-in', async () => {
    const s = await auth.signUp('ann', PASSWORD, from);
    const caller = await auth.identify(s.accessToken);
    expect((await refusal(auth.changePassword(caller, 'wrong password', 'a new password!', from))).status).toBe(401);
    const fresh = await auth.changePassword(caller, PASSWORD, 'a new password!', from);
    expect((await refusal(auth.identify(s.accessToken))).status).toBe(401);
    expect(await auth.identify(fresh.accessToken)).toMatchObject({ username: 'ann' });
    expect((await refusal(auth.signIn('ann', PASSWORD, undefined, from))).status).toBe(401);
    await auth.signIn('ann', 'a new password!', undefined, from);
  });

  it('requires the authenticator code once one is confirmed, and takes each code once', async () => {
    const s = await auth.signUp('ann', PASSWORD, from);
    const caller: Caller = await auth.identify(s.accessToken);
    const { secret, otpauthUrl } = await auth.enrolTotp(caller, from);
    expect(otpauthUrl).toContain(`secret=${secret}`);
    // pending until confirmed: sign-in does not ask yet
    await auth.signIn('ann', PASSWORD, undefined, from);
    expect((await refusal(auth.confirmTotp(caller, '000000', from))).status).toBe(400);
    expect((await auth.confirmTotp(caller, await totpCode(secret, clock), from)).totp).toBe(true);
    expect((await refusal(auth.signIn('ann', PASSWORD, undefined, from))).code).toBe('TOTP_REQUIRED');
    clock += 30_000;
    const code = await totpCode(secret, clock);
    expect((await refusal(auth.signIn('ann', 'wrong password', code, from))).status).toBe(401);
    await auth.signIn('ann', PASSWORD, code, from);
    expect((await refusal(auth.signIn('ann', PASSWORD, code, from))).message).toMatch(/already used/);
    clock += 10 * 60_000;
    expect((await refusal(auth.signIn('ann', PASSWORD, code, from))).status).toBe(401);
    await auth.signIn('ann', PASSWORD, await totpCode(secret, clock), from);
  });

  it('makes API keys shown once and stored as digests; refuses them revoked, expired or altered', async () => {
    const s = await auth.signUp('ann', PASSWORD, from);
    const caller = await auth.identify(s.accessToken);
    const { key, apiKey } = await auth.createKey(caller, { name: 'bridge', scopes: ['documents:read', 'neural:write'] }, from);
    expect(key).toMatch(/^dwc_[0-9a-f]{16}_/);
    const stored = (await store.getKey(apiKey.id))!;
    expect(JSON.stringify(stored)).not.toContain(key.slice(21));
    expect(JSON.stringify(await auth.listKeys(caller))).not.toContain(key.slice(21));
    expect(await auth.identifyKey(key, from)).toMatchObject({ kind: 'key', username: 'ann', scopes: ['documents:read', 'neural:write'] });
    expect((await store.getKey(apiKey.id))?.lastUsedAt).toBeDefined();
    expect((await refusal(auth.identifyKey(`${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`, from))).status).toBe(401);
    const keyCaller = await auth.identifyKey(key, from);
    expect((await refusal(auth.createKey(keyCaller, { name: 'x', scopes: ['documents:read'] }, from))).status).toBe(401);
    await auth.revokeKey(caller, apiKey.id, from);
    expect((await refusal(auth.identifyKey(key, from))).message).toMatch(/revoked/);
    const brief = await auth.createKey(caller, { name: 'brief', scopes: ['workflows:run'], expiresInSeconds: 60 }, from);
    await auth.identifyKey(brief.key, from);
    clock += 61_000;
    expect((await refusal(auth.identifyKey(brief.key, from))).message).toMatch(/expired/);
    expect((await refusal(auth.revokeKey(caller, 'someone-elses', from))).status).toBe(404);
    expect(audit.map((e) => e.action)).toEqual(expect.arrayContaining(['auth.key.create', 'auth.key.use', 'auth.key.revoke']));
  });
});
