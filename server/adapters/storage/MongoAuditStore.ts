/** The audit log in MongoDB: one collection, ordered by the time-sortable id, indexed by world. */
import type { Collection, Db, Filter } from 'mongodb';
import type { AuditEntry, AuditPage, AuditQuery, AuditStore } from './AuditStore';

type Stored = Omit<AuditEntry, 'id'> & { _id: string };

export class MongoAuditStore implements AuditStore {
  private entries!: Collection<Stored>;

  constructor(private readonly db: () => Db) {}

  async open(): Promise<void> {
    this.entries = this.db().collection<Stored>('audit');
    await Promise.all([this.entries.createIndex({ worldId: 1, _id: 1 }), this.entries.createIndex({ 'actor.id': 1, _id: 1 }), this.entries.createIndex({ action: 1, _id: 1 })]);
  }

  async append(entries: readonly AuditEntry[]): Promise<void> {
    if (!entries.length) return;
    await this.entries.insertMany(
      entries.map(({ id, ...rest }) => ({ _id: id, ...rest })),
      { ordered: true, writeConcern: { w: 'majority', j: true } },
    );
  }

  async prune(before: string, limit: number): Promise<number> {
    const old = await this.entries.find({ at: { $lt: before } }, { projection: { _id: 1 } }).sort({ _id: 1 }).limit(limit).toArray();
    if (!old.length) return 0;
    const done = await this.entries.deleteMany({ _id: { $in: old.map((o) => o._id) } }, { writeConcern: { w: 'majority', j: true } });
    return done.deletedCount;
  }

  async query(q: AuditQuery): Promise<AuditPage> {
    const filter: Filter<Stored> = {};
    if (q.worldId !== undefined) filter.worldId = q.worldId;
    if (q.actorId !== undefined) filter['actor.id'] = q.actorId;
    if (q.action !== undefined) filter.action = q.action;
    if (q.outcome !== undefined) filter.outcome = q.outcome;
    if (q.after !== undefined) filter._id = { $gt: q.after };
    if (q.from !== undefined || q.to !== undefined) filter.at = { ...(q.from !== undefined ? { $gte: q.from } : {}), ...(q.to !== undefined ? { $lte: q.to } : {}) };
    const found = await this.entries.find(filter).sort({ _id: 1 }).limit(q.limit + 1).toArray();
    const entries = found.slice(0, q.limit).map(({ _id, ...rest }) => ({ id: _id, ...rest }) as AuditEntry);
    return found.length > q.limit ? { entries, next: entries.at(-1)!.id } : { entries };
  }
}
