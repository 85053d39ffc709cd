/**
 * `GET /api/v3/analytics`: the series kept and their rollups, for administrators (an API key of
 * theirs needs metrics:read). `GET /analytics/series/:name?resolution=minute|hour&from=&to=` reads
 * one series over a range (ISO times; the last day by default), at most MAX_POINTS rows; a range
 * is bounded per resolution so one request cannot read years of minutes. `GET /analytics/report`
 * is the same for several series at once, as a CSV file. What owners of worlds may see of their
 * own is in insights.ts, mounted here too.
 */
import express, { type Router } from 'express';
import { z } from 'zod';
import { ErrorCode, describeIssues } from '../../shared/protocol';
import type { AnalyticsStore, Resolution, RollupPoint } from '../adapters/storage/AnalyticsStore';
import type { WorldAccess } from '../access/WorldAccess';
import { DAY_MS, RECORDED_SERIES, SERIES, SERIES_NAMES } from '../analytics/Analytics';
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

const ALL_SERIES = [...SERIES, ...RECORDED_SERIES];
const unknownSeries = (name: string) => new AppError(ErrorCode.NOT_FOUND, `There is no series "${name.slice(0, 64)}"; GET /api/v3/analytics/series lists them.`, 404);

/** The resolution and range asked for, checked against the bounds. */
function rangeOf(query: unknown): { resolution: Resolution; from: number; to: number } {
  const q = Query.safeParse(query);
  if (!q.success) throw new AppError(ErrorCode.BAD_REQUEST, `Ask with resolution=minute or hour, and from and to as ISO times: ${describeIssues(q.error)}`, 400);
  const { resolution } = q.data;
  const to = q.data.to ? Date.parse(q.data.to) : Date.now();
  const from = q.data.from ? Date.parse(q.data.from) : to - DAY_MS;
  if (from >= to) throw new AppError(ErrorCode.BAD_REQUEST, '`from` must come before `to`.', 400);
  if (to - from > MAX_RANGE_MS[resolution]) {
    throw new AppError(ErrorCode.BAD_REQUEST, `A range of ${resolution}s may span at most ${MAX_RANGE_MS[resolution] / DAY_MS} days; ask by the hour for longer.`, 400);
  }
  return { resolution, from, to };
}

const pointOut = (r: RollupPoint) => ({ at: new Date(r.bucket).toISOString(), labels: r.labels, count: r.count, sum: r.sum, min: r.min, max: r.max, avg: r.count ? r.sum / r.count : 0 });

export function analyticsRoutes(store: AnalyticsStore, access: WorldAccess, insights: Router): Router {
  const router = express.Router({ caseSensitive: true });
  const admin = adminOnly(access, 'the analytics');
  router.use(insights);

  router.get('/series', admin, (_req, res) => {
    res.json({ series: ALL_SERIES.map((s) => ({ name: s.name, help: s.help, kind: s.kind, labels: s.labels })) });
  });

  router.get('/series/:name', admin, async (req, res) => {
    const name = String(req.params.name);
    if (!SERIES_NAMES.has(name)) throw unknownSeries(name);
    const { resolution, from, to } = rangeOf(req.query);
    const rows = await store.readPoints({ resolution, series: name, from, to, limit: MAX_POINTS + 1 });
    res.setHeader('cache-control', 'no-store');
    res.json({ series: name, resolution, from: new Date(from).toISOString(), to: new Date(to).toISOString(), truncated: rows.length > MAX_POINTS, points: rows.slice(0, MAX_POINTS).map(pointOut) });
  });

  // several series over one range as a CSV file: a report to keep or to open in a spreadsheet
  router.get('/report', admin, async (req, res) => {
    const asked = typeof req.query.series === 'string' ? req.query.series.split(',').filter(Boolean) : [];
    if (asked.length === 0 || asked.length > ALL_SERIES.length) throw new AppError(ErrorCode.BAD_REQUEST, 'Name the series to report as series=a,b (GET /api/v3/analytics/series lists them).', 400);
    for (const name of asked) if (!SERIES_NAMES.has(name)) throw unknownSeries(name);
    const { series: _series, ...rest } = req.query;
    const { resolution, from, to } = rangeOf(rest);
    const lines = ['series,labels,at,count,sum,min,max,avg'];
    let rows = 0;
    for (const name of new Set(asked)) {
      const points = await store.readPoints({ resolution, series: name, from, to, limit: MAX_POINTS + 1 - rows });
      rows += points.length;
      for (const p of points) {
        const o = pointOut(p);
        lines.push([name, o.labels, o.at, o.count, o.sum, o.min, o.max, o.avg].map(csvField).join(','));
      }
      if (rows > MAX_POINTS) throw new AppError(ErrorCode.BAD_REQUEST, `The report would have more than ${MAX_POINTS} rows; ask for fewer series, a shorter range, or by the hour.`, 400);
    }
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace(':', '');
    res.setHeader('content-type', 'text/csv; charset=utf-8');
    res.setHeader('content-disposition', `attachment; filename="dwc-report-${day(from)}-${day(to)}.csv"`);
    res.setHeader('cache-control', 'no-store');
    res.send(`${lines.join('\r\n')}\r\n`);
  });
  return router;
}

/**
 * A CSV field: quoted when it holds a comma, quote or line break, and a text a spreadsheet would
 * run as a formula (=, +, -, @ first) made plain text.
 */
export function csvField(value: string | number): string {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
