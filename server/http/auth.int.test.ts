import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Client } from '@colyseus/sdk';
import { SignJWT, decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, PROTOCOL_VERSION, WORLD_ROOM } from '../../shared/protocol';
import { LevelStore } from '../adapters/storage/LevelStore';
import { totpCode } from '../auth/totp';
import { bootServer, type BootedServer } from '../testing/bootServer';
import { createWorld, joinWorld, until } from '../testing/clients';
import { useServer } from '../testing/useServer';

interface Session {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  user: { id: string; username: string; totp: boolean };
}

let server: BootedServer;
/** An administrator's access token: the security events of accounts are in no world, so only they read them. */
let admin = '';
const seen: string[] = [];

async function call(method: string, route: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: any; headers: Headers }> {
  const res = await fetch(`${server.url}/api/v3${route}`, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined, headers: res.headers };
}
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const PASSWORD = 'a long enough password';

async function signUp(username: string): Promise<Session> {
  const res = await call('POST', '/auth/signup', { username, password: PASSWORD });
  expect(res.status).toBe(201);
  seen.push(res.json.refreshToken, res.json.accessToken);
  return res.json as Session;
}

const BURST = 60;
/** The default SIGNIN_FAILURES. */
const FAILURES = 5;
type Answer = Awaited<ReturnType<typeof call>>;

/** Sends BURST wrong guesses at once and, as soon as one is refused as too many, the right password. */
async function burstThenRight(wrong: () => Promise<Answer>, rightOne: () => Promise<Answer>): Promise<{ answers: Answer[]; right: Answer }> {
  let limited!: () => void;
  const firstLimited = new Promise<void>((resolve) => (limited = resolve));
  const burst = Promise.all(
    Array.from({ length: BURST }, () =>
      wrong().then((a) => {
        if (a.status === 429) limited();
        return a;
      }),
    ),
  );
  await Promise.race([firstLimited, burst]);
  const right = await rightOne();
  return { answers: await burst, right };
}

function expectHeldToFailures(answers: Answer[], right: Answer): void {
  const statuses = answers.map((a) => a.status);
  expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(FAILURES);
  expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(BURST - FAILURES);
  expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
  expect(right.status).toBe(429);
  expect(right.json.error.code).toBe(ErrorCode.RATE_LIMITED);
  expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(60);
}

function joinError(url: string, options: Record<string, unknown>): Promise<Error | null> {
  return new Client(url).joinOrCreate(WORLD_ROOM, { protocol: PROTOCOL_VERSION, name: 'Guest', ...options }).then(
    async (room) => {
      await room.leave();
      return null;
    },
    (e: Error) => e,
  );
}

