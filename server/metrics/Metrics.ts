/**
 * The server's metrics in the Prometheus text format (prom-client, on a registry of our own):
 * HTTP request durations by route pattern and status, worlds open and people in them by device,
 * intents accepted and refused by type and reason, rate-limit refusals, and the process's own
 * (CPU, memory, event-loop delay, GC). Labels are bounded sets — route patterns, intent types,
 * error codes, devices — never ids, so a hostile client cannot grow the series.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { ErrorCode, isIntentType } from '../../shared/protocol';

/** What the metrics read from each open world when scraped. */
export interface WorldGauge {
  /** Devices of the people connected now, one entry each. */
  devices(): Iterable<string>;
}

const DEVICES = new Set(['desktop', 'vr', 'ar', 'mobile']);
const CODES = new Set<string>(Object.values(ErrorCode));

export class Metrics {
  readonly registry = new Registry();
  private readonly worlds = new Set<WorldGauge>();
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  readonly intents: Counter<'type' | 'outcome' | 'reason'>;
  readonly rateLimited: Counter<'kind'>;
  private readonly intentChildren = new Map<string, { inc(): void }>();

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    this.httpDuration = new Histogram({
      name: 'dwc_http_request_duration_seconds',
      help: 'REST request durations, by method, route pattern and status code.',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
    this.intents = new Counter({
      name: 'dwc_intents_total',
      help: 'Intents from people in worlds, by type, outcome (accepted, refused) and the refusal code.',
      labelNames: ['type', 'outcome', 'reason'],
      registers: [this.registry],
    });
    this.rateLimited = new Counter({
      name: 'dwc_rate_limited_total',
      help: 'Messages and requests refused for coming too fast, by kind (intent, rest).',
      labelNames: ['kind'],
      registers: [this.registry],
    });
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
  }

  /** A world's room opened: its people count until it is forgotten. */
  watchWorld(world: WorldGauge): () => void {
    this.worlds.add(world);
    return () => this.worlds.delete(world);
  }

  /** One intent's outcome; the type and code are kept to the protocol's own names. */
  intent(type: unknown, outcome: 'accepted' | 'refused', reason = ''): void {
    const t = isIntentType(type) ? type : 'unknown';
    const r = CODES.has(reason) ? reason : reason ? 'other' : '';
    // every pose passes here: the labelled child is looked up once per combination, not hashed per message
    const key = `${t} ${outcome} ${r}`;
    let child = this.intentChildren.get(key);
    if (!child) this.intentChildren.set(key, (child = this.intents.labels({ type: t, outcome, reason: r })));
    child.inc();
    if (r === ErrorCode.RATE_LIMITED) this.rateLimited.inc({ kind: 'intent' });
  }

  /** Times every REST request; the route is the pattern that matched ("unmatched" otherwise), never the path. */
  httpTimer(): RequestHandler {
    return (req: Request, res: Response, next: NextFunction) => {
      const end = this.httpDuration.startTimer();
      res.once('finish', () => {
        const pattern = req.route?.path;
        const route = typeof pattern === 'string' ? `${req.baseUrl}${pattern === '/' ? '' : pattern}` || '/' : 'unmatched';
        end({ method: req.method, route, status: String(res.statusCode) });
        if (res.statusCode === 429) this.rateLimited.inc({ kind: 'rest' });
      });
      next();
    };
  }

  /** The whole exposition, as Prometheus scrapes it. */
  async text(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
