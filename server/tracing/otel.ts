/**
 * The OpenTelemetry SDK, started only when tracing is configured (Tracing.ts imports this module on
 * demand). Everything is set from the validated config, so the SDK's own reading of OTEL_* variables
 * only fills in what the config does not name (exporter headers, timeouts).
 */
import { DiagLogLevel, context, diag, propagation, trace, type DiagLogFunction, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AlwaysOffSampler, AlwaysOnSampler, BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler, type Sampler } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import type { Logger } from '../log';
import type { SamplerName, TracingConfig } from './Tracing';

function sampler(name: SamplerName, ratio = 1): Sampler {
  switch (name) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(ratio);
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) });
    default: {
      const unreachable: never = name;
      throw new Error(`unknown sampler ${String(unreachable)}`);
    }
  }
}

/** Starts the SDK: a batch of spans is exported every `exportDelayMs` over OTLP/HTTP (JSON). */
export function startSdk(config: TracingConfig, about: { version: string; log: Logger }): { tracer: Tracer; shutdown(): Promise<void> } {
  // an unreachable collector is worth a warning in our log, not a silent loss of every span
  const warn: DiagLogFunction = (message, ...args) => about.log.warn({ component: 'tracing', detail: args.map(String).join(' ').slice(0, 500) }, message);
  const quiet: DiagLogFunction = () => undefined;
  diag.setLogger({ error: warn, warn, info: quiet, debug: quiet, verbose: quiet }, DiagLogLevel.WARN);

  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: config.serviceName, [ATTR_SERVICE_VERSION]: about.version }),
    sampler: sampler(config.sampler, config.samplerArg),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: config.endpoint }), { scheduledDelayMillis: config.exportDelayMs })],
  });
  // the async-local context (spans nest across awaits) and W3C traceparent from callers
  provider.register();
  return {
    tracer: provider.getTracer('document-workflow-chain', about.version),
    async shutdown() {
      try {
        await provider.shutdown();
      } finally {
        trace.disable();
        context.disable();
        propagation.disable();
        diag.disable();
      }
    },
  };
}
