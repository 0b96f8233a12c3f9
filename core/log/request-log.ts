import type { EventBus, RequestEndEvent } from '../contracts/events.ts';
import type { Logger } from './logger.ts';

/**
 * One structured line per model request, written when it ends: who asked for what, what answered, how
 * long it took, the tokens, the fallback attempts and whether the caller went away. Never the prompt, the
 * answer or a key — only names, numbers and the short reason words of the attempts.
 */
export function installRequestLog(events: EventBus, log: Logger): void {
  events.on('request.end', (end) => {
    const level = end.status >= 500 && !end.clientAborted ? 'warn' : 'info';
    // Building the line costs more than the check: skip it when the level is off (LOG_LEVEL=error).
    if (!log.isLevelEnabled(level)) return;
    log[level](requestLine(end), `${end.route} ${end.requestedModel} → ${end.resolved ?? 'none'} ${end.status}`);
  });
}

export function requestLine(end: RequestEndEvent): Record<string, unknown> {
  return {
    requestId: end.requestId,
    caller: end.caller,
    route: end.route,
    stream: end.stream,
    requestedModel: end.requestedModel,
    resolved: end.resolved ?? null,
    provider: end.provider ?? null,
    status: end.status,
    errorCode: end.errorCode ?? null,
    durationMs: round(end.durationMs),
    ttftMs: end.ttftMs === undefined ? null : round(end.ttftMs),
    promptTokens: end.usage?.prompt_tokens ?? null,
    completionTokens: end.usage?.completion_tokens ?? null,
    cache: end.cache ?? null,
    costUsd: end.costUsd ?? null,
    attempts: end.attempts.map((a) => ({ model: a.model, reason: a.reason })),
    clientAborted: end.clientAborted,
    // Set when a tracing observer runs: the line joins its trace.
    trace_id: end.trace?.traceId ?? null,
    span_id: end.trace?.spanId ?? null,
  };
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
