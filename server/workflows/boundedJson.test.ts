import { describe, expect, it } from 'vitest';
import { boundedJsonObject, jsonDepth } from './boundedJson';

describe('bounded JSON input', () => {
  it('measures depth without recursing, so a very deep value cannot overflow the stack', () => {
    const deep = JSON.parse(`${'['.repeat(100_000)}1${']'.repeat(100_000)}`);
    expect(jsonDepth(deep, 16)).toBe(17);
    expect(jsonDepth({ a: [1, { b: 2 }] }, 16)).toBe(3);
    expect(jsonDepth('plain', 16)).toBe(0);
  });

  it('takes objects within the bounds and refuses deeper or larger ones with the reason', () => {
    const schema = boundedJsonObject(3, 100);
    expect(schema.safeParse({ a: { b: [1] } }).success).toBe(true);
    expect(schema.safeParse({ a: { b: [[1]] } }).error?.issues[0]?.message).toBe('nests deeper than 3 levels of objects and arrays');
    expect(schema.safeParse({ a: 'x'.repeat(200) }).error?.issues[0]?.message).toMatch(/bytes as JSON; at most 100/);
  });
});
