// The plugin's options, from the profile (which takes them from the standard OTEL_* variables).

export interface OtelOptions {
  /** OTEL_EXPORTER_OTLP_ENDPOINT: the collector's base URL; traces go to `<endpoint>/v1/traces`. */
  endpoint?: string;
  /** OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: the full traces URL, used as it is (wins over `endpoint`). */
  tracesEndpoint?: string;
  /** OTEL_EXPORTER_OTLP_PROTOCOL: `http/protobuf` (default) or `http/json`. */
  protocol?: string;
  /** OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: the same for traces alone (wins over `protocol`). */
  tracesProtocol?: string;
  /** OTEL_EXPORTER_OTLP_HEADERS: `key=value,key2=value2`, sent with every export (a collector's token). */
  headers?: string;
  /** OTEL_SERVICE_NAME. */
  serviceName?: string;
  /** OTEL_TRACES_SAMPLER: always_on, always_off, traceidratio, parentbased_always_on (default), parentbased_always_off, parentbased_traceidratio. */
  sampler?: string;
  /** OTEL_TRACES_SAMPLER_ARG: the ratio of the ratio samplers. */
  samplerArg?: string;
  /** OTEL_BSP_SCHEDULE_DELAY: ms between two batch exports. */
  scheduleDelayMs?: number;
  /** OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: record prompts and answers on spans. */
  captureContent?: boolean;
}

export const PROTOCOLS = ['http/protobuf', 'http/json'] as const;
export const SAMPLERS = ['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'] as const;

export const optionsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    endpoint: { type: 'string', default: '', pattern: '^(https?://.+)?$' },
    tracesEndpoint: { type: 'string', default: '', pattern: '^(https?://.+)?$' },
    protocol: { type: 'string', enum: ['', ...PROTOCOLS], default: '' },
    tracesProtocol: { type: 'string', enum: ['', ...PROTOCOLS], default: '' },
    headers: { type: 'string', default: '' },
    serviceName: { type: 'string', default: '' },
    sampler: { type: 'string', enum: ['', ...SAMPLERS], default: '' },
    samplerArg: { type: 'string', default: '', pattern: '^(0(\\.\\d+)?|1(\\.0+)?)?$' },
    scheduleDelayMs: { type: 'integer', minimum: 1, default: 5000 },
    captureContent: { type: 'boolean', default: false },
  },
} as const;

/** Tracing is off — the plugin unconfigured — until a collector is named. */
export function unconfiguredReason(options: OtelOptions): string | undefined {
  return options.endpoint || options.tracesEndpoint ? undefined : 'no OTLP endpoint (OTEL_EXPORTER_OTLP_ENDPOINT) is set';
}

/** The protocol traces are exported with: the traces-only variable first, protobuf by default. */
export function protocolOf(options: OtelOptions): (typeof PROTOCOLS)[number] {
  return (options.tracesProtocol || options.protocol || 'http/protobuf') as (typeof PROTOCOLS)[number];
}

/** The URL traces are posted to, as the OTLP exporter specification builds it. */
export function tracesUrl(options: OtelOptions): string {
  if (options.tracesEndpoint) return options.tracesEndpoint;
  return `${(options.endpoint ?? '').replace(/\/+$/, '')}/v1/traces`;
}

/** `key=value,key2=value2` (values percent-decoded, as the specification says) into a record. */
export function parseHeaders(text: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const pair of (text ?? '').split(',')) {
    const cut = pair.indexOf('=');
    if (cut <= 0) continue;
    const key = pair.slice(0, cut).trim();
    const value = pair.slice(cut + 1).trim();
    if (key) headers[key] = safeDecode(value);
  }
  return headers;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
