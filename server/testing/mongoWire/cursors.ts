/**
 * Server-side cursors: a result past its first batch waits here for `getMore`. Batches stop at the
 * batch size or at 16 MiB of documents, whichever comes first, as the server's do.
 */
import { BSON, Long, type Document } from 'mongodb';
import { CommandError } from './errors';
import { MAX_BSON_OBJECT_BYTES } from './protocol';

const DEFAULT_FIRST_BATCH = 101;
// room for the reply's own fields around the batch
const BATCH_BYTES = MAX_BSON_OBJECT_BYTES - 64 * 1024;
/** Open cursors beyond this are closed, oldest first, so a client that never finishes one cannot grow the server. */
const MAX_OPEN = 10_000;

interface Open {
  ns: string;
  rest: Document[];
}

export class Cursors {
  private readonly open = new Map<number, Open>();
  private nextId = 1;

  /** The reply to a command that returns a cursor: the first batch, and a cursor id when more are left. */
  first(ns: string, docs: Document[], batchSize: number | undefined, singleBatch = false): Document {
    // batchSize 0 asks for an open cursor with nothing in it yet
    const { batch, rest } = batchSize === 0 ? { batch: [], rest: docs } : cut(docs, batchSize ?? DEFAULT_FIRST_BATCH);
    return { cursor: { firstBatch: batch, id: this.keep(ns, singleBatch ? [] : rest), ns }, ok: 1 };
  }

  more(id: unknown, collection: unknown, batchSize: number | undefined): Document {
    const key = toNumber(id);
    const cursor = this.open.get(key);
    if (!cursor) throw new CommandError(43, 'CursorNotFound', `cursor id ${key} not found`);
    if (typeof collection === 'string' && !cursor.ns.endsWith(`.${collection}`)) throw new CommandError(13, 'Unauthorized', `Requested getMore on namespace '${collection}', but cursor belongs to a different namespace ${cursor.ns}`);
    const { batch, rest } = cut(cursor.rest, batchSize ?? Number.MAX_SAFE_INTEGER);
    cursor.rest = rest;
    if (rest.length === 0) this.open.delete(key);
    return { cursor: { nextBatch: batch, id: Long.fromNumber(rest.length ? key : 0), ns: cursor.ns }, ok: 1 };
  }

  kill(ids: unknown[]): Document {
    const killed: Long[] = [];
    const notFound: Long[] = [];
    for (const id of ids.slice(0, MAX_OPEN)) {
      const key = toNumber(id);
      (this.open.delete(key) ? killed : notFound).push(Long.fromNumber(key));
    }
    return { cursorsKilled: killed, cursorsNotFound: notFound, cursorsAlive: [], cursorsUnknown: [], ok: 1 };
  }

  private keep(ns: string, rest: Document[]): Long {
    if (rest.length === 0) return Long.fromNumber(0);
    const id = this.nextId++;
    this.open.set(id, { ns, rest });
    if (this.open.size > MAX_OPEN) this.open.delete(this.open.keys().next().value!);
    return Long.fromNumber(id);
  }
}

function cut(docs: Document[], batchSize: number): { batch: Document[]; rest: Document[] } {
  const limit = batchSize > 0 ? batchSize : Number.MAX_SAFE_INTEGER;
  let bytes = 0;
  let n = 0;
  while (n < docs.length && n < limit) {
    bytes += BSON.calculateObjectSize(docs[n]!);
    // at least one document a batch, however large
    if (n > 0 && bytes > BATCH_BYTES) break;
    n++;
  }
  return { batch: docs.slice(0, n), rest: docs.slice(n) };
}

function toNumber(id: unknown): number {
  if (typeof id === 'number') return id;
  if (typeof id === 'bigint') return Number(id);
  if (id instanceof Long) return id.toNumber();
  throw new CommandError(14, 'TypeMismatch', 'cursor id must be a number');
}
