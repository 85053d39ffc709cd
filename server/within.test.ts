import { describe, expect, it } from 'vitest';
import { within } from './within';

describe('within', () => {
  it('answers with the work when it settles in time, and with the fallback when it does not', async () => {
    expect(await within(Promise.resolve(7), 50, null)).toBe(7);
    expect(await within(new Promise<number>((r) => setTimeout(() => r(7), 200)), 20, null)).toBeNull();
  });

  it('passes on a rejection in time, and swallows one that comes after the time is up', async () => {
    await expect(within(Promise.reject(new Error('down')), 50, null)).rejects.toThrow('down');
    const lateFailure = new Promise<number>((_, reject) => setTimeout(() => reject(new Error('late')), 30));
    expect(await within(lateFailure, 5, 'late')).toBe('late');
    await new Promise((r) => setTimeout(r, 50));
  });
});
