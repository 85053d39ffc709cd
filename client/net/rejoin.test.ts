import { describe, expect, it } from 'vitest';
import { CloseCode } from '@colyseus/core';
import { WorldClose } from '../../shared/protocol';
import { JoinError } from './session';
import { MAX_REJOIN_DELAY_MS, connectionEnd, isFinalRefusal, keepTrying, rejoinDelay } from './rejoin';

describe('connectionEnd', () => {
  it('sends a person away only for the server\'s own reasons, with the reason it gave', () => {
    expect(connectionEnd(WorldClose.REMOVED, 'The owner removed you from "Studio".')).toEqual({ kind: 'final', message: 'The owner removed you from "Studio".' });
    expect(connectionEnd(WorldClose.SIGNED_OUT, '')).toMatchObject({ kind: 'final', message: expect.stringMatching(/sign-in has ended/) });
    expect(connectionEnd(WorldClose.FLOODING, '')).toMatchObject({ kind: 'final' });
  });

  it('rejoins after a restart, a shutdown or a failed reconnection: none of them is a removal', () => {
    for (const code of [CloseCode.SERVER_SHUTDOWN, CloseCode.FAILED_TO_RECONNECT, CloseCode.WITH_ERROR, CloseCode.MAY_TRY_RECONNECT, CloseCode.ABNORMAL_CLOSURE, CloseCode.CONSENTED]) {
      expect(connectionEnd(code, 'No more retries. Reconnection failed.'), String(code)).toEqual({ kind: 'rejoin' });
    }
  });
});

describe('isFinalRefusal', () => {
  it('gives up on refusals that trying again cannot change, and keeps trying while the server is away', () => {
    expect(isFinalRefusal(new JoinError('WORLD_NOT_FOUND', 'gone'))).toBe(true);
    expect(isFinalRefusal(new JoinError('FORBIDDEN', 'private'))).toBe(true);
    expect(isFinalRefusal(new JoinError('NETWORK', 'Cannot reach the world server.'))).toBe(false);
    expect(isFinalRefusal(new JoinError('WORLD_FULL', 'full'))).toBe(false);
  });
});

describe('rejoinDelay', () => {
  it('doubles from one second up to thirty', () => {
    const middle = () => 0.5;
    expect([1, 2, 3, 4, 5, 6, 7, 20].map((n) => rejoinDelay(n, middle))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });

  it('spreads tabs apart by up to a fifth either way, never past the cap', () => {
    expect(rejoinDelay(3, () => 0)).toBe(3200);
    expect(rejoinDelay(3, () => 0.999999)).toBe(4800);
    expect(rejoinDelay(9, () => 0.999999)).toBe(MAX_REJOIN_DELAY_MS);
  });
});

describe('keepTrying', () => {
  const noWait = { wait: async () => undefined, delay: () => 0 };

  it('tries until an attempt works, waiting the growing delay before each', async () => {
    const waits: number[] = [];
    let calls = 0;
    const result = await keepTrying({
      attempt: async () => {
        if (++calls < 4) throw new JoinError('NETWORK', 'down');
        return 'in';
      },
      isFinal: () => false,
      cancelled: () => false,
      delay: (n) => n * 10,
      wait: async (ms) => void waits.push(ms),
    });
    expect(result).toBe('in');
    expect(waits).toEqual([10, 20, 30, 40]);
  });

  it('stops at a final refusal and passes it on', async () => {
    const refusal = new JoinError('WORLD_NOT_FOUND', 'gone');
    await expect(keepTrying({ ...noWait, attempt: async () => Promise.reject(refusal), isFinal: (e) => e === refusal, cancelled: () => false })).rejects.toBe(refusal);
  });

  it('stops quietly once the page is gone', async () => {
    let calls = 0;
    let gone = false;
    const result = await keepTrying({
      ...noWait,
      attempt: async () => {
        calls++;
        gone = true;
        throw new JoinError('NETWORK', 'down');
      },
      isFinal: () => false,
      cancelled: () => gone,
    });
    expect(result).toBeNull();
    expect(calls).toBe(1);
  });
});
