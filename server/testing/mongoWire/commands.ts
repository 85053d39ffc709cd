/**
 * The stand-in's databases and the commands it answers. `run` never throws: a failing command is
 * `{ ok: 0, errmsg, code, codeName }`, an unknown one `CommandNotFound` (59), as on the server.
 * Session and topology fields (`lsid`, `txnNumber`, `$clusterTime`, read/write concerns,
 * `apiVersion`) are accepted and ignored: there is one in-memory copy, always durable enough.
 */
import type { Document } from 'mongodb';
import { Collection, type IndexSpec } from './collection';
import { Cursors } from './cursors';
import { CommandError } from './errors';
import { MAX_BSON_OBJECT_BYTES, MAX_MESSAGE_BYTES } from './protocol';
import { aggregateDocs, countDocs, distinctValues, findDocs } from './reads';
import { findAndModify, insert, remove, update } from './writes';

/** What the stand-in reports as its server version: 7.0, wire version 21 (driver 7 needs at least 9). */
const WIRE_VERSION = 21;
const VERSION = '7.0.0';
const DB_NAME = /^[^/\\. "$*<>:|?\0]{1,63}$/;

interface Call {
  name: string;
  body: Document;
  db: string;
  connectionId: number;
}

type Handler = (engine: MongoEngine, call: Call) => Document;

export class MongoEngine {
  private readonly dbs = new Map<string, Map<string, Collection>>();
  readonly cursors = new Cursors();

  constructor(private readonly onUnknownCommand?: (name: string) => void) {}

  /** Runs one command against database `db`. */
  run(body: Document, db: unknown, connectionId: number): Document {
    const name = Object.keys(body)[0] ?? '';
    try {
      if (typeof db !== 'string') throw new CommandError(40571, 'Location40571', 'OP_MSG requests require a $db argument');
      if (!DB_NAME.test(db)) throw new CommandError(73, 'InvalidNamespace', `Invalid database name: '${db}'`);
      const handler = HANDLERS.get(name);
      if (!handler) {
        this.onUnknownCommand?.(name);
        throw new CommandError(59, 'CommandNotFound', `no such command: '${name}'`);
      }
      // a transaction needs a replica set; a standalone server refuses one in the same words
      if (body.startTransaction !== undefined || body.autocommit !== undefined) throw noTransactions();
      return handler(this, { name, body, db, connectionId });
    } catch (err) {
      if (err instanceof CommandError) return err.toReply();
      return { ok: 0, errmsg: `${name}: ${(err as Error)?.message ?? String(err)}`, code: 2, codeName: 'BadValue' };
    }
  }

  collection(db: string, name: unknown, create: boolean): Collection | undefined {
    if (typeof name !== 'string' || !name || name.includes('\0') || name.startsWith('$') || name.startsWith('.') || name.endsWith('.')) {
      throw new CommandError(73, 'InvalidNamespace', `Invalid namespace specified '${db}.${String(name)}'`);
    }
    let colls = this.dbs.get(db);
    if (!colls) {
      if (!create) return undefined;
      colls = new Map();
      this.dbs.set(db, colls);
    }
    let coll = colls.get(name);
    if (!coll && create) {
      coll = new Collection(db, name);
      colls.set(name, coll);
    }
    return coll;
  }

  collections(db: string): Collection[] {
    return [...(this.dbs.get(db)?.values() ?? [])];
  }

  dropCollection(db: string, name: string): Collection | undefined {
    const coll = this.dbs.get(db)?.get(name);
    this.dbs.get(db)?.delete(name);
    return coll;
  }

  dropDatabase(db: string): void {
    this.dbs.delete(db);
  }

  databases(): string[] {
    return [...this.dbs.keys()];
  }
}

function hello(_engine: MongoEngine, call: Call): Document {
  return {
    ...(call.name === 'hello' ? { isWritablePrimary: true } : { ismaster: true }),
    helloOk: true,
    // no topologyVersion: the driver then polls, rather than streaming hello with exhaust
    maxBsonObjectSize: MAX_BSON_OBJECT_BYTES,
    maxMessageSizeBytes: MAX_MESSAGE_BYTES,
    maxWriteBatchSize: 100_000,
    localTime: new Date(),
    logicalSessionTimeoutMinutes: 30,
    connectionId: call.connectionId,
    minWireVersion: 0,
    maxWireVersion: WIRE_VERSION,
    readOnly: false,
    ok: 1,
  };
}

const ok = (): Document => ({ ok: 1 });
const buildInfo = (): Document => ({ version: VERSION, versionArray: [7, 0, 0, 0], gitVersion: 'mongo-wire-stand-in', bits: 64, maxBsonObjectSize: MAX_BSON_OBJECT_BYTES, storageEngines: ['memory'], ok: 1 });
const noTransactions = () => new CommandError(20, 'IllegalOperation', 'Transaction numbers are only allowed on a replica set member or mongos');
const target = (e: MongoEngine, c: Call, create = false) => e.collection(c.db, c.body[c.name], create);
const batchSize = (cursor: unknown): number | undefined => (cursor && typeof cursor === 'object' ? ((cursor as Document).batchSize as number | undefined) : undefined);

function createIndexes(e: MongoEngine, c: Call): Document {
  if (!Array.isArray(c.body.indexes)) throw new CommandError(14, 'TypeMismatch', "BSON field 'createIndexes.indexes' is missing but a required field");
  const existed = e.collection(c.db, c.body.createIndexes, false) !== undefined;
  const coll = e.collection(c.db, c.body.createIndexes, true)!;
  const before = coll.indexes().length;
  for (const raw of c.body.indexes as Document[]) {
    if (!raw?.key || typeof raw.key !== 'object' || !Object.keys(raw.key as Document).length || typeof raw.name !== 'string') throw new CommandError(9, 'FailedToParse', 'an index needs a key document and a name');
    coll.createIndex({ ...raw, v: 2, key: raw.key as Document, name: raw.name } as IndexSpec);
  }
  const after = coll.indexes().length;
  return { numIndexesBefore: before, numIndexesAfter: after, createdCollectionAutomatically: !existed, ...(after === before ? { note: 'all indexes already exist' } : {}), ok: 1 };
}

function dropIndexes(e: MongoEngine, c: Call): Document {
  const coll = target(e, c);
  if (!coll) throw new CommandError(26, 'NamespaceNotFound', `ns not found ${c.db}.${String(c.body.dropIndexes)}`);
  const before = coll.indexes().length;
  const which = c.body.index;
  const names = which === '*' ? coll.indexes().map((i) => i.name).filter((n) => n !== '_id_') : typeof which === 'string' ? [which] : coll.indexes().filter((i) => JSON.stringify(i.key) === JSON.stringify(which)).map((i) => i.name);
  if (!names.length && which !== '*') throw new CommandError(27, 'IndexNotFound', `index not found with name [${String(which)}]`);
  for (const name of names) if (!coll.dropIndex(name)) throw new CommandError(27, 'IndexNotFound', `index not found with name [${name}]`);
  return { nIndexesWas: before, ok: 1 };
}

function listCollections(e: MongoEngine, c: Call): Document {
  const all = e.collections(c.db).map((coll) => ({ name: coll.name, type: 'collection', options: {}, info: { readOnly: false }, idIndex: { v: 2, key: { _id: 1 }, name: '_id_' } }));
  const filter = (c.body.filter ?? {}) as Document;
  const scratch = new Collection(c.db, '$cmd.listCollections');
  all.forEach((d) => scratch.insert({ _id: d.name, ...d }));
  const docs = scratch.match(filter).map(({ _id, ...d }) => (c.body.nameOnly ? { name: d.name, type: d.type } : d));
  return e.cursors.first(`${c.db}.$cmd.listCollections`, docs, batchSize(c.body.cursor));
}

const HANDLERS = new Map<string, Handler>([
  ['hello', hello],
  ['isMaster', hello],
  ['ismaster', hello],
  ['ping', ok],
  ['buildInfo', buildInfo],
  ['buildinfo', buildInfo],
  ['endSessions', ok],
  ['killSessions', ok],
  ['abortTransaction', () => {
    throw noTransactions();
  }],
  ['commitTransaction', () => {
    throw noTransactions();
  }],
  ['getMore', (e, c) => e.cursors.more(c.body.getMore, c.body.collection, c.body.batchSize as number | undefined)],
  ['killCursors', (e, c) => e.cursors.kill(Array.isArray(c.body.cursors) ? (c.body.cursors as unknown[]) : [])],
  ['dropDatabase', (e, c) => {
    e.dropDatabase(c.db);
    return { dropped: c.db, ok: 1 };
  }],
  ['drop', (e, c) => {
    const gone = target(e, c) && e.dropCollection(c.db, c.body.drop as string);
    return gone ? { nIndexesWas: gone.indexes().length, ns: gone.ns, ok: 1 } : { ok: 1 };
  }],
  ['create', (e, c) => {
    if (target(e, c)) throw new CommandError(48, 'NamespaceExists', `Collection ${c.db}.${String(c.body.create)} already exists.`);
    target(e, c, true);
    return { ok: 1 };
  }],
  ['listDatabases', (e) => ({ databases: e.databases().map((name) => ({ name, sizeOnDisk: 0, empty: false })), totalSize: 0, ok: 1 })],
  ['listCollections', listCollections],
  ['listIndexes', (e, c) => {
    const coll = target(e, c);
    if (!coll) throw new CommandError(26, 'NamespaceNotFound', `ns does not exist: ${c.db}.${String(c.body.listIndexes)}`);
    return e.cursors.first(coll.ns, coll.indexes(), batchSize(c.body.cursor));
  }],
  ['createIndexes', createIndexes],
  ['dropIndexes', dropIndexes],
  ['find', (e, c) => {
    const coll = target(e, c);
    const { docs, singleBatch } = findDocs(coll, c.body);
    return e.cursors.first(`${c.db}.${String(c.body.find)}`, docs, c.body.batchSize as number | undefined, singleBatch);
  }],
  ['aggregate', (e, c) => {
    if (c.body.explain) throw new CommandError(2, 'BadValue', 'explain is not supported by the stand-in');
    if (!c.body.cursor || typeof c.body.cursor !== 'object') throw new CommandError(9, 'FailedToParse', "The 'cursor' option is required, except for aggregate with the explain argument");
    const docs = aggregateDocs(target(e, c), c.body, (name) => e.collection(c.db, name, false)?.all() ?? []);
    return e.cursors.first(`${c.db}.${String(c.body.aggregate)}`, docs, batchSize(c.body.cursor));
  }],
  ['count', (e, c) => ({ n: countDocs(target(e, c), c.body), ok: 1 })],
  ['distinct', (e, c) => ({ values: distinctValues(target(e, c), c.body), ok: 1 })],
  ['insert', (e, c) => insert(target(e, c, true)!, c.body)],
  ['update', (e, c) => update(target(e, c, true)!, c.body)],
  // deleting from a collection that is not there creates nothing
  ['delete', (e, c) => remove(target(e, c) ?? new Collection(c.db, c.body.delete as string), c.body)],
  ['findAndModify', (e, c) => findAndModify(target(e, c, true)!, c.body)],
  ['findandmodify', (e, c) => findAndModify(e.collection(c.db, c.body.findandmodify, true)!, c.body)],
]);
