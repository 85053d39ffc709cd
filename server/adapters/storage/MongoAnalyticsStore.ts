/** Rollups in MongoDB, one document a row, added to atomically ($inc, $min, $max). */
import type { Collection, Db } from 'mongodb';
import type { AnalyticsStore, Resolution, RollupPoint, RollupQuery } from './AnalyticsStore';

type RollupDoc = RollupPoint & { _id: string };

export class MongoAnalyticsStore implements AnalyticsStore {
  private rows!: Collection<RollupDoc>;

  constructor(private readonly db: () => Db) {}

  async open(): Promise<void> {
    this.rows = this.db().collection('analytics_rollups');
    await this.rows.createIndex({ resolution: 1, series: 1, bucket: 1 });
  }

  async addPoints(points: readonly RollupPoint[]): Promise<void> {
    if (!points.length) return;
    await this.rows.bulkWrite(
      points.map((p) => ({
        updateOne: {
          filter: { _id: `${p.resolution}|${p.series}|${p.bucket}|${p.labels}` },
          update: {
            $setOnInsert: { resolution: p.resolution, series: p.series, labels: p.labels, bucket: p.bucket },
            $inc: { count: p.count, sum: p.sum },
            $min: { min: p.min },
            $max: { max: p.max },
          },
          upsert: true,
        },
      })),
      { ordered: false },
    );
  }

  async readPoints(q: RollupQuery): Promise<RollupPoint[]> {
    const docs = await this.rows.find({ resolution: q.resolution, series: q.series, bucket: { $gte: q.from, $lt: q.to } }).sort({ bucket: 1, labels: 1 }).limit(q.limit).toArray();
    return docs.map(({ _id, ...p }) => p);
  }

  async prunePoints(resolution: Resolution, series: string, before: number): Promise<number> {
    return (await this.rows.deleteMany({ resolution, series, bucket: { $lt: before } })).deletedCount;
  }
}
