/**
 * Chat, reactions, raised hands and the host's controls over a real server, with the real client
 * SDK: what one person says reaches the others as text, is kept with the world through a restart,
 * and someone joining later reads it; hostile and flooding senders change nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../shared/protocol';
import { bootServer, type BootedServer } from '../testing/bootServer';
import { createWorld, joinWorld, settle, until, type TestParticipant } from '../testing/clients';

const started: BootedServer[] = [];
const rooms: TestParticipant[] = [];
async function boot(dataDir?: string, env: Record<string, string> = {}) {
  const s = await bootServer({ dataDir, env });
  started.push(s);
  return s;
}
async function join(server: BootedServer, worldId: string, name: string) {
  const p = await joinWorld(server.url, worldId, name);
  rooms.push(p);
  return p;
}
afterEach(async () => {
  for (const p of rooms.splice(0)) await p.room.leave().catch(() => undefined);
  for (const s of started.splice(0)) await s.stop({ kill: true });
});

describe('chat in a world', () => {
  it('CHAT-1, CHAT-2: passes what is said to everyone as text, keeps it through a restart, and shows it to whoever joins later', async () => {
    const first = await boot();
    const world = await createWorld(first.url, { name: 'Chatty', template: 'plaza' });
    const ann = await join(first, world.id, 'Ann');
    const bob = await join(first, world.id, 'Bob');
    const hostile = '<script>alert("x")</script> & ${process.exit(1)} 😀';
    ann.sendRaw('chat', { type: 'chat', text: hostile });
    ann.sendRaw('chat', { type: 'chat', text: 'second\r\nline' });
    await until('both messages at Bob', () => bob.chat.length === 2);
    expect(bob.chat.map((m) => [m.name, m.text, m.from])).toEqual([
      ['Ann', hostile, ann.room.sessionId],
      ['Ann', 'second\nline', ann.room.sessionId],
    ]);
    expect(ann.chat.map((m) => m.id)).toEqual(bob.chat.map((m) => m.id));
    // another world hears nothing of it
    const elsewhere = await createWorld(first.url, { name: 'Quiet', template: 'office' });
    const cat = await join(first, elsewhere.id, 'Cat');
    await settle();
    expect(cat.chat).toEqual([]);
    for (const p of rooms.splice(0)) await p.room.leave();
    await first.stop();

    const second = await boot(first.dataDir);
    const dan = await join(second, world.id, 'Dan');
    await until('the history', () => dan.chat.length === 2);
    expect(dan.chat.map((m) => m.text)).toEqual([hostile, 'second\nline']);
  });

  it('VOICE-5: hands each person the configured STUN/TURN servers on joining, none by default', async () => {
    const plain = await boot();
    const a = await join(plain, (await createWorld(plain.url)).id, 'Ann');
    await until('the voice config', () => a.voiceConfig !== null);
    expect(a.voiceConfig).toEqual({ iceServers: [] });
    const servers = [{ urls: 'turn:turn.lan:3478', username: 'dwc', credential: 'pw' }];
    const withTurn = await boot(undefined, { ICE_SERVERS: JSON.stringify(servers) });
    const b = await join(withTurn, (await createWorld(withTurn.url)).id, 'Bob');
    await until('the voice config', () => b.voiceConfig !== null);
    expect(b.voiceConfig).toEqual({ iceServers: servers });
  });

  it('CHAT-2: a world keeps only as much chat as it is configured to', async () => {
    const server = await boot(undefined, { CHAT_KEEP: '10', CHAT_RETENTION_DAYS: '1' });
    const world = await createWorld(server.url);
    // five people, so the per-person pace lets enough messages through at once
    const people = await Promise.all(['A', 'B', 'C', 'D', 'E'].map((n) => join(server, world.id, n)));
    let n = 0;
    for (const p of people) for (let i = 0; i < 5; i++) p.sendRaw('chat', { type: 'chat', text: `m${n++}` });
    await until('all 25 messages', () => people[0]!.chat.length === 25, 10_000);
    const late = await join(server, world.id, 'Late');
    await until('the history', () => late.chat.length > 0);
    await settle();
    // pruned on the way in, a few at a time: never more than the keep and one batch
    expect(late.chat.length).toBeGreaterThanOrEqual(10);
    expect(late.chat.length).toBeLessThanOrEqual(10 + 16);
    expect(late.chat.at(-1)!.text).toBe(people[0]!.chat.at(-1)!.text);
  });

  it('CHAT-3, CHAT-4: refuses a flood and malformed messages, passes reactions, and shows a raised hand', async () => {
    const server = await boot();
    const world = await createWorld(server.url);
    const ann = await join(server, world.id, 'Ann');
    const bob = await join(server, world.id, 'Bob');
    for (let i = 0; i < 12; i++) ann.sendRaw('chat', { type: 'chat', text: `flood ${i}` });
    for (const bad of [{ type: 'chat' }, { type: 'chat', text: 42 }, { type: 'chat', text: 'x'.repeat(5000) }, { type: 'chat', text: 'hi', html: '<b>' }, { type: 'react', reaction: '💣' }, { type: 'hand', raised: 'yes' }]) ann.sendRaw(bad.type, bad);
    bob.sendRaw('react', { type: 'react', reaction: 'heart' });
    bob.sendRaw('hand', { type: 'hand', raised: true });
    await until('the refusals', () => ann.errors.length >= 6 + 6);
    await until('the hand', () => (ann.room.state as any).participants.get(bob.room.sessionId)?.hand === true);
    await until('the reaction', () => ann.reactions.length === 1);
    await settle();
    expect(ann.errors.filter((e) => e.code === ErrorCode.CHAT_TOO_FAST)).toHaveLength(12 - 5);
    expect(ann.errors.filter((e) => e.code === ErrorCode.INVALID_INTENT)).toHaveLength(6);
    expect(bob.chat.map((m) => m.text)).toEqual([0, 1, 2, 3, 4].map((i) => `flood ${i}`));
    expect(ann.reactions).toEqual([{ from: bob.room.sessionId, reaction: 'heart' }]);
    // the server stays up and answers
    expect((await fetch(`${server.url}/api/v3/health`)).status).toBe(200);
  });
});
