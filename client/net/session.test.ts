import { describe, expect, it } from 'vitest';
import { describeJoinError } from './session';

describe('describeJoinError', () => {
  it('splits the server refusal into its code and the message for the person', () => {
    const e = describeJoinError(new Error('WORLD_FULL: "Review" is full (2 people). Try again later.'));
    expect(e.code).toBe('WORLD_FULL');
    expect(e.message).toBe('"Review" is full (2 people). Try again later.');
  });

  it('explains an unreachable server instead of showing a raw network error', () => {
    for (const raw of [new TypeError('Failed to fetch'), new Error(''), 'NetworkError when attempting to fetch resource.']) {
      const e = describeJoinError(raw);
      expect(e.code).toBe('NETWORK');
      expect(e.message).toMatch(/Cannot reach the world server/);
    }
  });

  it('passes any other message through', () => {
    expect(describeJoinError(new Error('something odd')).message).toBe('something odd');
  });
});
