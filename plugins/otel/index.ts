// OpenTelemetry traces of every model request and of each attempt of its chain, exported over OTLP/HTTP
// with the official SDK. Enabled when OTEL_EXPORTER_OTLP_ENDPOINT (or _TRACES_ENDPOINT) is set; with it
// unset the plugin is unconfigured and the request path does no tracing work at all.
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { definePlugin, type Observer } from '../../core/index.ts';
import { optionsSchema, protocolOf, tracesUrl, unconfiguredReason, type OtelOptions } from './options.ts';
import { traceRequests } from './request-spans.ts';
import { createTracerProvider } from './tracer-provider.ts';

const SERVICE_VERSION = '0.1.0';

export default definePlugin<'observer', OtelOptions>({
  name: 'otel',
  kind: 'observer',
  optionsSchema,
  unconfigured: unconfiguredReason,
  create(ctx, options): Observer {
    const provider = createTracerProvider(options, { serviceVersion: SERVICE_VERSION, instanceId: ctx.gateway.replica });
    const stop = traceRequests(ctx.events, provider.getTracer('mana-llm', SERVICE_VERSION), new W3CTraceContextPropagator(), options.captureContent === true);
    ctx.onClose(async () => {
      stop();
      // What is batched goes out now, bounded by the exporter's own timeout; a collector that is down costs only these spans.
      await provider.shutdown().catch((err: Error) => ctx.log.warn({ err: err.message }, 'the last spans could not be exported'));
    });
    ctx.log.info({ url: withoutCredentials(tracesUrl(options)), protocol: protocolOf(options), sampler: options.sampler || 'parentbased_always_on' }, 'exporting traces over OTLP');
    return {};
  },
});

/** The collector's URL for the log, without a user or password in it. */
function withoutCredentials(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return 'the OTLP endpoint (unparsable)';
  }
}
