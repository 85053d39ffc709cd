/**
 * The product's key series, sampled from its own metrics and kept as minute and hour rollups in the
 * store (see AnalyticsStore.ts), so a dashboard can show the last day by the minute and the last
 * months by the hour without Prometheus. Each sample reads the registry once; gauges (people online)
 * are kept as taken, counters (intents, requests) as what they grew by since the sample before.
 * Rows older than the retention are removed in the background: minutes after two days (or the
 * retention, if shorter), hours after `ANALYTICS_RETENTION_DAYS`.
 *
 * Only what is listed in SERIES is kept, with only the labels listed there (summed over the rest),
 * so the rows grow with time and never with ids or paths.
 */
import type { Registry } from 'prom-client';
import { BUCKET_MS, type AnalyticsStore, type Resolution, type RollupPoint } from '../adapters/storage/AnalyticsStore';
import type { Logger } from '../log';
import { oneAtATime } from '../serial';

export interface SeriesDef {
  /** The series' name in the store and the API. */
  name: string;
  help: string;
  /** The metric it is read from (for a histogram, its `_count`). */
  metric: string;
  kind: 'gauge' | 'counter';
  /** Labels kept (others are summed over); a label may be mapped to a coarser value. */
  labels: readonly string[];
  map?: Record<string, (value: string) => string>;
}

/** Status codes by class: 200 → 2xx. */
const statusClass = (status: string) => (/^[1-5]\d\d$/.test(status) ? `${status[0]}xx` : 'other');

export const SERIES: readonly SeriesDef[] = [
  { name: 'people', help: 'People connected to worlds, by device.', metric: 'dwc_people', kind: 'gauge', labels: ['device'] },
  { name: 'worlds_open', help: 'Worlds open on the server.', metric: 'dwc_worlds_open', kind: 'gauge', labels: [] },
  { name: 'intents', help: 'Intents from people in worlds, accepted or refused.', metric: 'dwc_intents_total', kind: 'counter', labels: ['outcome'] },
  {
    name: 'http_requests',
    help: 'REST requests, by status class.',
    metric: 'dwc_http_request_duration_seconds_count',
    kind: 'counter',
    labels: ['status'],
    map: { status: statusClass },
  },
  { name: 'workflow_runs', help: 'Workflow runs that finished, by outcome.', metric: 'dwc_workflow_runs_total', kind: 'counter', labels: ['outcome'] },
  { name: 'workflow_steps', help: 'Workflow step attempts that ended, by step kind and outcome.', metric: 'dwc_workflow_steps_total', kind: 'counter', labels: ['kind', 'outcome'] },
  { name: 'ai_calls', help: 'Asks of AI providers, by provider and outcome.', metric: 'dwc_ai_calls_total', kind: 'counter', labels: ['provider', 'outcome'] },
  { name: 'ai_tokens', help: 'Tokens AI providers were paid for, by provider.', metric: 'dwc_ai_tokens_total', kind: 'counter', labels: ['provider'] },
  { name: 'ai_cost', help: "What AI answers cost, in each provider's price units.", metric: 'dwc_ai_cost_total', kind: 'counter', labels: ['provider'] },
  { name: 'chain_transactions', help: 'Anchoring transactions, by network and outcome.', metric: 'dwc_chain_transactions_total', kind: 'counter', labels: ['network', 'outcome'] },
  { name: 'sessions', help: 'People who left a world, by the device they spent most of their time on.', metric: 'dwc_session_duration_seconds_count', kind: 'counter', labels: ['device'] },
  { name: 'session_seconds', help: 'Seconds spent in worlds by those who left, by device.', metric: 'dwc_session_device_seconds_total', kind: 'counter', labels: ['device'] },
  { name: 'uploads', help: 'Uploads of documents and prop models, by kind and outcome.', metric: 'dwc_uploads_total', kind: 'counter', labels: ['kind', 'outcome'] },
  { name: 'neural_commands', help: 'Neural commands handed to waiting runs, by source and outcome.', metric: 'dwc_neural_commands_total', kind: 'counter', labels: ['source', 'outcome'] },
  { name: 'realtime_sent_bytes', help: 'Bytes sent to people in worlds (state patches, poses, messages), on the wire.', metric: 'dwc_realtime_sent_bytes_total', kind: 'counter', labels: [] },
  { name: 'rate_limited', help: 'Messages and requests refused for coming too fast.', metric: 'dwc_rate_limited_total', kind: 'counter', labels: ['kind'] },
  { name: 'event_loop_delay_p99_seconds', help: "The 99th percentile of the event loop's delay.", metric: 'nodejs_eventloop_lag_p99_seconds', kind: 'gauge', labels: [] },
  { name: 'disk_free_ratio', help: "The share of the data directory's disk still free (0 to 1).", metric: 'dwc_data_disk_free_ratio', kind: 'gauge', labels: [] },
  { name: 'memory_bytes', help: 'Resident memory of the server process.', metric: 'process_resident_memory_bytes', kind: 'gauge', labels: [] },
];

/**
 * Series written as things happen rather than sampled: a session per world, by the hour (count:
 * sessions, sum: seconds spent), for each world's owner and the busiest worlds and hours.
 */
export const RECORDED_SERIES = [
  { name: 'world_sessions', help: 'Sessions that ended in each world by the hour: count (under the device each spent longest on), and seconds spent on each device (sum).', kind: 'counter', labels: ['device', 'world'] },
] as const;

export const SERIES_NAMES: ReadonlySet<string> = new Set([...SERIES, ...RECORDED_SERIES].map((s) => s.name));

