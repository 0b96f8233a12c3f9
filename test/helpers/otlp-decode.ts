import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import protobuf from 'protobufjs';
import { PROJECT_ROOT } from '../../core/gateway.ts';

// OTLP trace exports, protobuf or JSON, decoded to one plain shape for assertions: ids as lowercase hex,
// kinds as words, attributes as plain values.

export type AttributeValue = string | number | boolean | AttributeValue[] | { [key: string]: AttributeValue } | null;

export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  /** '' for a root span. */
  parentSpanId: string;
  name: string;
  kind: 'UNSPECIFIED' | 'INTERNAL' | 'SERVER' | 'CLIENT' | 'PRODUCER' | 'CONSUMER';
  attributes: Record<string, AttributeValue>;
  events: Array<{ name: string; attributes: Record<string, AttributeValue> }>;
  status: { code: 'UNSET' | 'OK' | 'ERROR'; message: string };
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  resource: Record<string, AttributeValue>;
  scope: string;
}

const KINDS = ['UNSPECIFIED', 'INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'] as const;
const STATUSES = ['UNSET', 'OK', 'ERROR'] as const;

const root = protobuf.parse(readFileSync(join(PROJECT_ROOT, 'test/fixtures/otlp/trace.proto'), 'utf8'), { keepCase: false }).root;
const ExportRequest = root.lookupType('opentelemetry.proto.ExportTraceServiceRequest');

/** Decodes an `application/x-protobuf` export body. */
export function decodeProtobuf(body: Buffer): ReceivedSpan[] {
  const message = ExportRequest.toObject(ExportRequest.decode(body), { longs: String, bytes: Buffer, enums: Number, defaults: false });
  return spansOf(message as Export, 'protobuf');
}

/** Decodes an `application/json` export body (OTLP/JSON: camelCase keys, ids as hex strings, int64 as strings). */
export function decodeJson(body: Buffer): ReceivedSpan[] {
  return spansOf(JSON.parse(body.toString('utf8')) as Export, 'json');
}

interface Export {
  resourceSpans?: Array<{ resource?: { attributes?: KeyValue[] }; scopeSpans?: Array<{ scope?: { name?: string }; spans?: WireSpan[] }> }>;
}
interface KeyValue {
  key: string;
  value?: AnyValue;
}
interface AnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string | number;
  doubleValue?: number;
  arrayValue?: { values?: AnyValue[] };
  kvlistValue?: { values?: KeyValue[] };
  bytesValue?: Buffer | string;
}
interface WireSpan {
  traceId: Buffer | string;
  spanId: Buffer | string;
  parentSpanId?: Buffer | string;
  name: string;
  kind?: number;
  startTimeUnixNano: string | number;
  endTimeUnixNano: string | number;
  attributes?: KeyValue[];
  events?: Array<{ name: string; attributes?: KeyValue[] }>;
  status?: { code?: number; message?: string };
}

function spansOf(message: Export, format: 'protobuf' | 'json'): ReceivedSpan[] {
  const out: ReceivedSpan[] = [];
  for (const resourceSpans of message.resourceSpans ?? []) {
    const resource = attributesOf(resourceSpans.resource?.attributes);
    for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
      for (const span of scopeSpans.spans ?? []) {
        out.push({
          traceId: hex(span.traceId, format),
          spanId: hex(span.spanId, format),
          parentSpanId: span.parentSpanId ? hex(span.parentSpanId, format) : '',
          name: span.name,
          kind: KINDS[span.kind ?? 0] ?? 'UNSPECIFIED',
          attributes: attributesOf(span.attributes),
          events: (span.events ?? []).map((e) => ({ name: e.name, attributes: attributesOf(e.attributes) })),
          status: { code: STATUSES[span.status?.code ?? 0] ?? 'UNSET', message: span.status?.message ?? '' },
          startTimeUnixNano: BigInt(span.startTimeUnixNano),
          endTimeUnixNano: BigInt(span.endTimeUnixNano),
          resource,
          scope: scopeSpans.scope?.name ?? '',
        });
      }
    }
  }
  return out;
}

function hex(id: Buffer | string, format: 'protobuf' | 'json'): string {
  if (typeof id === 'string') return format === 'json' ? id.toLowerCase() : Buffer.from(id, 'base64').toString('hex');
  return Buffer.from(id).toString('hex');
}

function attributesOf(list: KeyValue[] | undefined): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const { key, value } of list ?? []) out[key] = valueOf(value);
  return out;
}

function valueOf(value: AnyValue | undefined): AttributeValue {
  if (!value) return null;
  if (value.stringValue !== undefined && value.stringValue !== null) return value.stringValue;
  if (value.boolValue !== undefined && value.boolValue !== null) return value.boolValue;
  if (value.intValue !== undefined && value.intValue !== null) return Number(value.intValue);
  if (value.doubleValue !== undefined && value.doubleValue !== null) return value.doubleValue;
  if (value.arrayValue) return (value.arrayValue.values ?? []).map(valueOf);
  if (value.kvlistValue) return attributesOf(value.kvlistValue.values);
  return null;
}
