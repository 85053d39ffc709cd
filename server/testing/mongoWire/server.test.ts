import { connect } from 'node:net';
import { BSON, MongoBulkWriteError, MongoClient, MongoServerError, type Document } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeMsgRequest, FrameReader, OP } from './protocol';
import { startMongoWire, type MongoWire } from './server';

let wire: MongoWire;
let client: MongoClient;
beforeAll(async () => {
  wire = await startMongoWire();
  client = new MongoClient(`${wire.uri}wiretest`, { serverSelectionTimeoutMS: 2000 });
  await client.connect();
});
afterAll(async () => {
  await client.close();
  await wire.close();
});

/** Sends raw bytes; resolves with the reply documents, or 'closed' when the server hangs up first. */
function raw(bytes: Buffer, replies = 1): Promise<Document[] | 'closed'> {
  return new Promise((resolve, reject) => {
    const socket = connect(wire.port, '127.0.0.1');
    const reader = new FrameReader();
    const docs: Document[] = [];
    socket.on('error', reject);
    socket.on('close', () => resolve(docs.length >= replies ? docs : 'closed'));
    socket.on('data', (chunk: Buffer) => {
      for (const frame of reader.push(chunk)) {
        const opCode = frame.readInt32LE(12);
        docs.push(BSON.deserialize(frame.subarray(opCode === OP.msg ? 21 : 36)));
      }
      if (docs.length >= replies) socket.end();
    });
    socket.write(bytes);
  });
}