/** Minutes are kept at most this long, whatever the retention. */
const MINUTES_KEPT_MS = 2 * 24 * 3_600_000;
export const DAY_MS = 24 * 3_600_000;

export interface AnalyticsOptions {
  registry: Registry;
  store: AnalyticsStore;
  log: Logger;
  /** How often to sample. */
  sampleMs: number;
  /** Days hour rows are kept; 0 keeps them for ever. */
  retentionDays: number;
  now?: () => number;
}

interface MetricJson {
  name: string;
  values: Array<{ value: number; labels: Record<string, string | number>; metricName?: string }>;
}

export class Analytics {
  private readonly now: () => number;
  /** Each counter's value (per kept labels) at the sample before. */
  private readonly last = new Map<string, number>();
  private sampler: NodeJS.Timeout | undefined;
  private pruner: NodeJS.Timeout | undefined;
  private readonly sampling = oneAtATime(
    () => this.sample(),
    (err) => this.o.log.error({ err }, 'an analytics sample could not be kept'),
  );
  private readonly pruning = oneAtATime(
    () => this.prune(),
    (err) => this.o.log.error({ err }, 'old analytics rollups could not be removed; trying again in an hour'),
  );
  private readonly sampled = new Set<(at: number) => void>();

  constructor(private readonly o: AnalyticsOptions) {
    this.now = o.now ?? Date.now;
  }

  /**
   * Calls `listener` with the sample's time after each sample is stored, so what reads the rows
   * (alerts) runs on the sampler's beat instead of a timer of its own. A listener must not throw;
   * it starts its own work and returns.
   */
  onSample(listener: (at: number) => void): () => void {
    this.sampled.add(listener);
    return () => this.sampled.delete(listener);
  }

  /** Samples every `sampleMs` and prunes now and every hour, until `stop`. */
  start(): void {
    if (this.sampler) return;
    this.sampler = setInterval(() => this.sampling.start(), this.o.sampleMs).unref();
    this.pruner = setInterval(() => this.pruning.start(), 3_600_000).unref();
    this.pruning.start();
  }

  async stop(): Promise<void> {
    clearInterval(this.sampler);
    clearInterval(this.pruner);
    this.sampler = this.pruner = undefined;
    await Promise.all([this.sampling.settled(), this.pruning.settled()]);
  }

  /** Takes one sample and adds it to its minute and hour rows; one at a time, failures logged. */
  async sampleNow(): Promise<void> {
    this.sampling.start();
    await this.sampling.settled();
  }

  private async sample(): Promise<void> {
    const at = this.now();
    const metrics = (await this.o.registry.getMetricsAsJSON()) as unknown as MetricJson[];
    const byName = new Map<string, MetricJson['values']>();
    for (const m of metrics) {
      for (const v of m.values) {
        const name = v.metricName ?? m.name;
        let list = byName.get(name);
        if (!list) byName.set(name, (list = []));
        list.push(v);
      }
    }
    const points: RollupPoint[] = [];
    for (const def of SERIES) {
      for (const [labels, value] of this.sumByLabels(def, byName.get(def.metric) ?? [])) {
        const sample = def.kind === 'gauge' ? value : this.growth(`${def.name}|${labels}`, value);
        for (const resolution of ['minute', 'hour'] as const) {
          points.push({ resolution, series: def.name, labels, bucket: bucketOf(at, resolution), count: 1, sum: sample, min: sample, max: sample });
        }
      }
    }
    await this.o.store.addPoints(points);
    for (const listener of this.sampled) {
      try {
        listener(at);
      } catch (err) {
        this.o.log.error({ err }, 'a listener to analytics samples failed');
      }
    }
  }

  /** The metric's values summed over the labels the series does not keep. */
  private sumByLabels(def: SeriesDef, values: MetricJson['values']): Map<string, number> {
    const out = new Map<string, number>();
    for (const v of values) {
      // an unknown value (NaN: a disk that could not be read) is no sample at all
      if (!Number.isFinite(v.value)) continue;
      const labels = def.labels
        .map((l) => {
          const raw = String(v.labels[l] ?? '');
          return `${l}=${def.map?.[l]?.(raw) ?? raw}`;
        })
        .sort()
        .join(',');
      out.set(labels, (out.get(labels) ?? 0) + v.value);
    }
    return out;
  }

  /** How much a counter grew since the sample before (all of it the first time: counters start at 0 with the process). */
  private growth(key: string, value: number): number {
    const before = this.last.get(key) ?? 0;
    this.last.set(key, value);
    return value >= before ? value - before : value;
  }

  /** Removes rows older than the retention; how many went. */
  async prune(): Promise<number> {
    const now = this.now();
    const hoursKept = this.o.retentionDays ? this.o.retentionDays * DAY_MS : Infinity;
    const cut: Record<Resolution, number> = { minute: now - Math.min(MINUTES_KEPT_MS, hoursKept), hour: now - hoursKept };
    let total = 0;
    for (const def of [...SERIES, ...RECORDED_SERIES]) {
      for (const resolution of ['minute', 'hour'] as const) {
        if (Number.isFinite(cut[resolution])) total += await this.o.store.prunePoints(resolution, def.name, bucketOf(cut[resolution], resolution));
      }
    }
    if (total) this.o.log.info({ pruned: total }, 'old analytics rollups removed');
    return total;
  }

}

export const bucketOf = (at: number, resolution: Resolution) => Math.floor(at / BUCKET_MS[resolution]) * BUCKET_MS[resolution];
