/**
 * Alert rules as administrators write them (REST, zod-validated at the boundary) and as the store
 * keeps them. A rule watches one analytics series, optionally only the rows whose labels match, and
 * is either a `threshold` (an aggregate over the last minutes compared to a value) or an `anomaly`
 * (a minute's value far from the series' learned mean, in standard deviations).
 */
import { z } from 'zod';
import { SERIES } from '../analytics/Analytics';

export const MAX_RULES = 100;
/** The longest window a rule may look back over: the minute rows are kept for two days. */
export const MAX_WINDOW_MINUTES = 24 * 60;

export const AGGREGATES = ['avg', 'sum', 'min', 'max', 'share'] as const;
export type Aggregate = (typeof AGGREGATES)[number];
export const OPERATORS = ['>', '>=', '<', '<='] as const;
export type Operator = (typeof OPERATORS)[number];

const seriesByName = new Map(SERIES.map((s) => [s.name, s]));

const Common = {
  name: z.string().trim().min(1, 'a name is needed').max(80, 'at most 80 characters'),
  series: z.string().refine((s) => seriesByName.has(s), { message: `one of the analytics series: ${SERIES.map((s) => s.name).join(', ')}` }),
  /** Only rows with these labels count (summed over the rest): `{ "outcome": "failed" }`. */
  labels: z.record(z.string().max(40), z.string().min(1).max(80)).default({}),
  /** A warning becomes critical once it has lasted this long; null: it stays a warning. */
  escalateAfterMinutes: z.number().int().min(1).max(7 * 24 * 60).nullable().default(null),
  /** Where this rule's notifications are POSTed; null: ALERT_WEBHOOK_URL, if set. */
  webhookUrl: z.url({ protocol: /^https?$/, error: 'an http(s) URL' }).max(2000).nullable().default(null),
};

const Threshold = z.strictObject({
  kind: z.literal('threshold'),
  ...Common,
  /** avg, sum, min or max of the per-minute values; share: the matching rows' sum over the whole series' sum. */
  aggregate: z.enum(AGGREGATES),
  windowMinutes: z.number().int().min(1).max(MAX_WINDOW_MINUTES, `at most ${MAX_WINDOW_MINUTES} (a day)`),
  op: z.enum(OPERATORS),
  value: z.number(),
  /** No verdict until the window's total (the whole series' for share) reaches this: three requests make no error rate. */
  minTotal: z.number().min(0).default(0),
});

const Anomaly = z.strictObject({
  kind: z.literal('anomaly'),
  ...Common,
  /** How many standard deviations from the mean a minute must be to fire. */
  k: z.number().min(1, 'between 1 and 10').max(10, 'between 1 and 10'),
  /** Minutes learned before any verdict. */
  warmup: z.number().int().min(5).max(MAX_WINDOW_MINUTES).default(30),
  /** Weight of each new minute in the mean and variance (EWMA): 0.1 remembers roughly the last 20 minutes. */
  alpha: z.number().gt(0).max(0.5).default(0.1),
  /** And at least this far from the mean, in the series' units, so a flat series (σ ≈ 0) does not fire on a blip. */
  minDeviation: z.number().positive('above 0, in the series\' units'),
});

export const RuleInput = z.discriminatedUnion('kind', [Threshold, Anomaly], { error: 'kind: "threshold" or "anomaly"' }).superRefine((r, ctx) => {
  const def = seriesByName.get(r.series);
  if (!def) return;
  if (Object.keys(r.labels).length > def.labels.length) ctx.addIssue({ code: 'custom', path: ['labels'], message: `${r.series} has the labels ${def.labels.join(', ') || '(none)'}` });
  for (const l of Object.keys(r.labels)) {
    if (!def.labels.includes(l)) ctx.addIssue({ code: 'custom', path: ['labels', l], message: `${r.series} has no label "${l}" (it has ${def.labels.join(', ') || 'none'})` });
  }
  if (r.kind === 'threshold' && r.aggregate === 'share' && !Object.keys(r.labels).length) {
    ctx.addIssue({ code: 'custom', path: ['labels'], message: 'a share is of the rows these labels pick out: name at least one' });
  }
});
export type RuleInput = z.output<typeof RuleInput>;

/** A change to a rule: any of its fields; the result is checked as a whole. */
export const RulePatch = z.record(z.string(), z.unknown());

export type AlertRule = RuleInput & {
  id: string;
  createdAt: string;
  updatedAt: string;
  /** No notifications until then (ms since the epoch); the rule is still evaluated. */
  silencedUntil: number | null;
};

/** Whether a row's labels (`k=v` pairs joined by commas) include every pair of `filter`. */
export function labelsMatch(rowLabels: string, filter: Readonly<Record<string, string>>): boolean {
  const pairs = new Set(rowLabels ? rowLabels.split(',') : []);
  return Object.entries(filter).every(([k, v]) => pairs.has(`${k}=${v}`));
}

/** Whether the series is sampled as a gauge (each minute its average) or a counter (each minute what it grew by). */
export const isGauge = (series: string) => seriesByName.get(series)?.kind === 'gauge';

/** The fields both kinds of rule have. */
export function commonFields(r: RuleInput) {
  return { name: r.name, series: r.series, labels: r.labels, escalateAfterMinutes: r.escalateAfterMinutes, webhookUrl: r.webhookUrl };
}

/** What decides a rule's verdicts (not its name, webhook, escalation or silence): when it changes, what was learned no longer applies. */
export function judgedAs(r: RuleInput | AlertRule): string {
  const skip = new Set(['name', 'webhookUrl', 'escalateAfterMinutes', 'id', 'createdAt', 'updatedAt', 'silencedUntil']);
  const sorted = (o: object) => Object.entries(o).sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify(sorted(r).filter(([k]) => !skip.has(k)).map(([k, v]) => [k, k === 'labels' ? sorted(v as object) : v]));
}

/** What a rule says, in a line, for logs and notifications. */
export function describeRule(r: RuleInput): string {
  const labels = Object.entries(r.labels).map(([k, v]) => `${k}=${v}`).join(',');
  const what = labels ? `${r.series}{${labels}}` : r.series;
  return r.kind === 'threshold' ? `${r.aggregate} of ${what} over ${r.windowMinutes} min ${r.op} ${r.value}` : `${what} more than ${r.k}σ from its usual value`;
}

/** A zod failure as one line naming each field. */
export const issues = (e: z.ZodError) => e.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
