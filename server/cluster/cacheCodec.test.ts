import { describe, expect, it } from 'vitest';
import { decodeValue, encodeValue } from './cacheCodec';

describe('cache codec', () => {
  it('stores a small value as it is', async () => {
    const json = JSON.stringify({ summary: 'short', labels: ['a'] });
    const stored = await encodeValue(json, 8 * 1024);
    expect(stored.subarray(1).toString('utf8')).toBe(json);
    expect(await decodeValue(stored)).toBe(json);
  });

  it('compresses a large value and reads it back exactly, non-ASCII included', async () => {
    const json = JSON.stringify({ text: 'Grüße, 世界 — '.repeat(2000) });
    const stored = await encodeValue(json, 8 * 1024);
    expect(stored.length).toBeLessThan(Buffer.byteLength(json) / 10);
    expect(await decodeValue(stored)).toBe(json);
  });

  it('refuses bytes it did not write', async () => {
    await expect(decodeValue(Buffer.from('{"not":"ours"}'))).rejects.toThrow(/neither plain .* nor gzip/);
    await expect(decodeValue(Buffer.alloc(0))).rejects.toThrow(/byte none/);
  });
});
