/**
 * `GET /api/v3/analytics`: the series kept and their rollups, for administrators (an API key of
 * theirs needs metrics:read). `GET /analytics/series/:name?resolution=minute|hour&from=&to=` reads
 * one series over a range (ISO times; the last day by default), at most MAX_POINTS rows; a range
 * is bounded per resolution so one request cannot read years of minutes.
 */
import express, { type Router } from 'express';
import { z } from 'zod';
import { ErrorCode } from '../../shared/protocol';
import type { AnalyticsStore } from '../adapters/storage/AnalyticsStore';
import type { WorldAccess } from '../access/WorldAccess';
import { DAY_MS, SERIES, SERIES_NAMES } from '../analytics/Analytics';
import { AppError } from '../errors';
import { adminOnly } from './access';

const MAX_POINTS = 10_000;
/** The longest range one request may ask for, per resolution. */
const MAX_RANGE_MS = { minute: 2 * DAY_MS, hour: 400 * DAY_MS } as const;

const Query = z.object({
  resolution: z.enum(['minute', 'hour']).default('minute'),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});

export function analyticsRoutes(store: AnalyticsStore, access: WorldAccess): Router {
  const router = express.Router({ caseSensitive: true });
  router.use(adminOnly(access, 'the analytics'));

  router.get('/series', (_req, res) => {
    res.json({ series: SERIES.map((s) => ({ name: s.name, help: s.help, kind: s.kind, labels: s.labels })) });
  });

  router.get('/series/:name', async (req, res) => {
    const name = String(req.params.name);
    if (!SERIES_NAMES.has(name)) throw new AppError(ErrorCode.NOT_FOUND, `There is no series "${name.slice(0, 64)}"; GET /api/v3/analytics/series lists them.`, 404);
    const q = Query.safeParse(req.query);
    if (!q.success) throw new AppError(ErrorCode.BAD_REQUEST, `Ask with resolution=minute or hour, and from and to as ISO times: ${q.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, 400);
    const { resolution } = q.data;
    const to = q.data.to ? Date.parse(q.data.to) : Date.now();
    const from = q.data.from ? Date.parse(q.data.from) : to - DAY_MS;
    if (from >= to) throw new AppError(ErrorCode.BAD_REQUEST, '`from` must come before `to`.', 400);
    if (to - from > MAX_RANGE_MS[resolution]) {
      throw new AppError(ErrorCode.BAD_REQUEST, `A range of ${resolution}s may span at most ${MAX_RANGE_MS[resolution] / DAY_MS} days; ask by the hour for longer.`, 400);
    }
    const rows = await store.readPoints({ resolution, series: name, from, to, limit: MAX_POINTS + 1 });
    res.setHeader('cache-control', 'no-store');
    res.json({
      series: name,
      resolution,
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      truncated: rows.length > MAX_POINTS,
      points: rows.slice(0, MAX_POINTS).map((r) => ({ at: new Date(r.bucket).toISOString(), labels: r.labels, count: r.count, sum: r.sum, min: r.min, max: r.max, avg: r.count ? r.sum / r.count : 0 })),
    });
  });
  return router;
}
