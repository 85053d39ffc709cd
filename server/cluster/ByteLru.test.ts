import { describe, expect, it } from 'vitest';
import { ByteLru } from './ByteLru';

describe('ByteLru', () => {
  it('evicts the least recently used first when the entry bound is reached', () => {
    const lru = new ByteLru(3, 1000);
    lru.set('a', '1');
    lru.set('b', '2');
    lru.set('c', '3');
    expect(lru.get('a')).toBe('1'); // a is now the most recent
    lru.set('d', '4');
    expect(lru.keys()).toEqual(['c', 'a', 'd']);
    expect(lru.get('b')).toBeUndefined();
    expect(lru.size).toBe(3);
  });

  it('evicts as many old entries as it takes to stay within the byte bound', () => {
    const lru = new ByteLru(100, 10);
    lru.set('a', 'xxx');
    lru.set('b', 'yyy');
    lru.set('c', 'zzz');
    expect(lru.bytes).toBe(9);
    lru.set('d', 'wwwwwww'); // 7 bytes: a and b must go
    expect(lru.keys()).toEqual(['c', 'd']);
    expect(lru.bytes).toBe(10);
  });

  it('counts bytes as UTF-8, not as characters', () => {
    const lru = new ByteLru(10, 4);
    expect(lru.set('euro', '€€')).toBe(false); // 6 bytes
    expect(lru.set('e', '€')).toBe(true); // 3 bytes
    expect(lru.bytes).toBe(3);
  });

  it('refuses a value larger than the whole bound and drops what that key held before', () => {
    const lru = new ByteLru(10, 5);
    lru.set('k', 'old');
    lru.set('other', 'ok');
    expect(lru.set('k', 'far too long')).toBe(false);
    expect(lru.get('k')).toBeUndefined();
    expect(lru.keys()).toEqual(['other']);
    expect(lru.bytes).toBe(2);
  });

  it('replacing a key updates its bytes and makes it the most recent', () => {
    const lru = new ByteLru(10, 100);
    lru.set('a', '12345');
    lru.set('b', '1');
    lru.set('a', '12');
    expect(lru.keys()).toEqual(['b', 'a']);
    expect(lru.bytes).toBe(3);
  });

  it('says what is wrong with bounds that hold nothing', () => {
    expect(() => new ByteLru(0, 10)).toThrow(/at least one entry/);
  });
});
