/**
 * One collection of the stand-in: documents in natural (insertion) order keyed by `_id`, and its
 * indexes. Only unique indexes do anything (they refuse duplicates, as the server does); the others
 * are kept so that `listIndexes` answers what `createIndexes` was told.
 */
import { Query } from 'mingo';
import { BSON, ObjectId, type Document } from 'mongodb';
import { CommandError } from './errors';

export interface IndexSpec {
  v: number;
  key: Document;
  name: string;
  unique?: boolean;
  sparse?: boolean;
  partialFilterExpression?: Document;
  [option: string]: unknown;
}

/** A value as a string that is equal exactly when the values are equal to BSON. */
export function valueKey(value: unknown): string {
  return BSON.EJSON.stringify({ v: value }, { relaxed: false });
}

function resolve(doc: Document, path: string): { found: boolean; value?: unknown } {
  let at: unknown = doc;
  for (const part of path.split('.')) {
    if (!at || typeof at !== 'object' || Array.isArray(at) || !(part in (at as Document))) return { found: false };
    at = (at as Document)[part];
  }
  return { found: true, value: at };
}

interface UniqueIndex {
  spec: IndexSpec;
  fields: string[];
  partial?: Query;
  /** index key -> the `_id` key of the document holding it */
  entries: Map<string, string>;
}

export class Collection {
  private readonly docs = new Map<string, Document>();
  private readonly specs: IndexSpec[] = [{ v: 2, key: { _id: 1 }, name: '_id_' }];
  private readonly unique: UniqueIndex[] = [];

  constructor(
    readonly db: string,
    readonly name: string,
  ) {}

  get ns(): string {
    return `${this.db}.${this.name}`;
  }

  get size(): number {
    return this.docs.size;
  }

  /** The stored documents themselves, in natural order: read them, never change them. */
  all(): Document[] {
    return [...this.docs.values()];
  }

  /** The stored documents that match `filter`, in natural order. */
  match(filter: Document = {}): Document[] {
    const query = new Query(filter);
    const id = filter._id;
    const plainId = typeof id === 'string' || typeof id === 'number' || id instanceof ObjectId;
    const candidates = plainId ? [this.docs.get(valueKey(id))].filter((d): d is Document => d !== undefined) : this.docs.values();
    const out: Document[] = [];
    for (const doc of candidates) if (query.test(doc)) out.push(doc);
    return out;
  }

  /** Stores a new document (already a private copy with its `_id`); throws a duplicate key error. */
  insert(doc: Document): void {
    const id = valueKey(doc._id);
    if (this.docs.has(id)) throw this.duplicate(this.specs[0]!, { _id: doc._id });
    const keys = this.uniqueKeys(doc, id);
    this.docs.set(id, doc);
    keys.forEach(({ index, key }) => index.entries.set(key, id));
  }

  /** Puts `next` in place of `current` (same `_id`, same place in natural order). */
  replace(current: Document, next: Document): void {
    const id = valueKey(current._id);
    const keys = this.uniqueKeys(next, id);
    this.dropKeys(current);
    this.docs.set(id, next);
    keys.forEach(({ index, key }) => index.entries.set(key, id));
  }

  remove(doc: Document): boolean {
    const id = valueKey(doc._id);
    if (!this.docs.delete(id)) return false;
    this.dropKeys(doc);
    return true;
  }

  indexes(): IndexSpec[] {
    return this.specs.map((s) => ({ ...s }));
  }

  /** Adds an index; false when an identical one is there already. */
  createIndex(spec: IndexSpec): boolean {
    const same = this.specs.find((s) => s.name === spec.name);
    const sameKey = this.specs.find((s) => valueKey(s.key) === valueKey(spec.key));
    if (same) {
      if (valueKey(same.key) !== valueKey(spec.key)) throw new CommandError(86, 'IndexKeySpecsConflict', `An existing index has the same name as the requested index. Requested index: ${BSON.EJSON.stringify(spec)}, existing index: ${BSON.EJSON.stringify(same)}`);
      if (Boolean(same.unique) !== Boolean(spec.unique) || Boolean(same.sparse) !== Boolean(spec.sparse)) throw new CommandError(85, 'IndexOptionsConflict', `An equivalent index already exists with the same name but different options: ${spec.name}`);
      return false;
    }
    if (sameKey && !spec.partialFilterExpression && !sameKey.partialFilterExpression) throw new CommandError(85, 'IndexOptionsConflict', `Index already exists with a different name: ${sameKey.name}`);
    if (spec.unique && spec.name !== '_id_') {
      const index: UniqueIndex = { spec, fields: Object.keys(spec.key), entries: new Map(), ...(spec.partialFilterExpression ? { partial: new Query(spec.partialFilterExpression) } : {}) };
      for (const [id, doc] of this.docs) {
        const key = this.keyOf(index, doc);
        if (key === undefined) continue;
        if (index.entries.has(key)) throw this.duplicate(spec, this.keyValue(index, doc));
        index.entries.set(key, id);
      }
      this.unique.push(index);
    }
    this.specs.push(spec);
    return true;
  }

  dropIndex(name: string): boolean {
    if (name === '_id_') throw new CommandError(72, 'InvalidOptions', 'cannot drop _id index');
    const at = this.specs.findIndex((s) => s.name === name);
    if (at < 0) return false;
    this.specs.splice(at, 1);
    const u = this.unique.findIndex((i) => i.spec.name === name);
    if (u >= 0) this.unique.splice(u, 1);
    return true;
  }

  private keyOf(index: UniqueIndex, doc: Document): string | undefined {
    if (index.partial && !index.partial.test(doc)) return undefined;
    const values = index.fields.map((f) => resolve(doc, f));
    if (index.spec.sparse && values.every((v) => !v.found)) return undefined;
    // a missing field is indexed as null, so two documents without it collide
    return valueKey(values.map((v) => (v.found ? v.value : null)));
  }

  private keyValue(index: UniqueIndex, doc: Document): Document {
    return Object.fromEntries(index.fields.map((f) => [f, resolve(doc, f).value ?? null]));
  }

  private uniqueKeys(doc: Document, id: string): Array<{ index: UniqueIndex; key: string }> {
    const out: Array<{ index: UniqueIndex; key: string }> = [];
    for (const index of this.unique) {
      const key = this.keyOf(index, doc);
      if (key === undefined) continue;
      const holder = index.entries.get(key);
      if (holder !== undefined && holder !== id) throw this.duplicate(index.spec, this.keyValue(index, doc));
      out.push({ index, key });
    }
    return out;
  }

  private dropKeys(doc: Document): void {
    for (const index of this.unique) {
      const key = this.keyOf(index, doc);
      if (key !== undefined) index.entries.delete(key);
    }
  }

  private duplicate(spec: IndexSpec, keyValue: Document): CommandError {
    const shown = Object.entries(keyValue)
      .map(([k, v]) => `${k}: ${BSON.EJSON.stringify(v ?? null, { relaxed: true })}`)
      .join(', ');
    return new CommandError(11000, 'DuplicateKey', `E11000 duplicate key error collection: ${this.ns} index: ${spec.name} dup key: { ${shown} }`, { keyPattern: spec.key, keyValue });
  }
}
