/**
 * Leaving on purpose and losing the connection are different: a participant who leaves is gone at
 * once and keeps no seat; one whose connection dropped stays a while, shown as not connected.
 */
import { Client } from '@colyseus/sdk';
import { describe, expect, it } from 'vitest';
import { useServer } from '../testing/useServer';
import { createWorld, joinWorld, until } from '../testing/clients';

const server = useServer();

describe('leaving a world', () => {
  it('SYNC-2: removes someone who leaves on purpose at once, never showing them as away, and holds no seat', async () => {
    const world = await createWorld(server().url);
    const ann = await joinWorld(server().url, world.id, 'Ann');
    const bob = await joinWorld(server().url, world.id, 'Bob');
    const annId = ann.room.sessionId;
    const token = ann.room.reconnectionToken;
    const seenAway: boolean[] = [];
    bob.room.onStateChange((state: any) => {
      if (state.participants.get(annId)?.connected === false) seenAway.push(true);
    });
    await ann.room.leave(true);
    await until('Ann to be gone', () => !(bob.room.state as any).participants.has(annId), 2000);
    expect(seenAway, 'Ann never showed as away').toEqual([]);
    await expect(new Client(server().url).reconnect(token)).rejects.toThrow();
    await bob.room.leave();
  });

  it('HOLD-4: keeps someone whose connection dropped, as not connected, until they come back or their time runs out', async () => {
    const world = await createWorld(server().url);
    const ann = await joinWorld(server().url, world.id, 'Ann');
    const bob = await joinWorld(server().url, world.id, 'Bob');
    ann.room.reconnection.enabled = false;
    ann.room.connection.close(1001, 'tab closed');
    await until('Ann to show as away', () => (bob.room.state as any).participants.get(ann.room.sessionId)?.connected === false);
    await bob.room.leave();
  });
});
