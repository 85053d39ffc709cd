/**
 * A sign-in that ends (a password change, a sign-out) ends in the worlds too: the connections
 * opened with it close at once with the reason, and neither they nor a seat held for a dropped one
 * can be taken back with the reconnection token.
 */
import { Client } from '@colyseus/sdk';
import { describe, expect, it } from 'vitest';
import { WorldClose } from '../../shared/protocol';
import { createWorld, joinWorld, until } from '../testing/clients';
import { useServer } from '../testing/useServer';

const server = useServer();
const PASSWORD = 'a long enough password';

async function post(route: string, body: unknown, token?: string): Promise<{ status: number; json: any }> {
  const res = await fetch(`${server().url}/api/v3${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: await res.json().catch(() => undefined) };
}

async function signUp(username: string): Promise<{ accessToken: string; refreshToken: string }> {
  const res = await post('/auth/signup', { username, password: PASSWORD });
  expect(res.status).toBe(201);
  return res.json;
}

const reconnect = (token: string) =>
  new Client(server().url).reconnect(token).then(
    async (room) => {
      await room.leave();
      return null;
    },
    (e: Error) => e,
  );

describe('rooms and ended sign-ins', () => {
  it('closes the connection when the password changes, and its reconnection token is refused', { timeout: 60_000 }, async () => {
    const session = await signUp('ada');
    const world = await createWorld(server().url);
    const watcher = await joinWorld(server().url, world.id, 'Watcher');
    const ada = await joinWorld(server().url, world.id, 'Ada', { token: session.accessToken });
    ada.room.reconnection.enabled = false;
    let closed: number | undefined;
    ada.room.onLeave((code: number) => (closed = code));

    const changed = await post('/auth/password', { currentPassword: PASSWORD, newPassword: 'the new password' }, session.accessToken);
    expect(changed.status).toBe(200);
    await until('the connection to close', () => closed !== undefined, 10_000);
    expect(closed).toBe(WorldClose.SIGNED_OUT);
    await until('Ada to leave the world', () => !(watcher.room.state as any).participants.has(ada.room.sessionId), 10_000);
    expect(await reconnect(ada.room.reconnectionToken)).toBeInstanceOf(Error);

    // the new sign-in the password change handed out gets in as before
    const again = await joinWorld(server().url, world.id, 'Ada', { token: changed.json.accessToken });
    expect((again.room.state as any).participants.get(again.room.sessionId).name).toBe('ada');
    await again.room.leave();
    await watcher.room.leave();
  });

  it('refuses to give a dropped connection its seat back once its sign-in has ended', { timeout: 60_000 }, async () => {
    const session = await signUp('grace');
    const other = await post('/auth/signin', { username: 'grace', password: PASSWORD });
    expect(other.status).toBe(200);
    const world = await createWorld(server().url);
    const watcher = await joinWorld(server().url, world.id, 'Watcher');
    const grace = await joinWorld(server().url, world.id, 'Grace', { token: session.accessToken });
    // her other sign-in (another device) stays connected through this one's sign-out
    const laptop = await joinWorld(server().url, world.id, 'Grace', { token: other.json.accessToken });
    let laptopClosed: number | undefined;
    laptop.room.onLeave((code: number) => (laptopClosed = code));

    const token = grace.room.reconnectionToken;
    grace.room.reconnection.enabled = false;
    grace.room.connection.close(4999, 'network gone');
    await until('Grace to show as disconnected', () => (watcher.room.state as any).participants.get(grace.room.sessionId)?.connected === false);

    expect((await post('/auth/signout', { refreshToken: session.refreshToken })).status).toBeLessThan(300);
    const refused = await reconnect(token);
    expect(refused).toBeInstanceOf(Error);
    await until('her seat to be given up', () => !(watcher.room.state as any).participants.has(grace.room.sessionId), 10_000);
    expect(laptopClosed).toBeUndefined();
    expect((watcher.room.state as any).participants.has(laptop.room.sessionId)).toBe(true);
    await laptop.room.leave();
    await watcher.room.leave();
  });
});
