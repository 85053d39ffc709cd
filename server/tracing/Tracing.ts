/**
 * OpenTelemetry tracing behind a tiny interface: the rest of the server opens spans through this and
 * never touches the SDK. Off unless an OTLP endpoint is configured; then the SDK (otel.ts) is loaded
 * and started, and spans go to the collector in batches. Off, every call is the API's no-op.
 */
import { INVALID_SPAN_CONTEXT, ROOT_CONTEXT, SpanKind, SpanStatusCode, context, propagation, trace, type Attributes, type Span, type Tracer } from '@opentelemetry/api';
import type { Logger } from '../log';

/** The standard samplers (OTEL_TRACES_SAMPLER), as the OpenTelemetry specification names them. */
export const SAMPLERS = ['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'] as const;
export type SamplerName = (typeof SAMPLERS)[number];

/** Where spans go and which are kept; null in the config when tracing is off. */
export interface TracingConfig {
  /** The full OTLP/HTTP traces URL (…/v1/traces). */
  endpoint: string;
  serviceName: string;
  sampler: SamplerName;
  /** The ratio for the traceidratio samplers. */
  samplerArg: number | undefined;
  /** Milliseconds between two exports of the spans that ended meanwhile. */
  exportDelayMs: number;
}

/** The attribute that ties a span to the request id in the logs and the error a user quotes. */
export const REQUEST_ID_ATTRIBUTE = 'dwc.request.id';

/** A span that records nothing: what the API's no-op tracer hands out, shared rather than made each time. */
const NO_SPAN: Span = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

export class Tracing {
  /**
   * @param tracer the SDK's tracer, or null when tracing is off
   * @param flush ends the SDK, sending the spans not yet exported
   */
  constructor(
    private readonly tracer: Tracer | null,
    private readonly flush: () => Promise<void> = async () => undefined,
  ) {}

  /** Whether spans are recorded at all: callers skip building attributes when not. */
  get on(): boolean {
    return this.tracer !== null;
  }

  /**
   * Runs `work` in a span that is current inside it, so the spans started within (an AI call in a
   * step) are its children; a throw ends it as an error. `root` starts a new trace, for work that
   * outlives what set it going (a run's steps long after the request that started it).
   */
  async inSpan<T>(name: string, attributes: Attributes, work: (span: Span) => Promise<T>, opts: { root?: boolean } = {}): Promise<T> {
    if (!this.tracer) return work(NO_SPAN);
    const parent = opts.root ? ROOT_CONTEXT : context.active();
    const span = this.tracer.startSpan(name, { attributes }, parent);
    try {
      return await context.with(trace.setSpan(parent, span), () => work(span));
    } catch (err) {
      failed(span, err instanceof Error ? err.name : 'error');
      throw err;
    } finally {
      span.end();
    }
  }

  /** Starts a span its caller ends, under the current one (a room intent) or under `parent`. */
  start(name: string, attributes: Attributes, parent = context.active()): Span {
    return this.tracer ? this.tracer.startSpan(name, { attributes }, parent) : NO_SPAN;
  }

  /** Starts a request's span, continuing the caller's trace when it sent a W3C `traceparent`. */
  startRequest(name: string, headers: Record<string, unknown>, attributes: Attributes): Span {
    if (!this.tracer) return NO_SPAN;
    return this.tracer.startSpan(name, { kind: SpanKind.SERVER, attributes }, propagation.extract(ROOT_CONTEXT, headers));
  }

  /** Runs `fn` with `span` current, so what it starts (synchronously or not) is the span's child. */
  within<T>(span: Span, fn: () => T): T {
    return this.tracer ? context.with(trace.setSpan(context.active(), span), fn) : fn();
  }

  /** A span for work that has just ended and was timed by whoever did it (an AI call, a transaction). */
  ended(name: string, attributes: Attributes, seconds: number, failure?: string): void {
    if (!this.tracer) return;
    const end = Date.now();
    const span = this.tracer.startSpan(name, { attributes, startTime: end - Math.max(0, seconds) * 1000 });
    if (failure) failed(span, failure);
    span.end(end);
  }

  /** Sends what is left and stops; later spans record nothing. */
  async shutdown(): Promise<void> {
    await this.flush();
  }
}

/** Marks a span as failed, with the failure's code as `error.type`. */
export function failed(span: Span, code: string): void {
  span.setAttribute('error.type', code);
  span.setStatus({ code: SpanStatusCode.ERROR });
}

/** The trace id to put in log lines, when the span is being recorded. */
export function traceIdOf(span: Span): string | undefined {
  return span.isRecording() ? span.spanContext().traceId : undefined;
}

/** Tracing as configured: off (the no-op) without an endpoint, else the SDK started. */
export async function startTracing(config: TracingConfig | null, about: { version: string; log: Logger }): Promise<Tracing> {
  if (!config) return new Tracing(null);
  // the SDK is loaded only when it is used: a server without tracing does not pay for it
  const { startSdk } = await import('./otel');
  const sdk = startSdk(config, about);
  about.log.info({ endpoint: config.endpoint, service: config.serviceName, sampler: config.sampler }, 'tracing on: spans go to the OTLP endpoint');
  return new Tracing(sdk.tracer, sdk.shutdown);
}
