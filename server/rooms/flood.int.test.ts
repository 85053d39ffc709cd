import { describe, expect, it } from 'vitest';
import { WorldClose, ErrorCode } from '../../shared/protocol';
import { createWorld, joinWorld, until } from '../testing/clients';
import { useServer } from '../testing/useServer';

const server = useServer({ env: { INTENT_RATE: '20' } });
const pose = (x: number) => ({ type: 'pose', head: [x, 1.6, 0, 0, 0, 0, 1], left: null, right: null });

describe('flooding', () => {
  it('drops a flooding client’s excess with a warning, then cuts it off, while others carry on', async () => {
    const world = await createWorld(server().url);
    const calm = await joinWorld(server().url, world.id, 'Calm');
    const flood = await joinWorld(server().url, world.id, 'Flood');
    flood.room.reconnection.enabled = false;
    let closedWith: number | undefined;
    flood.room.onLeave((code: number) => (closedWith = code));

    const stop = Date.now() + 6000;
    const timer = setInterval(() => {
      if (closedWith !== undefined || Date.now() > stop) return;
      for (let i = 0; i < 10; i++) flood.sendRaw('pose', pose(i % 5));
    }, 20);
    // the calm client keeps to the rate the whole time and is never refused
    const calmTimer = setInterval(() => calm.sendRaw('pose', pose(1)), 100);
    try {
      await until('the flooder to be cut off', () => closedWith !== undefined, 8000);
    } finally {
      clearInterval(timer);
      clearInterval(calmTimer);
    }
    expect(closedWith).toBe(WorldClose.FLOODING);
    expect(flood.errors.length).toBeGreaterThan(0);
    expect(flood.errors.every((e) => e.code === ErrorCode.RATE_LIMITED)).toBe(true);
    // warned about once a second, not once per dropped message
    expect(flood.errors.length).toBeLessThan(10);
    expect(calm.errors).toEqual([]);
    await until('the flooder to be gone from the world', () => (calm.room.state as any).participants.size === 1);
    calm.sendRaw('grab', { type: 'grab', docId: calm.docIds()[0] });
    await until('the room to still answer', () => calm.doc(calm.docIds()[0]!)?.heldBy === calm.room.sessionId);
    await calm.room.leave();
  });
});
