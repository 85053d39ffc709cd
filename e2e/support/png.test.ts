import { describe, expect, it } from 'vitest';
import { makePng } from '../../server/testing/fixtures';
import { colourStats, decodePng } from './png';

describe('decodePng', () => {
  it('decodes a generated gradient into varied RGBA pixels', () => {
    const image = decodePng(makePng(64, 32));
    expect(image.width).toBe(64);
    expect(image.height).toBe(32);
    expect(image.pixels).toHaveLength(64 * 32 * 4);
    const stats = colourStats(image);
    expect(stats.distinct).toBeGreaterThan(10);
    expect(stats.dominantShare).toBeLessThan(0.5);
  });

  it('refuses something that is not a PNG', () => {
    expect(() => decodePng(Buffer.from('hello'))).toThrow(/not a PNG/);
  });
});
