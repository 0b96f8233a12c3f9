// The one import surface for plugins: contracts, definePlugin, errors and the upstream helpers.
// Plugins import from here and nowhere else in core/.

export * from './contracts/openai.ts';
export * from './contracts/provider.ts';
export type { HealthProbe } from './contracts/health-probe.ts';
export type { ResponseCache } from './contracts/response-cache.ts';
export type { UsageCounts, UsageLedger, UsageRow } from './contracts/usage-ledger.ts';
export type { CircuitRecord, SharedCircuits, SharedLease, SharedLeases, SharedState } from './contracts/shared-state.ts';
export { ByteLru } from './cache/byte-lru.ts';
export type * from './contracts/events.ts';
export type { AliasOutlook, EntryOutlook } from './routing/chain-outlook.ts';
export * from './errors/index.ts';
export * from './plugin/define-plugin.ts';
export type { Logger } from './log/logger.ts';
export { UpstreamClient, type UpstreamClientOptions, type SendOptions, type UpstreamBody, type UpstreamResponse } from './upstream/http-client.ts';
export { errorFromUpstreamStatus, upstreamErrorMessage } from './upstream/status-errors.ts';
export { discard, errorFromResponse, isSuccess, readJson, readText, type ReplyOptions, type StatusErrorMapping } from './upstream/upstream-reply.ts';
export { parseRetryAfter } from './upstream/retry-after.ts';
export { LineSplitter } from './upstream/line-splitter.ts';
export { SseParser, type SseEvent } from './upstream/sse-parser.ts';
export { NdjsonParser } from './upstream/ndjson-parser.ts';
export { redactSecrets } from './upstream/redact.ts';
export { completionId, toolCallId, unixSeconds } from './openai/ids.ts';
export { parseDataUrl, type DataUrl } from './openai/data-url.ts';
export { messageText } from './openai/message-text.ts';
export { ChunkBuilder, type ChunkFrame } from './openai/chunk-builder.ts';
export { serializedChunk } from './openai/model-field.ts';
export { finishAfterEndMarker } from './upstream/finish-body.ts';
export { pumpToEndMarker, type StreamPump } from './upstream/stream-pump.ts';