describe('mongo wire stand-in over TCP', () => {
  it('answers an unknown command with CommandNotFound and carries on', async () => {
    expect(await raw(encodeMsgRequest({ frobnicate: 1, $db: 'x' }, 1))).toEqual([{ ok: 0, errmsg: "no such command: 'frobnicate'", code: 59, codeName: 'CommandNotFound' }]);
    await expect(client.db().command({ frobnicate: 1 })).rejects.toMatchObject({ code: 59 });
    expect(await client.db().command({ ping: 1 })).toEqual({ ok: 1 });
  });

  it('closes a connection that sends an oversized, undersized or malformed frame, and only that one', async () => {
    const huge = Buffer.alloc(16);
    huge.writeInt32LE(48_000_001, 0);
    expect(await raw(huge)).toBe('closed');
    const tiny = Buffer.alloc(16);
    tiny.writeInt32LE(8, 0);
    expect(await raw(tiny)).toBe('closed');
    const garbled = encodeMsgRequest({ ping: 1, $db: 'x' }, 1);
    garbled.writeInt32LE(9999, 21); // the body's document size
    expect(await raw(garbled)).toBe('closed');
    expect(await client.db().command({ ping: 1 })).toEqual({ ok: 1 });
  });

  it('answers a legacy OP_QUERY hello as a writable standalone, and nothing else over OP_QUERY', async () => {
    const opQuery = (query: Document) => {
      const body = Buffer.concat([Buffer.alloc(4), Buffer.from('admin.$cmd\0'), Buffer.alloc(8), Buffer.from(BSON.serialize(query))]);
      const header = Buffer.alloc(16);
      header.writeInt32LE(16 + body.length, 0);
      header.writeInt32LE(OP.query, 12);
      return Buffer.concat([header, body]);
    };
    const [hello] = (await raw(opQuery({ isMaster: 1, helloOk: true }))) as Document[];
    expect(hello).toMatchObject({ ismaster: true, helloOk: true, maxWireVersion: 21, ok: 1 });
    const [other] = (await raw(opQuery({ find: 'c' }))) as Document[];
    expect(other).toMatchObject({ ok: 0, code: 352 });
  });

  it('sends no reply to a moreToCome (unacknowledged) write, but makes it', async () => {
    const quiet = encodeMsgRequest({ insert: 'quiet', $db: 'wiretest' }, 1, { documents: [{ _id: 'q' }] }, 2);
    const ping = encodeMsgRequest({ ping: 1, $db: 'x' }, 2);
    expect(await raw(Buffer.concat([quiet, ping]))).toEqual([{ ok: 1 }]);
    expect(await client.db().collection('quiet').findOne({ _id: 'q' as never })).toEqual({ _id: 'q' });
  });

  it('enforces compound, sparse and partial unique indexes with E11000', async () => {
    const c = client.db().collection<Document>('uniq');
    await c.createIndex({ a: 1, b: 1 }, { unique: true });
    await c.insertMany([{ a: 1, b: 1 }, { a: 1, b: 2 }, { a: 2 }]);
    const err = await c.insertOne({ a: 1, b: 2 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MongoServerError);
    expect(err).toMatchObject({ code: 11000, keyPattern: { a: 1, b: 1 }, keyValue: { a: 1, b: 2 } });
    expect((err as Error).message).toBe('E11000 duplicate key error collection: wiretest.uniq index: a_1_b_1 dup key: { a: 1, b: 2 }');
    // a missing field is indexed as null: a second document without b collides
    await expect(c.insertOne({ a: 2 })).rejects.toMatchObject({ code: 11000, keyValue: { a: 2, b: null } });
    await expect(c.updateOne({ a: 1, b: 1 }, { $set: { b: 2 } })).rejects.toMatchObject({ code: 11000 });
    const sparse = client.db().collection<Document>('uniq_sparse');
    await sparse.createIndex({ s: 1 }, { unique: true, sparse: true });
    await sparse.insertMany([{ x: 1 }, { x: 2 }, { s: 1 }]);
    await expect(sparse.insertOne({ s: 1 })).rejects.toMatchObject({ code: 11000 });
    const partial = client.db().collection<Document>('uniq_partial');
    await partial.createIndex({ p: 1 }, { unique: true, partialFilterExpression: { live: true } });
    await partial.insertMany([{ p: 1 }, { p: 1 }, { p: 1, live: true }]);
    await expect(partial.insertOne({ p: 1, live: true })).rejects.toMatchObject({ code: 11000 });
    // a unique index that the data already breaks is refused
    await expect(partial.createIndex({ p: 1 }, { unique: true, name: 'p_all' })).rejects.toMatchObject({ code: 11000 });
  });

  it('reports ordered and unordered bulk writes as the server does', async () => {
    const c = client.db().collection<{ _id: number; k?: number; n?: number; r?: number }>('bulk');
    const ordered = (await c.insertMany([{ _id: 1 }, { _id: 1 }, { _id: 2 }]).catch((e: unknown) => e)) as MongoBulkWriteError;
    expect(ordered).toBeInstanceOf(MongoBulkWriteError);
    expect(ordered.result.insertedCount).toBe(1);
    expect(await c.countDocuments()).toBe(1);
    const unordered = (await c
      .bulkWrite(
        [
          { insertOne: { document: { _id: 1 } } },
          { insertOne: { document: { _id: 3 } } },
          { updateOne: { filter: { _id: 9 }, update: { $setOnInsert: { k: 1 }, $inc: { n: 1 } }, upsert: true } },
          { updateOne: { filter: { _id: 9 }, update: { $setOnInsert: { k: 2 }, $inc: { n: 1 } }, upsert: true } },
          { replaceOne: { filter: { _id: 3 }, replacement: { r: 1 } } },
          { deleteOne: { filter: { _id: 2 } } },
        ],
        { ordered: false },
      )
      .catch((e: unknown) => e)) as MongoBulkWriteError;
    expect(unordered.writeErrors).toHaveLength(1);
    expect(unordered.result).toMatchObject({ insertedCount: 1, matchedCount: 2, modifiedCount: 2, upsertedCount: 1, deletedCount: 0 });
    expect(await c.findOne({ _id: 9 })).toEqual({ _id: 9, k: 1, n: 2 });
    expect(await c.findOne({ _id: 3 })).toEqual({ _id: 3, r: 1 });
  });

  it('pages a large result through getMore, with sort, skip, limit and projection', async () => {
    const c = client.db().collection<Document>('paged');
    await c.insertMany(Array.from({ length: 300 }, (_, i) => ({ i, odd: i % 2 === 1, pad: 'x'.repeat(10) })));
    const docs = await c.find({ odd: true }, { projection: { _id: 0, i: 1 }, batchSize: 13 }).sort({ i: -1 }).skip(5).limit(120).toArray();
    expect(docs).toHaveLength(120);
    expect(docs[0]).toEqual({ i: 289 });
    expect(docs.at(-1)).toEqual({ i: 51 });
    expect(await c.countDocuments({ odd: true }, { skip: 10, limit: 50 })).toBe(50);
    expect((await c.distinct('odd')).sort()).toEqual([false, true]);
    expect(await c.aggregate([{ $match: { i: { $lt: 10 } } }, { $group: { _id: '$odd', n: { $sum: 1 } } }, { $sort: { _id: 1 } }]).toArray()).toEqual([
      { _id: false, n: 5 },
      { _id: true, n: 5 },
    ]);
  });

  it('refuses transactions as a standalone server does', async () => {
    const session = client.startSession();
    try {
      await expect(session.withTransaction(() => client.db().collection('tx').insertOne({ a: 1 }, { session }))).rejects.toThrow(/retryable writes|replica set/);
    } finally {
      await session.endSession();
    }
  });
});
