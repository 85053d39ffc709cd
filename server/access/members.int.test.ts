/**
 * Members and invites over REST with their live effect in the room; API key scopes; sign-in
 * throttling; who may read the audit log.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { WorldClose, ErrorCode, type RoleChange } from '../../shared/protocol';
import { CloseCode } from '@colyseus/sdk';
import { joinWorld, settle, until } from '../testing/clients';
import { bearer, restClient } from '../testing/rest';
import { useServer } from '../testing/useServer';

const server = useServer({ env: { ADMIN_USERS: 'boss', SIGNIN_FAILURES: '3' } });
const PASSWORD = 'a long enough password';

const { call, signUp } = restClient(() => server().url);

let owner: { token: string; userId: string };
let worldId: string;
beforeAll(async () => {
  owner = await signUp('owen');
  const res = await call('POST', '/worlds', { name: 'Studio', template: 'gallery', guestRole: 'none' }, bearer(owner.token));
  worldId = res.json.world.id;
});

describe('members and invites', () => {
  it('admits by a one-time link with its role; a used, revoked or foreign link is refused', async () => {
    const vic = await signUp('vic');
    const made = await call('POST', `/worlds/${worldId}/invites`, { role: 'viewer' }, bearer(owner.token));
    expect(made.status).toBe(201);
    expect(made.headers.get('cache-control')).toBe('no-store');
    expect(made.json.invite).toMatchObject({ role: 'viewer', maxUses: 1, uses: 0, expiresAt: null });
    expect(made.json.token).toMatch(/^inv_/);
    // accepting needs an account
    expect((await call('POST', `/worlds/${worldId}/invites/accept`, { token: made.json.token })).status).toBe(401);
    const accepted = await call('POST', `/worlds/${worldId}/invites/accept`, { token: made.json.token }, bearer(vic.token));
    expect(accepted.status).toBe(200);
    expect(accepted.json.member).toMatchObject({ userId: vic.userId, username: 'vic', role: 'viewer' });
    const wes = await signUp('wes');
    const again = await call('POST', `/worlds/${worldId}/invites/accept`, { token: made.json.token }, bearer(wes.token));
    expect(again.status).toBe(403);
    expect(again.json.error.message).toMatch(/already been used/);
    const tampered = `${made.json.token.slice(0, -4)}AAAA`;
    expect((await call('POST', `/worlds/${worldId}/invites/accept`, { token: tampered }, bearer(wes.token))).json.error.message).toMatch(/not valid/);
    const second = await call('POST', `/worlds/${worldId}/invites`, { role: 'editor', maxUses: 5, expiresInSeconds: 3600 }, bearer(owner.token));
    expect((await call('DELETE', `/worlds/${worldId}/invites/${second.json.invite.id}`, undefined, bearer(owner.token))).status).toBe(204);
    expect((await call('POST', `/worlds/${worldId}/invites/accept`, { token: second.json.token }, bearer(wes.token))).json.error.message).toMatch(/revoked/);
    expect((await call('POST', `/worlds/${worldId}/invites`, { role: 'owner' }, bearer(owner.token))).status).toBe(400);
    const members = await call('GET', `/worlds/${worldId}/members`, undefined, bearer(vic.token));
    expect(members.json.members.map((m: any) => [m.username, m.role])).toEqual([
      ['owen', 'owner'],
      ['vic', 'viewer'],
    ]);
    // the invite list never shows a link's secret
    expect(JSON.stringify((await call('GET', `/worlds/${worldId}/invites`, undefined, bearer(owner.token))).json)).not.toMatch(/inv_|hash/);
  });

  it('ROLE-5, HOLD-6: applies a role change to a connected participant at once, and disconnects a removed one with the reason', async () => {
    const pat = await signUp('pat');
    const link = (await call('POST', `/worlds/${worldId}/invites`, { role: 'viewer' }, bearer(owner.token))).json.token;
    await call('POST', `/worlds/${worldId}/invites/accept`, { token: link }, bearer(pat.token));
    const p = await joinWorld(server().url, worldId, 'ignored', { token: pat.token });
    const roles: RoleChange[] = [];
    p.room.onMessage('role', (m: RoleChange) => roles.push(m));
    const me = () => (p.room.state as any).participants.get(p.room.sessionId);
    expect(me()).toMatchObject({ name: 'pat', role: 'viewer' });
    const doc = p.docIds()[0]!;
    p.sendRaw('grab', { type: 'grab', docId: doc });
    await until('a refusal', () => p.errors.length === 1);
    expect(p.errors[0]).toMatchObject({ code: ErrorCode.FORBIDDEN, intent: 'grab' });
    expect(p.errors[0]!.message).toMatch(/viewer/);

    const promoted = await call('PUT', `/worlds/${worldId}/members/${pat.userId}`, { role: 'editor' }, bearer(owner.token));
    expect(promoted.status).toBe(200);
    await until('the new role', () => me().role === 'editor' && roles.length === 1);
    expect(roles[0]).toMatchObject({ role: 'editor' });
    p.sendRaw('grab', { type: 'grab', docId: doc });
    await until('the hold', () => p.doc(doc)?.heldBy === p.room.sessionId);

    // demoted while holding: the hold goes back
    await call('PUT', `/worlds/${worldId}/members/${pat.userId}`, { role: 'viewer' }, bearer(owner.token));
    await until('the hold released', () => me().role === 'viewer' && p.doc(doc)?.heldBy === '');
    // the owner cannot be changed or removed, and nobody but the owner changes roles
    expect((await call('PUT', `/worlds/${worldId}/members/${owner.userId}`, { role: 'viewer' }, bearer(owner.token))).status).toBe(400);
    expect((await call('PUT', `/worlds/${worldId}/members/${pat.userId}`, { role: 'editor' }, bearer(pat.token))).status).toBe(403);

    const closed = new Promise<[number, string | undefined]>((resolve) => p.room.onLeave((code, reason) => resolve([code, reason])));
    expect((await call('DELETE', `/worlds/${worldId}/members/${pat.userId}`, undefined, bearer(owner.token))).status).toBe(204);
    expect(await closed).toEqual([WorldClose.REMOVED, 'The owner removed you from "Studio".']);
    // a code of our own, so that the page never mistakes a failed reconnection for a removal
    expect(Object.values(CloseCode)).not.toContain(WorldClose.REMOVED);
    // and cannot come back
    await expect(joinWorld(server().url, worldId, 'pat', { token: pat.token })).rejects.toThrow(/private/);

    const log = await call('GET', `/audit?world=${worldId}&action=member.role`, undefined, bearer(owner.token));
    expect(log.status).toBe(200);
    expect(log.json.entries.map((e: any) => [e.before.role, e.after.role, e.target.id])).toEqual([
      ['viewer', 'editor', pat.userId],
      ['editor', 'viewer', pat.userId],
    ]);
    const removal = await call('GET', `/audit?world=${worldId}&action=member.remove`, undefined, bearer(owner.token));
    expect(removal.json.entries).toHaveLength(1);
  });
});

describe('API key scopes', () => {
  it('refuses a key without the scope a route needs, naming it', async () => {
    const made = await call('POST', '/keys', { name: 'reader', scopes: ['documents:read', 'worlds:read'] }, bearer(owner.token));
    const key = { 'x-api-key': made.json.key as string };
    expect((await call('GET', `/documents?world=${worldId}`, undefined, key)).status).toBe(200);
    const write = await call('POST', '/workflows', { worldId, template: 'publish' }, key);
    expect(write.status).toBe(403);
    expect(write.json.error).toMatchObject({ code: ErrorCode.FORBIDDEN });
    expect(write.json.error.message).toContain('"workflows:run"');
    const audit = await call('GET', `/audit?world=${worldId}`, undefined, key);
    expect(audit.status).toBe(403);
    expect(audit.json.error.message).toContain('"audit:read"');
    const del = await call('DELETE', `/documents/nothing`, undefined, key);
    expect(del.json.error.message).toContain('"documents:write"');
    // with the scope, the key acts with its owner's role
    const auditor = await call('POST', '/keys', { name: 'auditor', scopes: ['audit:read'] }, bearer(owner.token));
    expect((await call('GET', `/audit?world=${worldId}`, undefined, { 'x-api-key': auditor.json.key })).status).toBe(200);
  });
});

describe('sign-in throttling', () => {
  it('refuses sign-in for a username and address after too many failures, with Retry-After, even with the right password', async () => {
    await signUp('tess');
    for (let i = 0; i < 3; i++) expect((await call('POST', '/auth/signin', { username: 'tess', password: 'wrong password!' })).status).toBe(401);
    const blocked = await call('POST', '/auth/signin', { username: 'tess', password: PASSWORD });
    expect(blocked.status).toBe(429);
    expect(blocked.json.error.code).toBe(ErrorCode.RATE_LIMITED);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(60);
    // another account from the same address is not held up
    await signUp('tom');
    expect((await call('POST', '/auth/signin', { username: 'tom', password: PASSWORD })).status).toBe(200);
  });

  it('forgets failures after a good sign-in', async () => {
    await signUp('uma');
    for (let i = 0; i < 2; i++) await call('POST', '/auth/signin', { username: 'uma', password: 'wrong password!' });
    expect((await call('POST', '/auth/signin', { username: 'uma', password: PASSWORD })).status).toBe(200);
    for (let i = 0; i < 2; i++) expect((await call('POST', '/auth/signin', { username: 'uma', password: 'wrong password!' })).status).toBe(401);
    expect((await call('POST', '/auth/signin', { username: 'uma', password: PASSWORD })).status).toBe(200);
  });
});

describe('who reads the audit log', () => {
  it('lets an owner read their world, an administrator everything, and nobody else anything', async () => {
    const other = await signUp('olga');
    expect((await call('GET', `/audit?world=${worldId}`)).status).toBe(401);
    const stranger = await call('GET', `/audit?world=${worldId}`, undefined, bearer(other.token));
    expect(stranger.status).toBe(403);
    expect(stranger.json.error.message).toMatch(/owner/);
    const whole = await call('GET', '/audit', undefined, bearer(owner.token));
    expect(whole.status).toBe(403);
    expect(whole.json.error.message).toMatch(/administrators/);
    const boss = await signUp('boss');
    const all = await call('GET', '/audit?action=auth.signup', undefined, bearer(boss.token));
    expect(all.status).toBe(200);
    expect(all.json.entries.length).toBeGreaterThan(3);
    // an administrator also manages any world's members
    expect((await call('GET', `/worlds/${worldId}/invites`, undefined, bearer(boss.token))).status).toBe(200);
    await settle(10);
  });
});
