/**
 * The server's metrics in the Prometheus text format (prom-client, on a registry of our own):
 * HTTP request durations by route pattern and status, worlds open and people in them by device,
 * intents accepted and refused by type and reason, rate-limit refusals, workflow runs and steps by
 * kind and outcome, AI calls, tokens and cost by provider, AI cache lookups by layer, chain
 * transactions by network, and the process's own (CPU, memory, event-loop delay, GC). Labels are
 * bounded sets — route patterns, intent types, error codes, devices, step kinds and providers the
 * server knows, networks it is configured with, cache layers — never ids, so a hostile client
 * cannot grow the series.
 */
import { DEVICE_PUBLISHES } from '../../shared/model/iot';
import { statfs } from 'node:fs/promises';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { ErrorCode, NeuralSourceKind, isIntentType } from '../../shared/protocol';
import type { AiCall } from '../ai/AiService';
import type { CacheLayer, CacheOutcome } from '../cluster/HybridCache';
import type { StepEnded } from '../workflows/engine/Engine';
import { routePattern } from '../http/routes';

/** What the metrics read from each open world when scraped. */
export interface WorldGauge {
  /** Devices of the people connected now, one entry each. */
  devices(): Iterable<string>;
  /** Bytes the world's room has written to its connections so far (state patches, poses, messages). */
  bytesSent?(): number;
}

const DEVICES = new Set(['desktop', 'vr', 'ar', 'mobile']);
const NEURAL_SOURCES = new Set<string>(NeuralSourceKind.options);
/** The routes that take uploads (by the pattern that matched), and what they upload. */
const UPLOAD_ROUTES: Record<string, string> = { '/api/v3/documents': 'document', '/api/v3/worlds/:id/props/models': 'model' };
const CODES = new Set<string>(Object.values(ErrorCode));
/** A failure code as a label: the codes our steps, providers and chain give are upper-case words; anything else is "other". */
const failureCode = (code: string | undefined) => (code && /^[A-Z][A-Z0-9_]{0,39}$/.test(code) ? code : code ? 'OTHER' : '');
/** Durations of steps, runs, AI calls and transactions: from a tenth of a second to an hour. */
const SLOW_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];


const IOT_CHANNELS: ReadonlySet<string> = new Set(DEVICE_PUBLISHES);

export class Metrics {
  readonly registry = new Registry();
  private readonly worlds = new Set<WorldGauge>();
  private sentByClosedRooms = 0;
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  readonly intents: Counter<'type' | 'outcome' | 'reason'>;
  readonly rateLimited: Counter<'kind'>;
  /**
   * Intents tallied as plain numbers (a pose costs a lookup and an add), handed to the counter
   * only when the registry is read.
   */
  private readonly intentTallies = new Map<string, { labels: { type: string; outcome: string; reason: string }; n: number }>();
  readonly runs: Counter<'outcome'>;
  readonly runDuration: Histogram<'outcome'>;
  readonly steps: Counter<'kind' | 'outcome' | 'code'>;
  readonly stepDuration: Histogram<'kind' | 'outcome'>;
  readonly aiCalls: Counter<'provider' | 'operation' | 'outcome' | 'code'>;
  readonly aiDuration: Histogram<'provider' | 'outcome'>;
  readonly aiTokens: Counter<'provider' | 'direction'>;
  readonly aiCost: Counter<'provider'>;
  readonly aiCache: Counter<'layer' | 'outcome'>;
  readonly chainTx: Counter<'network' | 'outcome'>;
  readonly chainConfirm: Histogram<'network'>;
  readonly sessions: Histogram<'device'>;
  readonly sessionSeconds: Counter<'device'>;
  readonly uploads: Counter<'kind' | 'outcome'>;
  readonly uploadBytes: Counter<'kind'>;
  readonly neuralCommands: Counter<'source' | 'outcome'>;
  readonly iotMessages: Counter<'channel' | 'outcome'>;
  /** Step kinds, AI providers and networks this server knows: any other name is counted as "other". */
  private readonly known = { kinds: new Set<string>(), providers: new Set<string>(), networks: new Set<string>() };

