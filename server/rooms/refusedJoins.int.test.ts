/**
 * A refused join must cost the person who tried it a clear refusal, and nothing else. Once the
 * embedded chain has been used, a refused join once left a rejected promise nobody handled, and the
 * whole server exited without a word: anyone could end every world with a join that has no name.
 */
import { Client } from '@colyseus/sdk';
import { describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, WORLD_ROOM } from '../../shared/protocol';
import { createWorld, joinWorld, uploadMarkdown } from '../testing/clients';
import { useServer } from '../testing/useServer';

const server = useServer();

const uploadNote = (worldId: string): Promise<string> => uploadMarkdown(server().url, worldId, 'note.md', '# Note\n\nKeep it.');

/** A join the room refuses in onJoin; resolves with the refusal's message. */
async function refusedJoin(options: Record<string, unknown>): Promise<string> {
  const joined = new Client(server().url).joinOrCreate(WORLD_ROOM, options);
  const err = await joined.then(
    async (room) => {
      await room.leave();
      throw new Error(`the join was accepted: ${JSON.stringify(options)}`);
    },
    (e: unknown) => e as Error,
  );
  return err.message;
}

describe('refused joins after the chain has been used', () => {
  it('are refused with a reason, and the server goes on serving', { timeout: 90_000 }, async () => {
    const world = await createWorld(server().url);
    const doc = await uploadNote(world.id);
    const verified = await fetch(`${server().url}/api/v3/blockchain/verify/${doc}`);
    expect(verified.status).toBe(200);
    // someone is in the world already: the room stays open across the refusals
    const first = await joinWorld(server().url, world.id, 'First');

    const base = { protocol: PROTOCOL_VERSION, worldId: world.id };
    expect(await refusedJoin({ ...base, name: '' })).toMatch(/name/i);
    expect(await refusedJoin({ ...base, name: '\u0001\u0002' })).toMatch(/name/i);
    expect(await refusedJoin({ ...base, name: 'Old tab', protocol: PROTOCOL_VERSION - 1 })).toMatch(/protocol/i);
    // the rejections are noticed on the next turns of the event loop
    await new Promise((r) => setTimeout(r, 500));

    const health = await fetch(`${server().url}/api/v3/health`);
    expect(health.status).toBe(200);
    const second = await joinWorld(server().url, world.id, 'Second');
    expect(second.room.sessionId).toBeTruthy();
    expect(server().output()).not.toMatch(/unhandled|carrying on/i);
    await second.room.leave();
    await first.room.leave();
  });
});
