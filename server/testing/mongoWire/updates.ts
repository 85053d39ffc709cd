/**
 * Update documents as the server applies them: a replacement, or update operators (mingo's, with
 * `$setOnInsert` handled here since mingo has none), and the document an upsert starts from.
 */
import { update as mingoUpdate } from 'mingo';
import { BSON, type Document } from 'mongodb';
import { CommandError } from './errors';

const OPERATORS = new Set(['$set', '$unset', '$inc', '$min', '$max', '$mul', '$rename', '$push', '$pull', '$pullAll', '$addToSet', '$pop', '$currentDate', '$bit', '$setOnInsert']);

/** A private deep copy, as the server would hold it: nothing is shared with the caller. */
export function copyDoc<T extends Document>(doc: T): T {
  return BSON.deserialize(BSON.serialize(doc)) as T;
}

export type UpdateKind = 'replacement' | 'operators';

export function updateKind(u: unknown): UpdateKind {
  if (Array.isArray(u)) throw new CommandError(2, 'BadValue', 'pipeline-style updates are not supported by the stand-in');
  if (!u || typeof u !== 'object') throw new CommandError(14, 'TypeMismatch', 'update must be a document');
  const keys = Object.keys(u);
  const ops = keys.filter((k) => k.startsWith('$'));
  if (ops.length === 0) return 'replacement';
  if (ops.length !== keys.length) throw new CommandError(9, 'FailedToParse', 'update document mixes operators and fields');
  for (const op of ops) if (!OPERATORS.has(op)) throw new CommandError(9, 'FailedToParse', `Unknown modifier: ${op}. Expected a valid update modifier or pipeline-style update specified as an array`);
  return 'operators';
}

/**
 * Applies `u` to a copy of `doc` and returns the result (the `_id` kept). `inserting` is true for
 * the document an upsert creates, the only time `$setOnInsert` applies. Throws a CommandError when
 * the update would change `_id` or is malformed.
 */
export function applyUpdate(doc: Document, u: Document, inserting: boolean, arrayFilters?: Document[]): Document {
  const kind = updateKind(u);
  if (kind === 'replacement') {
    if ('_id' in u && doc._id !== undefined && !sameValue(u._id, doc._id)) throw immutableId();
    const { _id, ...rest } = copyDoc(u);
    return doc._id === undefined && _id === undefined ? rest : { _id: doc._id ?? _id, ...rest };
  }
  let next = copyDoc(doc);
  const { $setOnInsert, ...ops } = copyDoc(u);
  if (inserting && $setOnInsert) ops.$set = { ...(ops.$set as Document | undefined), ...($setOnInsert as Document) };
  // mingo refuses any path at _id; the server allows setting it to what it is, or choosing it on insert
  for (const [op, fields] of Object.entries(ops)) {
    for (const path of Object.keys(fields as Document)) {
      if (path !== '_id' && !path.startsWith('_id.')) continue;
      const value = (fields as Document)[path] as unknown;
      if (op !== '$set' || path !== '_id' || !(inserting || sameValue(value, doc._id))) throw immutableId();
      if (inserting) next = { _id: value, ...next };
      delete (fields as Document)[path];
    }
  }
  try {
    mingoUpdate(next, ops, arrayFilters);
  } catch (err) {
    const message = (err as Error).message;
    if (/conflict/i.test(message)) throw new CommandError(40, 'ConflictingUpdateOperators', message);
    throw new CommandError(2, 'BadValue', message);
  }
  return next;
}

const immutableId = () => new CommandError(66, 'ImmutableField', "Performing an update on the path '_id' would modify the immutable field '_id'");

/** Whether two values are the same to BSON (type and bytes). */
export function sameValue(a: unknown, b: unknown): boolean {
  return Buffer.from(BSON.serialize({ v: a })).equals(Buffer.from(BSON.serialize({ v: b })));
}

/**
 * The document an upsert starts from: for update operators, every equality in the filter (plain
 * values, `$eq`, and inside `$and`), set by its dotted path; for a replacement, only `_id`.
 */
export function upsertSeed(filter: Document, kind: UpdateKind): Document {
  const seed: Document = {};
  const visit = (f: Document, depth: number) => {
    if (depth > 32) return;
    for (const [key, value] of Object.entries(f)) {
      if (key === '$and' && Array.isArray(value)) {
        for (const clause of value) if (clause && typeof clause === 'object') visit(clause as Document, depth + 1);
        continue;
      }
      if (key.startsWith('$')) continue;
      if (kind === 'replacement' && key !== '_id') continue;
      const eq = equality(value);
      if (eq.found) setPath(seed, key, copyDoc({ v: eq.value }).v);
    }
  };
  visit(filter, 0);
  return seed;
}

function equality(value: unknown): { found: boolean; value?: unknown } {
  if (value && typeof value === 'object' && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype) {
    const keys = Object.keys(value);
    if (keys.some((k) => k.startsWith('$'))) return '$eq' in value ? { found: true, value: (value as Document).$eq } : { found: false };
  }
  if (value instanceof RegExp) return { found: false };
  return { found: true, value };
}

function setPath(doc: Document, path: string, value: unknown): void {
  const parts = path.split('.');
  let at: Document = doc;
  for (const part of parts.slice(0, -1)) {
    if (!at[part] || typeof at[part] !== 'object') at[part] = {};
    at = at[part] as Document;
  }
  at[parts.at(-1)!] = value;
}
