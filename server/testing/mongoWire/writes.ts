/**
 * The write commands: `insert`, `update`, `delete` and `findAndModify`, answered with `n`,
 * `nModified`, `upserted` and `writeErrors` as the server answers them, so that the driver's
 * insertMany, bulkWrite (ordered or not) and replaceOne see what they would see.
 */
import { find } from 'mingo';
import { ObjectId, type Document } from 'mongodb';
import type { Collection } from './collection';
import { CommandError } from './errors';
import { applyUpdate, copyDoc, sameValue, updateKind, upsertSeed } from './updates';

function writeError(index: number, err: unknown): Document {
  if (err instanceof CommandError) return { index, code: err.code, errmsg: err.message, ...err.extra };
  return { index, code: 2, errmsg: (err as Error).message };
}

function statements(value: unknown, field: string): Document[] {
  if (!Array.isArray(value)) throw new CommandError(40414, 'Location40414', `BSON field '${field}' is missing but a required field`);
  return value as Document[];
}

/** `_id` first, generated when the document has none, as the server stores it. */
function withId(doc: Document): Document {
  if (Array.isArray(doc._id)) throw new CommandError(2, 'BadValue', "can't use an array for _id");
  if (doc._id === undefined) return { _id: new ObjectId(), ...doc };
  if (Object.keys(doc)[0] === '_id') return doc;
  const { _id, ...rest } = doc;
  return { _id, ...rest };
}

function reply(counts: Document, errors: Document[]): Document {
  return { ...counts, ...(errors.length ? { writeErrors: errors } : {}), ok: 1 };
}

export function insert(coll: Collection, body: Document): Document {
  const docs = statements(body.documents, 'insert.documents');
  const ordered = body.ordered !== false;
  const errors: Document[] = [];
  let n = 0;
  docs.forEach((doc, index) => {
    if (ordered && errors.length) return;
    try {
      if (!doc || typeof doc !== 'object') throw new CommandError(14, 'TypeMismatch', 'a document to insert must be an object');
      coll.insert(withId(copyDoc(doc)));
      n++;
    } catch (err) {
      errors.push(writeError(index, err));
    }
  });
  return reply({ n }, errors);
}

interface UpdateOutcome {
  matched: number;
  modified: number;
  upserted?: unknown;
  before?: Document;
  after?: Document;
}

/** One update statement: the first match (or every one, with `multi`), or an upsert. */
function updateOne(coll: Collection, stmt: Document): UpdateOutcome {
  const q = (stmt.q ?? {}) as Document;
  const u = stmt.u as Document;
  const kind = updateKind(u);
  const arrayFilters = stmt.arrayFilters as Document[] | undefined;
  if (stmt.multi && kind === 'replacement') throw new CommandError(9, 'FailedToParse', 'multi update is not supported for replacement-style update');
  let matches = coll.match(q);
  if (stmt.sort && matches.length > 1) matches = find(matches, {}).sort(stmt.sort as Record<string, 1 | -1>).all() as Document[];
  if (!stmt.multi) matches = matches.slice(0, 1);
  if (matches.length === 0) {
    if (!stmt.upsert) return { matched: 0, modified: 0 };
    const doc = withId(applyUpdate(upsertSeed(q, kind), u, true, arrayFilters));
    coll.insert(doc);
    return { matched: 0, modified: 0, upserted: doc._id, after: doc };
  }
  let modified = 0;
  let last: UpdateOutcome = { matched: 0, modified: 0 };
  for (const doc of matches) {
    const next = applyUpdate(doc, u, false, arrayFilters);
    if (!sameValue(doc, next)) {
      coll.replace(doc, next);
      modified++;
    }
    last = { matched: matches.length, modified, before: doc, after: next };
  }
  return last;
}

export function update(coll: Collection, body: Document): Document {
  const stmts = statements(body.updates, 'update.updates');
  const ordered = body.ordered !== false;
  const errors: Document[] = [];
  const upserted: Document[] = [];
  let n = 0;
  let nModified = 0;
  stmts.forEach((stmt, index) => {
    if (ordered && errors.length) return;
    try {
      const out = updateOne(coll, stmt);
      n += out.matched;
      nModified += out.modified;
      if (out.upserted !== undefined) {
        n++;
        upserted.push({ index, _id: out.upserted });
      }
    } catch (err) {
      errors.push(writeError(index, err));
    }
  });
  return reply({ n, nModified, ...(upserted.length ? { upserted } : {}) }, errors);
}

export function remove(coll: Collection, body: Document): Document {
  const stmts = statements(body.deletes, 'delete.deletes');
  const ordered = body.ordered !== false;
  const errors: Document[] = [];
  let n = 0;
  stmts.forEach((stmt, index) => {
    if (ordered && errors.length) return;
    try {
      if (stmt.limit !== 0 && stmt.limit !== 1) throw new CommandError(9, 'FailedToParse', 'The limit field in delete objects must be 0 or 1');
      const matches = coll.match((stmt.q ?? {}) as Document);
      for (const doc of stmt.limit === 1 ? matches.slice(0, 1) : matches) if (coll.remove(doc)) n++;
    } catch (err) {
      errors.push(writeError(index, err));
    }
  });
  return reply({ n }, errors);
}

/** findOneAndUpdate / findOneAndReplace / findOneAndDelete. */
export function findAndModify(coll: Collection, body: Document): Document {
  const query = (body.query ?? {}) as Document;
  const project = (doc: Document | undefined) => (doc && body.fields ? (find([doc], {}, body.fields as Document).all()[0] ?? null) : (doc ?? null));
  if (body.remove) {
    let matches = coll.match(query);
    if (body.sort) matches = find(matches, {}).sort(body.sort as Record<string, 1 | -1>).all() as Document[];
    const doc = matches[0];
    if (doc) coll.remove(doc);
    return { lastErrorObject: { n: doc ? 1 : 0 }, value: project(doc), ok: 1 };
  }
  if (body.update === undefined) throw new CommandError(9, 'FailedToParse', 'Either an update or remove=true must be specified');
  const out = updateOne(coll, { q: query, u: body.update, upsert: body.upsert === true, sort: body.sort, arrayFilters: body.arrayFilters });
  const value = body.new ? out.after : out.before;
  const upserted = out.upserted !== undefined;
  return {
    lastErrorObject: { n: upserted ? 1 : out.matched, updatedExisting: out.matched > 0, ...(upserted ? { upserted: out.upserted } : {}) },
    value: project(value),
    ok: 1,
  };
}