describe('accounts over REST and in worlds (guests welcome)', () => {
  beforeAll(async () => {
    server = await bootServer({ env: { ADMIN_USERS: 'root' } });
    admin = (await signUp('root')).accessToken;
  });
  afterAll(async () => {
    await server.stop();
    server.cleanup();
  });

  it('signs up, signs in and says who is calling; the signing key is made once and kept private', async () => {
    const s = await signUp('ann');
    expect(s.user).toMatchObject({ username: 'ann', totp: false });
    expect(s.expiresIn).toBe(15 * 60);
    const me = await call('GET', '/auth/me', undefined, bearer(s.accessToken));
    expect(me.status).toBe(200);
    expect(me.json).toMatchObject({ user: { id: s.user.id, username: 'ann' }, via: 'token' });
    const signin = await call('POST', '/auth/signin', { username: 'ann', password: PASSWORD });
    expect(signin.status).toBe(200);
    expect(signin.headers.get('cache-control')).toBe('no-store');
    expect((await call('GET', '/auth/me')).status).toBe(401);
    // a guest still reaches the rest of the API as before
    expect((await call('GET', '/worlds')).status).toBe(200);
    expect((await call('POST', '/auth/signup', { username: 'ANN', password: PASSWORD })).status).toBe(409);
    const file = path.join(server.dataDir, 'auth', 'secret');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim().length).toBeGreaterThanOrEqual(32);
  });

  it('refuses a wrong password, and the audit log records it', async () => {
    await signUp('bob');
    const wrong = await call('POST', '/auth/signin', { username: 'bob', password: 'not the right one' });
    expect(wrong.status).toBe(401);
    expect(wrong.json.error).toEqual({ code: ErrorCode.UNAUTHORIZED, message: 'The username or password is not right.', requestId: wrong.headers.get('x-request-id') });
    const audit = await call('GET', '/audit?action=auth.signin&outcome=refused', undefined, bearer(admin));
    expect(audit.json.entries.map((e: { actor: { name?: string } }) => e.actor.name)).toContain('bob');
    expect(JSON.stringify(audit.json)).not.toContain('not the right one');
  });

  it('holds a burst of parallel guesses to the allowed failures: the rest, and then the right password, are refused unchecked', async () => {
    await signUp('burst');
    const guess = () => call('POST', '/auth/signin', { username: 'burst', password: 'a wrong guess, again' });
    const { answers, right } = await burstThenRight(guess, () => call('POST', '/auth/signin', { username: 'burst', password: PASSWORD }));
    expectHeldToFailures(answers, right);
  });

  it('holds guesses of the current password, when changing it, to the same count', async () => {
    const s = await signUp('burstpw');
    const change = (currentPassword: string) => call('POST', '/auth/password', { currentPassword, newPassword: 'the new password' }, bearer(s.accessToken));
    const { answers, right } = await burstThenRight(() => change('a wrong guess, again'), () => change(PASSWORD));
    expectHeldToFailures(answers, right);
    // the burst used up this account's allowance from here, whichever way it is asked
    expect((await call('POST', '/auth/signin', { username: 'burstpw', password: PASSWORD })).status).toBe(429);
  });

  it('refuses expired, tampered and wrongly signed access tokens, everywhere a token is presented', async () => {
    const s = await signUp('cat');
    const claims = decodeJwt(s.accessToken);
    const secret = new TextEncoder().encode(readFileSync(path.join(server.dataDir, 'auth', 'secret'), 'utf8').trim());
    const signed = (key: Uint8Array, exp: number) =>
      new SignJWT({ name: 'cat', sid: claims.sid }).setProtectedHeader({ alg: 'HS256' }).setSubject(claims.sub!).setJti('j1').setIssuer(claims.iss!).setAudience(claims.aud as string).setIssuedAt(exp - 900).setExpirationTime(exp).sign(key);
    const now = Math.floor(Date.now() / 1000);
    // the same claims with the real key pass, so each refusal below is about the one thing changed
    expect((await call('GET', '/auth/me', undefined, bearer(await signed(secret, now + 600)))).status).toBe(200);
    const expired = await call('GET', '/auth/me', undefined, bearer(await signed(secret, now - 60)));
    expect(expired.status).toBe(401);
    expect(expired.json.error.message).toMatch(/expired/);
    const [head, , sig] = s.accessToken.split('.');
    const tampered = `${head}.${Buffer.from(JSON.stringify({ ...claims, name: 'admin' })).toString('base64url')}.${sig}`;
    expect((await call('GET', '/auth/me', undefined, bearer(tampered))).json.error.message).toMatch(/signature/);
    const foreign = await signed(new TextEncoder().encode('another server’s secret, long enough'), now + 600);
    const other = await call('GET', '/worlds', undefined, bearer(foreign));
    expect(other.status).toBe(401);
    expect(other.json.error.code).toBe(ErrorCode.UNAUTHORIZED);
    expect((await call('GET', '/worlds', undefined, { authorization: 'Basic abc' })).status).toBe(401);
  });

  it('rotates refresh tokens; signing out ends the sign-in; reusing a used refresh token ends it too, newer tokens included', async () => {
    const s1 = await signUp('dan');
    const r2 = await call('POST', '/auth/refresh', { refreshToken: s1.refreshToken });
    expect(r2.status).toBe(200);
    const s2 = r2.json as Session;
    expect(s2.refreshToken).not.toBe(s1.refreshToken);
    expect((await call('POST', '/auth/refresh', { refreshToken: s1.refreshToken })).json.error.message).toMatch(/already used/);
    expect((await call('POST', '/auth/refresh', { refreshToken: s2.refreshToken })).status).toBe(401);
    expect((await call('GET', '/auth/me', undefined, bearer(s2.accessToken))).status).toBe(401);
    const reuse = await call('GET', '/audit?action=auth.refresh.reuse', undefined, bearer(admin));
    expect(reuse.json.entries.length).toBeGreaterThan(0);

    const s3 = (await call('POST', '/auth/signin', { username: 'dan', password: PASSWORD })).json as Session;
    expect((await call('POST', '/auth/signout', { refreshToken: s3.refreshToken })).status).toBe(204);
    expect((await call('POST', '/auth/refresh', { refreshToken: s3.refreshToken })).status).toBe(401);
    expect((await call('GET', '/auth/me', undefined, bearer(s3.accessToken))).status).toBe(401);
  });

  it('requires the authenticator code at sign-in once one is set up', async () => {
    const s = await signUp('eve');
    const enrol = await call('POST', '/auth/totp/enrol', undefined, bearer(s.accessToken));
    expect(enrol.status).toBe(200);
    expect(enrol.json.otpauthUrl).toMatch(/^otpauth:\/\/totp\//);
    expect((await call('POST', '/auth/totp/confirm', { code: '12345' }, bearer(s.accessToken))).status).toBe(400);
    const confirmed = await call('POST', '/auth/totp/confirm', { code: await totpCode(enrol.json.secret, Date.now()) }, bearer(s.accessToken));
    expect(confirmed.json.user.totp).toBe(true);
    const without = await call('POST', '/auth/signin', { username: 'eve', password: PASSWORD });
    expect(without.status).toBe(401);
    expect(without.json.error.code).toBe(ErrorCode.TOTP_REQUIRED);
    const code = await totpCode(enrol.json.secret, Date.now() + 30_000);
    expect((await call('POST', '/auth/signin', { username: 'eve', password: PASSWORD, totp: code })).status).toBe(200);
    expect((await call('POST', '/auth/signin', { username: 'eve', password: PASSWORD, totp: code })).status).toBe(401);
  });

  it('changes a password only with the current one, and the old one stops working', async () => {
    const s = await signUp('fay');
    expect((await call('POST', '/auth/password', { currentPassword: 'wrong one!!', newPassword: 'the new password' }, bearer(s.accessToken))).status).toBe(401);
    const changed = await call('POST', '/auth/password', { currentPassword: PASSWORD, newPassword: 'the new password' }, bearer(s.accessToken));
    expect(changed.status).toBe(200);
    expect((await call('GET', '/auth/me', undefined, bearer(s.accessToken))).status).toBe(401);
    expect((await call('POST', '/auth/signin', { username: 'fay', password: PASSWORD })).status).toBe(401);
    expect((await call('POST', '/auth/signin', { username: 'fay', password: 'the new password' })).status).toBe(200);
  });

  it('makes API keys shown once, that work until revoked or expired', async () => {
    const s = await signUp('gil');
    const made = await call('POST', '/keys', { name: 'scanner bridge', scopes: ['documents:read', 'neural:write'] }, bearer(s.accessToken));
    expect(made.status).toBe(201);
    const key = made.json.key as string;
    seen.push(key);
    const list = await call('GET', '/keys', undefined, bearer(s.accessToken));
    expect(list.json.keys).toHaveLength(1);
    expect(JSON.stringify(list.json)).not.toContain(key.slice(-43));
    const me = await call('GET', '/auth/me', undefined, { 'x-api-key': key });
    expect(me.json).toMatchObject({ user: { username: 'gil' }, via: 'key', scopes: ['documents:read', 'neural:write'] });
    // a key reaches only what its scopes name
    expect((await call('GET', '/workflows', undefined, { 'x-api-key': key })).json.error.message).toContain('"workflows:read"');
    expect((await call('GET', '/documents?world=none', undefined, { 'x-api-key': key })).status).toBe(404);
    // a key cannot make more keys
    expect((await call('POST', '/keys', { name: 'x', scopes: ['documents:read'] }, { 'x-api-key': key })).status).toBe(401);
    expect((await call('DELETE', `/keys/${made.json.apiKey.id}`, undefined, bearer(s.accessToken))).status).toBe(204);
    const revoked = await call('GET', '/worlds', undefined, { 'x-api-key': key });
    expect(revoked.status).toBe(401);
    expect(revoked.json.error.message).toMatch(/revoked/);
    expect((await call('GET', '/keys', undefined, bearer(s.accessToken))).json.keys[0].revokedAt).toBeDefined();

    const brief = await call('POST', '/keys', { name: 'brief', scopes: ['workflows:run'], expiresInSeconds: 1 }, bearer(s.accessToken));
    seen.push(brief.json.key);
    expect((await call('GET', '/auth/me', undefined, { 'x-api-key': brief.json.key })).status).toBe(200);
    // the server runs on the real clock: wait for the second to pass, as the key's user would
    await until(
      'the key to be refused as expired',
      async () => /expired/.test((await call('GET', '/worlds', undefined, { 'x-api-key': brief.json.key })).json.error?.message ?? ''),
      5000,
      100,
    );
    expect((await call('GET', '/worlds', undefined, { 'x-api-key': 'dwc_0000000000000000_guess' })).status).toBe(401);
    expect((await call('DELETE', '/keys/0000000000000000', undefined, bearer(s.accessToken))).status).toBe(404);
  });

  it('refuses bad input to every route with a clear 400, and stores nothing', async () => {
    const s = await signUp('hal');
    const auth = bearer(s.accessToken);
    const bad: Array<[string, string, unknown, Record<string, string>?]> = [
      ['POST', '/auth/signup', { username: '<img src=x onerror=alert(1)>', password: PASSWORD }],
      ['POST', '/auth/signup', { username: 'ok_name', password: 'short' }],
      ['POST', '/auth/signup', { username: 'ok_name', password: PASSWORD, role: 'admin' }],
      ['POST', '/auth/signup', { username: 'x'.repeat(33), password: PASSWORD }],
      ['POST', '/auth/signup', '{not json'],
      ['POST', '/auth/signup', [1, 2]],
      ['POST', '/auth/signin', { username: 'hal' }],
      ['POST', '/auth/signin', { username: 'hal', password: PASSWORD, totp: 'abcdef' }],
      ['POST', '/auth/refresh', {}],
      ['POST', '/auth/refresh', { refreshToken: 42 }],
      ['POST', '/auth/signout', { refreshToken: 'short' }],
      ['POST', '/auth/password', { currentPassword: PASSWORD, newPassword: 'short' }, auth],
      ['POST', '/auth/totp/confirm', { code: '12 456' }, auth],
      ['POST', '/keys', { name: 'k', scopes: ['everything'] }, auth],
      ['POST', '/keys', { name: '', scopes: ['documents:read'] }, auth],
      ['POST', '/keys', { name: 'k', scopes: [] }, auth],
      ['POST', '/keys', { name: 'k', scopes: ['documents:read'], expiresInSeconds: -5 }, auth],
    ];
    for (const [method, route, body, headers] of bad) {
      const res = await call(method, route, body, headers);
      expect(res.status, `${method} ${route} ${JSON.stringify(body)}`).toBe(400);
      expect(res.json.error.code).toBe(ErrorCode.BAD_REQUEST);
      expect(res.json.error.message.length).toBeGreaterThan(10);
      expect(res.headers.get('content-type')).toMatch(/application\/json/);
    }
    expect((await call('POST', '/auth/signin', { username: 'ok_name', password: PASSWORD })).status).toBe(401);
    expect((await call('GET', '/keys', undefined, auth)).json.keys).toEqual([]);
    expect((await call('POST', '/auth/signin', { username: 'hal', password: PASSWORD })).status).toBe(200);
    expect((await call('GET', '/worlds', undefined, { ...auth, 'x-api-key': 'dwc_x' })).status).toBe(400);
  });

  it('joins a world as the account a token names, refuses a bad token, and still lets guests in', async () => {
    const s = await signUp('ivy');
    const world = await createWorld(server.url);
    const p = await joinWorld(server.url, world.id, 'Someone Else', { token: s.accessToken });
    await until('the participant', () => (p.room.state as any).participants.size === 1);
    expect((p.room.state as any).participants.get(p.room.sessionId).name).toBe('ivy');
    const refused = await joinError(server.url, { worldId: world.id, token: `${s.accessToken}x` });
    expect(refused?.message).toContain(ErrorCode.UNAUTHORIZED);
    expect(refused?.message).toMatch(/signature|not valid/);
    const guest = await joinWorld(server.url, world.id, 'Guest');
    await until('two participants', () => (guest.room.state as any).participants.size === 2);
    await p.room.leave();
    await guest.room.leave();
  });

  it('keeps passwords, refresh tokens and API keys only as hashes', async () => {
    await server.stop();
    const level = new LevelStore(path.join(server.dataDir, 'store'));
    await level.open();
    try {
      const raw: string[] = [];
      for await (const [k, v] of (level as unknown as { db: { iterator(): AsyncIterable<[string, unknown]> } }).db.iterator()) raw.push(k, JSON.stringify(v));
      const everything = raw.join('\n');
      expect(everything).toContain('ann');
      expect(seen.length).toBeGreaterThan(10);
      for (const secret of [PASSWORD, 'the new password', ...seen]) expect(everything).not.toContain(secret);
    } finally {
      await level.close();
    }
  });
});

describe('accounts when guests are not let in', () => {
  const off = useServer({ env: { GUEST_ACCESS: 'off' } });

  it('refuses a world join without a token, and lets in one with a token', async () => {
    server = off();
    const world = await createWorld(off().url);
    const refused = await joinError(off().url, { worldId: world.id });
    expect(refused?.message).toContain(ErrorCode.UNAUTHORIZED);
    expect(refused?.message).toMatch(/signed in/);
    const s = await signUp('joe');
    const p = await joinWorld(off().url, world.id, 'Jo', { token: s.accessToken });
    await until('the participant', () => (p.room.state as any).participants.size === 1);
    expect((p.room.state as any).participants.get(p.room.sessionId).name).toBe('joe');
    await p.room.leave();
  });
});
