import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BasicTracerProvider,
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  type ReadableSpan,
  type Sampler,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import type { ExportResult } from '@opentelemetry/core';
import { parseHeaders, protocolOf, tracesUrl, type OtelOptions } from './options.ts';

/** What the exporter and the resource need besides the options. */
export interface ProviderIdentity {
  serviceVersion: string;
  /** This replica (`service.instance.id`). */
  instanceId: string;
}

/**
 * The SDK's tracer provider for the gateway: an OTLP/HTTP exporter (protobuf or JSON) behind a batch
 * processor, the sampler the OTEL_* variables name, and a resource naming the service and the replica.
 * It is not registered globally: the plugin hands its tracer around, so nothing else in the process is
 * traced by accident and tests can run several gateways side by side.
 */
export function createTracerProvider(options: OtelOptions, identity: ProviderIdentity): BasicTracerProvider {
  const exporterOptions = { url: tracesUrl(options), headers: parseHeaders(options.headers) };
  const exporter: SpanExporter = protocolOf(options) === 'http/json' ? new JsonExporter(exporterOptions) : new ProtobufExporter(exporterOptions);
  return new BasicTracerProvider({
    resource: resourceFromAttributes({
      'service.name': options.serviceName || 'mana-llm',
      'service.version': identity.serviceVersion,
      'service.instance.id': identity.instanceId,
    }),
    sampler: samplerOf(options.sampler, options.samplerArg),
    spanProcessors: [new BatchSpanProcessor(new DeferredExporter(exporter), { scheduledDelayMillis: options.scheduleDelayMs ?? 5000 })],
  });
}

/**
 * Serializes and sends a batch on a turn of its own. The batch processor exports as soon as its queue holds
 * a full batch, from inside the `span.end()` that filled it: without this, every 256th request would
 * serialize 512 spans (milliseconds) inside its own attempt.end or request.end listener.
 */
export class DeferredExporter implements SpanExporter {
  constructor(private readonly exporter: SpanExporter) {}

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    setImmediate(() => this.exporter.export(spans, done));
  }

  shutdown(): Promise<void> {
    return this.exporter.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.exporter.forceFlush?.() ?? Promise.resolve();
  }
}

/** The sampler of OTEL_TRACES_SAMPLER / _ARG (the specification's names); parent-based always-on by default. */
export function samplerOf(name: string | undefined, arg: string | undefined): Sampler {
  const ratio = arg ? Number(arg) : 1;
  switch (name) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(ratio);
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) });
    default:
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
  }
}
