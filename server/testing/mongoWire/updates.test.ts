import { Binary } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { CommandError } from './errors';
import { applyUpdate, copyDoc, updateKind, upsertSeed } from './updates';

describe('mongo wire updates', () => {
  it('replaces everything but _id, and leaves the stored document untouched', () => {
    const stored = { _id: 'a', x: 1, nested: { y: 2 } };
    const next = applyUpdate(stored, { z: 3 }, false);
    expect(next).toEqual({ _id: 'a', z: 3 });
    expect(stored).toEqual({ _id: 'a', x: 1, nested: { y: 2 } });
    expect(Object.keys(applyUpdate(stored, { z: 3, _id: 'a' }, false))).toEqual(['_id', 'z']);
  });

  it('applies $set and $unset by dotted path, $inc, $min, $max and $push', () => {
    const stored = { _id: 'a', n: 5, lo: 3, lo2: 3, hi: 3, hi2: 3, tags: ['x'], deep: { a: 1, b: 2 } };
    const next = applyUpdate(stored, { $set: { 'deep.a': 10, 'new.path': true }, $unset: { 'deep.b': '' }, $inc: { n: -2, fresh: 4 }, $min: { lo: 1, lo2: 9 }, $max: { hi: 7, hi2: 0 }, $push: { tags: 'y' } }, false);
    expect(next).toEqual({ _id: 'a', n: 3, fresh: 4, lo: 1, lo2: 3, hi: 7, hi2: 3, tags: ['x', 'y'], deep: { a: 10 }, new: { path: true } });
    expect(stored.n).toBe(5);
  });

  it('sets $min and $max on a missing field, as the first value of a rollup', () => {
    expect(applyUpdate({ _id: 1 }, { $min: { min: 4 }, $max: { max: 4 } }, false)).toEqual({ _id: 1, min: 4, max: 4 });
  });

  it('applies $setOnInsert only to the document an upsert inserts', () => {
    const u = { $setOnInsert: { created: 1 }, $inc: { n: 1 } };
    expect(applyUpdate({ _id: 'k' }, u, true)).toEqual({ _id: 'k', created: 1, n: 1 });
    expect(applyUpdate({ _id: 'k', n: 1 }, u, false)).toEqual({ _id: 'k', n: 2 });
  });

  it('refuses to change _id, unknown operators and operators mixed with fields', () => {
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (err) {
        return err instanceof CommandError ? err.code : -1;
      }
      return 0;
    };
    expect(code(() => applyUpdate({ _id: 'a' }, { $set: { _id: 'b' } }, false))).toBe(66);
    expect(code(() => applyUpdate({ _id: 'a' }, { _id: 'b', x: 1 }, false))).toBe(66);
    expect(code(() => applyUpdate({ _id: 'a' }, { $frob: { x: 1 } }, false))).toBe(9);
    expect(code(() => applyUpdate({ _id: 'a' }, { $set: { x: 1 }, $inc: { x: 1 } }, false))).toBe(40);
    expect(code(() => updateKind({ $set: { x: 1 }, y: 2 }))).toBe(9);
    // setting _id to what it is changes nothing; an upsert may choose it
    expect(applyUpdate({ _id: 'a', x: 1 }, { $set: { _id: 'a', x: 2 } }, false)).toEqual({ _id: 'a', x: 2 });
    expect(applyUpdate({ k: 1 }, { $setOnInsert: { _id: 'new' } }, true)).toEqual({ _id: 'new', k: 1 });
    expect(code(() => updateKind([{ $set: { x: 1 } }]))).toBe(2);
    expect(updateKind({})).toBe('replacement');
  });

  it('seeds an upsert from the filter\'s equalities; a replacement takes only _id', () => {
    const filter = { _id: 'p', 'a.b': 2, c: { $eq: 3 }, d: { $gt: 1 }, $and: [{ e: 'x' }], $expr: { $lt: ['$u', '$m'] }, r: /re/ };
    expect(upsertSeed(filter, 'operators')).toEqual({ _id: 'p', a: { b: 2 }, c: 3, e: 'x' });
    expect(upsertSeed(filter, 'replacement')).toEqual({ _id: 'p' });
    expect(upsertSeed({ d: 'x', m: 'y', t: 5 }, 'replacement')).toEqual({});
  });

  it('copies documents through BSON, binary data byte for byte', () => {
    const bytes = Buffer.from([0, 1, 2, 253, 254, 255]);
    const doc = { _id: 'b', data: new Binary(bytes), at: new Date(5), list: [{ x: 1 }] };
    const copy = copyDoc(doc);
    expect(copy).not.toBe(doc);
    expect(copy.list).not.toBe(doc.list);
    expect(Buffer.from(copy.data.buffer).equals(bytes)).toBe(true);
    expect(copy.at).toEqual(new Date(5));
  });
});
