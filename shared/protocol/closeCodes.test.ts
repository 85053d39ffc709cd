import { CloseCode } from '@colyseus/core';
import { describe, expect, it } from 'vitest';
import { WorldClose } from './index';

describe('the world server close codes', () => {
  it('never mean something Colyseus already uses a code for', () => {
    const theirs = new Set<number>(Object.values(CloseCode));
    for (const [name, code] of Object.entries(WorldClose)) expect(theirs.has(code), `${name} = ${code}`).toBe(false);
  });

  it('are distinct and in the private range kept for them', () => {
    const ours = Object.values(WorldClose);
    expect(new Set(ours).size).toBe(ours.length);
    for (const code of ours) expect(code >= 4900 && code <= 4999, String(code)).toBe(true);
  });
});