  /** `dataDir`: the data directory whose disk's free share is reported (none without it). */
  constructor(opts: { dataDir?: string } = {}) {
    collectDefaultMetrics({ register: this.registry });
    this.httpDuration = new Histogram({
      name: 'dwc_http_request_duration_seconds',
      help: 'REST request durations, by method, route pattern and status code.',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
    const tallies = this.intentTallies;
    this.intents = new Counter({
      name: 'dwc_intents_total',
      help: 'Intents from people in worlds, by type, outcome (accepted, refused) and the refusal code.',
      labelNames: ['type', 'outcome', 'reason'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const t of tallies.values()) this.inc(t.labels, t.n);
      },
    });
    this.rateLimited = new Counter({
      name: 'dwc_rate_limited_total',
      help: 'Messages and requests refused for coming too fast, by kind (intent, rest).',
      labelNames: ['kind'],
      registers: [this.registry],
    });
    const slow = (name: string, help: string, labelNames: string[]) => new Histogram({ name, help, labelNames, buckets: SLOW_BUCKETS, registers: [this.registry] });
    const count = (name: string, help: string, labelNames: string[]) => new Counter({ name, help, labelNames, registers: [this.registry] });
    this.runs = count('dwc_workflow_runs_total', 'Workflow runs that finished, by outcome (succeeded, failed, cancelled).', ['outcome']);
    this.runDuration = slow('dwc_workflow_run_duration_seconds', 'From a run being started to it finishing, by outcome.', ['outcome']);
    this.steps = count('dwc_workflow_steps_total', 'Attempts of workflow steps that ended, by step kind, outcome and failure code.', ['kind', 'outcome', 'code']);
    this.stepDuration = slow('dwc_workflow_step_duration_seconds', 'How long a step attempt ran, by step kind and outcome.', ['kind', 'outcome']);
    this.aiCalls = count('dwc_ai_calls_total', 'Asks of AI providers, by provider, operation, outcome (answered, cached, failed) and failure code.', ['provider', 'operation', 'outcome', 'code']);
    this.aiDuration = slow('dwc_ai_call_duration_seconds', 'How long an AI provider took to answer or fail.', ['provider', 'outcome']);
    this.aiTokens = count('dwc_ai_tokens_total', 'Tokens AI providers were paid for, by provider and direction (input, output).', ['provider', 'direction']);
    this.aiCost = count('dwc_ai_cost_total', "What AI answers cost, in each provider's configured price units.", ['provider']);
    this.aiCache = count('dwc_ai_cache_total', 'Lookups in each layer of the AI result cache (memory, redis, store) by outcome (hit, miss); a layer is asked only after the one above it missed.', ['layer', 'outcome']);
    this.chainTx = count('dwc_chain_transactions_total', 'Anchoring transactions sent, by network and outcome (confirmed, failed).', ['network', 'outcome']);
    this.chainConfirm = slow('dwc_chain_confirmation_seconds', 'From sending an anchoring transaction to its confirmation, by network.', ['network']);
    this.sessions = new Histogram({
      name: 'dwc_session_duration_seconds',
      help: 'How long people stayed in a world, by the device they spent most of it on, counted when they leave.',
      labelNames: ['device'],
      buckets: [10, 60, 300, 900, 1800, 3600, 7200, 14400],
      registers: [this.registry],
    });
    this.sessionSeconds = count('dwc_session_device_seconds_total', 'Seconds people spent in worlds on each device (a page that entered VR counts its VR time as vr), counted when they leave.', ['device']);
    this.uploads = count('dwc_uploads_total', 'Uploads of documents and prop models, by kind and outcome (accepted, refused, failed).', ['kind', 'outcome']);
    this.uploadBytes = count('dwc_upload_bytes_total', 'Bytes of the uploads accepted, by kind (as the request declared them).', ['kind']);
    this.iotMessages = count('dwc_iot_messages_total', 'Messages from devices over MQTT, HTTP and CoAP by channel and outcome: used, refused (unreadable or past the device rate; the device is told why) or failed (not stored).', ['channel', 'outcome']);
    this.neuralCommands = count('dwc_neural_commands_total', 'Neural commands (camera or hand gestures, EEG, bridges) handed to waiting runs, by source and outcome.', ['source', 'outcome']);
    const worlds = this.worlds;
    new Gauge({
      name: 'dwc_worlds_open',
      help: 'Worlds with an open room on this server.',
      registers: [this.registry],
      collect() {
        this.set(worlds.size);
      },
    });
    new Gauge({
      name: 'dwc_people',
      help: 'People connected to worlds on this server, by device (desktop, vr, ar, mobile).',
      labelNames: ['device'],
      registers: [this.registry],
      collect() {
        const counts = new Map<string, number>([...DEVICES].map((d) => [d, 0]));
        for (const w of worlds) {
          for (const d of w.devices()) {
            const device = DEVICES.has(d) ? d : 'other';
            counts.set(device, (counts.get(device) ?? 0) + 1);
          }
        }
        this.reset();
        for (const [device, n] of counts) this.set({ device }, n);
      },
    });
    const closed = () => this.sentByClosedRooms;
    new Counter({
      name: 'dwc_realtime_sent_bytes_total',
      help: 'Bytes written to the connections of people in worlds (state patches, poses, messages), on the wire.',
      registers: [this.registry],
      collect() {
        let total = closed();
        for (const w of worlds) total += w.bytesSent?.() ?? 0;
        this.reset();
        this.inc(total);
      },
    });
    if (opts.dataDir) this.diskGauge(opts.dataDir);
  }

  /**
   * The share of the data directory's disk still free to the server (0 to 1), read when the registry
   * is: a full disk stops every write the store makes, so it is worth an alert before it happens.
   */
  private diskGauge(dataDir: string): void {
    new Gauge({
      name: 'dwc_data_disk_free_ratio',
      help: "The share of the data directory's disk free to the server (0 to 1).",
      registers: [this.registry],
      async collect() {
        // a disk that cannot be read (gone, no permission) is unknown, NaN as Prometheus has it, not
        // a failed scrape and not 0 (which would read as a full disk)
        const s = await statfs(dataDir).catch(() => undefined);
        this.set(s && s.blocks > 0 ? s.bavail / s.blocks : NaN);
      },
    });
  }

  /** Someone left a world: the session counted under the device it spent longest on, its seconds under each device used. */
  sessionEnded(mainDevice: string, secondsByDevice: ReadonlyMap<string, number>): void {
    const device = (d: string) => (DEVICES.has(d) ? d : 'other');
    let total = 0;
    for (const [d, seconds] of secondsByDevice) {
      total += seconds;
      if (seconds > 0) this.sessionSeconds.inc({ device: device(d) }, seconds);
    }
    this.sessions.observe({ device: device(mainDevice) }, Math.max(0, total));
  }

  /** A world's room opened: its people count until it is forgotten. */
  watchWorld(world: WorldGauge): () => void {
    this.worlds.add(world);
    return () => {
      // what a closing room sent stays counted
      this.sentByClosedRooms += world.bytesSent?.() ?? 0;
      this.worlds.delete(world);
    };
  }

  /** One intent's outcome; the type and code are kept to the protocol's own names. */
  intent(type: unknown, outcome: 'accepted' | 'refused', reason = ''): void {
    const t = isIntentType(type) ? type : 'unknown';
    // every pose passes here: an accepted one is keyed by its type alone, with no string made
    if (outcome === 'accepted' && !reason) {
      const tally = this.intentTallies.get(t);
      if (tally) tally.n++;
      else this.intentTallies.set(t, { labels: { type: t, outcome, reason: '' }, n: 1 });
      return;
    }
    const r = CODES.has(reason) ? reason : reason ? 'other' : '';
    const key = `${t} ${outcome} ${r}`;
    const tally = this.intentTallies.get(key);
    if (tally) tally.n++;
    else this.intentTallies.set(key, { labels: { type: t, outcome, reason: r }, n: 1 });
    if (r === ErrorCode.RATE_LIMITED) this.rateLimited.inc({ kind: 'intent' });
  }

  /** The step kinds, AI providers and networks this server has: the names its labels may carry. */
  know(names: { kinds?: Iterable<string>; providers?: Iterable<string>; networks?: Iterable<string> }): void {
    for (const k of names.kinds ?? []) this.known.kinds.add(k);
    for (const p of names.providers ?? []) this.known.providers.add(p);
    for (const n of names.networks ?? []) this.known.networks.add(n);
  }

  private name(set: 'kinds' | 'providers' | 'networks', value: string): string {
    return this.known[set].has(value) ? value : 'other';
  }

  /** A run reached its end. */
  runFinished(outcome: 'succeeded' | 'failed' | 'cancelled', seconds: number): void {
    this.runs.inc({ outcome });
    this.runDuration.observe({ outcome }, Math.max(0, seconds));
  }

  /** A step's attempt ended. */
  stepEnded(e: StepEnded): void {
    const kind = this.name('kinds', e.kind);
    this.steps.inc({ kind, outcome: e.outcome, code: failureCode(e.code) });
    this.stepDuration.observe({ kind, outcome: e.outcome }, Math.max(0, e.seconds));
  }

  /** An AI provider was asked. */
  aiCall(e: AiCall): void {
    const provider = this.name('providers', e.provider);
    this.aiCalls.inc({ provider, operation: e.operation === 'analyse' || e.operation === 'generate' ? e.operation : 'other', outcome: e.outcome, code: failureCode(e.code) });
    if (e.outcome === 'cached') return;
    this.aiDuration.observe({ provider, outcome: e.outcome }, Math.max(0, e.seconds));
    if (e.inputTokens > 0) this.aiTokens.inc({ provider, direction: 'input' }, e.inputTokens);
    if (e.outputTokens > 0) this.aiTokens.inc({ provider, direction: 'output' }, e.outputTokens);
    if (e.cost) this.aiCost.inc({ provider }, e.cost);
  }

  /** A layer of the AI result cache was asked for a result. */
  aiCacheLookup(layer: CacheLayer, outcome: CacheOutcome): void {
    this.aiCache.inc({ layer, outcome });
  }

  /** An anchoring transaction was confirmed or failed. */
  chainTransaction(network: string, outcome: 'confirmed' | 'failed', seconds: number): void {
    const n = this.name('networks', network);
    this.chainTx.inc({ network: n, outcome });
    if (outcome === 'confirmed') this.chainConfirm.observe({ network: n }, Math.max(0, seconds));
  }

  /** A message from a device (any protocol) was used, refused (unreadable, past its rate) or failed (not stored). */
  iotMessage(channel: string, outcome: 'used' | 'refused' | 'failed'): void {
    this.iotMessages.inc({ channel: IOT_CHANNELS.has(channel) ? channel : 'other', outcome });
  }

  /** How many devices are connected, read at each scrape. */
  watchDevices(connected: () => number): void {
    new Gauge({
      name: 'dwc_iot_devices_connected',
      help: "Devices connected to the server's MQTT broker now (on an external broker: those that said they are online).",
      registers: [this.registry],
      collect() {
        this.set(connected());
      },
    });
  }

  /** A neural command was accepted by a waiting run or refused. */
  neuralCommand(source: string, outcome: 'accepted' | 'refused'): void {
    this.neuralCommands.inc({ source: NEURAL_SOURCES.has(source) ? source : 'other', outcome });
  }

  /** Times every REST request; the route is the pattern that matched ("unmatched" otherwise), never the path. */
  httpTimer(): RequestHandler {
    return (req: Request, res: Response, next: NextFunction) => {
      const end = this.httpDuration.startTimer();
      res.once('finish', () => {
        const route = routePattern(req, res.locals) ?? 'unmatched';
        end({ method: req.method, route, status: String(res.statusCode) });
        if (res.statusCode === 429) this.rateLimited.inc({ kind: 'rest' });
        const upload = req.method === 'POST' ? UPLOAD_ROUTES[route] : undefined;
        if (upload) this.upload(upload, res.statusCode, Number(req.headers['content-length'] ?? 0));
      });
      next();
    };
  }

  private upload(kind: string, status: number, bytes: number): void {
    const outcome = status < 300 ? 'accepted' : status < 500 ? 'refused' : 'failed';
    this.uploads.inc({ kind, outcome });
    if (outcome === 'accepted' && Number.isFinite(bytes) && bytes > 0) this.uploadBytes.inc({ kind }, bytes);
  }

  /** The whole exposition, as Prometheus scrapes it. */
  async text(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
