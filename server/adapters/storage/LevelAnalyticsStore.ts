/** Rollups in the embedded LevelDB, keyed by resolution, series and time, so a range is one scan. */
import type { ClassicLevel } from 'classic-level';
import { mergePoint, type AnalyticsStore, type Resolution, type RollupPoint, type RollupQuery } from './AnalyticsStore';
import { SEP, sortableTime } from './levelKeys';

const prefix = (resolution: Resolution, series: string) => `analytics${SEP}${resolution}${SEP}${series}${SEP}`;
const key = (p: RollupPoint) => `${prefix(p.resolution, p.series)}${sortableTime(p.bucket)}${SEP}${p.labels}`;
/** Rows removed per batch while pruning. */
const PRUNE_BATCH = 5000;

export class LevelAnalyticsStore implements AnalyticsStore {
  constructor(private readonly db: ClassicLevel<string, unknown>) {}

  /** One writer (the sampler) adds points, so reading a row and writing it back loses nothing. */
  async addPoints(points: readonly RollupPoint[]): Promise<void> {
    const merged = new Map<string, RollupPoint>();
    for (const p of points) {
      const k = key(p);
      const before = merged.get(k);
      merged.set(k, before ? mergePoint(before, p) : p);
    }
    const keys = [...merged.keys()];
    const stored = (await this.db.getMany(keys)) as Array<RollupPoint | undefined>;
    await this.db.batch(
      keys.map((k, i) => {
        const p = merged.get(k)!;
        const old = stored[i];
        return { type: 'put' as const, key: k, value: old ? mergePoint(old, p) : p };
      }),
    );
  }

  async readPoints(q: RollupQuery): Promise<RollupPoint[]> {
    const p = prefix(q.resolution, q.series);
    return (await this.db.values({ gte: p + sortableTime(q.from), lt: p + sortableTime(q.to), limit: q.limit }).all()) as RollupPoint[];
  }

  async prunePoints(resolution: Resolution, series: string, before: number): Promise<number> {
    const p = prefix(resolution, series);
    let total = 0;
    for (;;) {
      const keys = await this.db.keys({ gte: p, lt: p + sortableTime(before), limit: PRUNE_BATCH }).all();
      if (!keys.length) return total;
      await this.db.batch(keys.map((k) => ({ type: 'del' as const, key: k })));
      total += keys.length;
      if (keys.length < PRUNE_BATCH) return total;
    }
  }
}
