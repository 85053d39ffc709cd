/**
 * The read commands' results as arrays of documents: `find`, `aggregate`, `count`, `distinct`.
 * Matching, sorting, projection and aggregation stages are mingo's; a missing collection reads as
 * empty, as it does on the server.
 */
import { Aggregator, find as mingoFind } from 'mingo';
import type { Document } from 'mongodb';
import type { Collection } from './collection';
import { valueKey } from './collection';
import { CommandError } from './errors';

type Sort = Record<string, 1 | -1>;

function sortSpec(sort: unknown): Sort | undefined {
  if (!sort || typeof sort !== 'object') return undefined;
  const entries = Object.entries(sort as Document).filter(([k]) => k !== '$natural');
  for (const [k, v] of entries) if (v !== 1 && v !== -1) throw new CommandError(2, 'BadValue', `$sort key ordering must be 1 (for ascending) or -1 (for descending): ${k}`);
  return entries.length ? (Object.fromEntries(entries) as Sort) : undefined;
}

function count(value: unknown, name: string): number {
  if (value === undefined || value === null) return 0;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new CommandError(14, 'TypeMismatch', `${name} must be an integer`);
  return value;
}

/** The documents a `find` answers, in order, projected; `singleBatch` when no cursor may stay open. */
export function findDocs(coll: Collection | undefined, body: Document): { docs: Document[]; singleBatch: boolean } {
  const skip = count(body.skip, 'skip');
  const limit = count(body.limit, 'limit');
  if (skip < 0) throw new CommandError(51024, 'Location51024', 'BSON field \'skip\' value must be >= 0');
  if (!coll) return { docs: [], singleBatch: true };
  const projection = body.projection && Object.keys(body.projection as Document).length ? (body.projection as Document) : undefined;
  let cursor = mingoFind(coll.match((body.filter ?? {}) as Document), {}, projection);
  const sort = sortSpec(body.sort);
  if (sort) cursor = cursor.sort(sort);
  if (skip) cursor = cursor.skip(skip);
  if (limit) cursor = cursor.limit(Math.abs(limit));
  return { docs: cursor.all() as Document[], singleBatch: body.singleBatch === true || limit < 0 };
}

const REFUSED_STAGES = new Set(['$out', '$merge', '$currentOp', '$collStats', '$indexStats', '$listSessions', '$changeStream']);

export function aggregateDocs(coll: Collection | undefined, body: Document, resolve: (name: string) => Document[]): Document[] {
  if (!Array.isArray(body.pipeline)) throw new CommandError(14, 'TypeMismatch', "'pipeline' option must be specified as an array");
  const pipeline = body.pipeline as Document[];
  for (const stage of pipeline) {
    const name = Object.keys(stage ?? {})[0] ?? '';
    if (REFUSED_STAGES.has(name)) throw new CommandError(40324, 'Location40324', `Unrecognized pipeline stage name: '${name}' (not supported by the stand-in)`);
  }
  if (!coll) return [];
  return new Aggregator(pipeline, { collectionResolver: resolve }).run(coll.all()) as Document[];
}

export function countDocs(coll: Collection | undefined, body: Document): number {
  if (!coll) return 0;
  const skip = count(body.skip, 'skip');
  const limit = Math.abs(count(body.limit, 'limit'));
  const n = Math.max(0, coll.match((body.query ?? {}) as Document).length - skip);
  return limit ? Math.min(n, limit) : n;
}

/** The distinct values of a (dotted) field, an array's elements counted one by one. */
export function distinctValues(coll: Collection | undefined, body: Document): unknown[] {
  if (typeof body.key !== 'string') throw new CommandError(14, 'TypeMismatch', "BSON field 'distinct.key' is the wrong type, expected type 'string'");
  if (!coll) return [];
  const seen = new Map<string, unknown>();
  const add = (v: unknown) => {
    const k = valueKey(v);
    if (!seen.has(k)) seen.set(k, v);
  };
  const parts = body.key.split('.');
  const walk = (at: unknown, i: number) => {
    if (i === parts.length) {
      if (Array.isArray(at)) at.forEach(add);
      else add(at);
      return;
    }
    if (Array.isArray(at)) {
      for (const el of at) walk(el, i);
      return;
    }
    if (at && typeof at === 'object' && parts[i]! in (at as Document)) walk((at as Document)[parts[i]!], i + 1);
  };
  for (const doc of coll.match((body.query ?? {}) as Document)) walk(doc, 0);
  return [...seen.values()];
}
