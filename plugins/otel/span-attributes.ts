import type { Attributes } from '@opentelemetry/api';
import type { AttemptEndEvent, AttemptStartEvent, RequestEndEvent } from '../../core/index.ts';

// The attributes of the CONTRACT's spans, as plain functions of the core's events (table-tested): the
// OpenTelemetry semantic conventions for HTTP servers and generative AI, and the gateway's own.

export function attemptStartAttributes(e: AttemptStartEvent, maxTokens: number | undefined, temperature: number | undefined): Attributes {
  const attributes: Attributes = {
    'gen_ai.operation.name': e.operation,
    'gen_ai.provider.name': e.provider,
    'gen_ai.request.model': e.model,
  };
  if (maxTokens !== undefined) attributes['gen_ai.request.max_tokens'] = maxTokens;
  if (temperature !== undefined) attributes['gen_ai.request.temperature'] = temperature;
  return attributes;
}

/** The end's attributes, added to `attributes` (the span's so far, so that it takes all of them in one call). */
export function attemptEndAttributes(e: AttemptEndEvent, attributes: Attributes = {}): Attributes {
  if (e.responseModel !== undefined) attributes['gen_ai.response.model'] = e.responseModel;
  if (e.usage) {
    attributes['gen_ai.usage.input_tokens'] = e.usage.prompt_tokens;
    if (typeof e.usage.completion_tokens === 'number') attributes['gen_ai.usage.output_tokens'] = e.usage.completion_tokens;
  }
  if (e.finishReasons && e.finishReasons.length > 0) attributes['gen_ai.response.finish_reasons'] = e.finishReasons;
  if (e.ttftMs !== undefined) attributes['mana_llm.time_to_first_token_ms'] = Math.round(e.ttftMs * 10) / 10;
  if (!e.ok) attributes['error.type'] = e.errorType ?? '_OTHER';
  return attributes;
}

/** The end's attributes, added to `attributes` (the span's so far, so that it takes all of them in one call). */
export function requestEndAttributes(e: RequestEndEvent, attributes: Attributes = {}): Attributes {
  attributes['http.response.status_code'] = e.status;
  attributes['mana_llm.requested_model'] = e.requestedModel;
  attributes['mana_llm.caller'] = e.caller;
  attributes['mana_llm.cache'] = e.cache ?? 'bypass';
  if (e.resolved !== undefined) attributes['mana_llm.resolved_model'] = e.resolved;
  if (e.errorCode !== undefined) attributes['error.type'] = e.errorCode;
  if (e.ttftMs !== undefined) attributes['mana_llm.time_to_first_token_ms'] = Math.round(e.ttftMs * 10) / 10;
  return attributes;
}
