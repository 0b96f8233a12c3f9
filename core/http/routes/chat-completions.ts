import type { Context } from 'koa';
import type { ChatCompletion, ChatCompletionRequest } from '../../contracts/openai.ts';
import type { StreamItem } from '../../contracts/provider.ts';
import { GatewayError, isGatewayError } from '../../errors/gateway-error.ts';
import { UpstreamProtocolError } from '../../errors/upstream-protocol-error.ts';
import { UpstreamTimeoutError } from '../../errors/upstream-timeout-error.ts';
import { bareJsonCompletion, bareJsonStream, wantsJson } from '../../openai/json-mode.ts';
import { chatNeeds } from '../../routing/request-needs.ts';
import { resolveModel, type ChainEntry } from '../../routing/model-resolver.ts';
import type { RequestScope } from '../../routing/request-scope.ts';
import { openStream, remainingChunks } from '../../routing/stream-opener.ts';
import { sendJson } from '../respond.ts';
import { SseWriter } from '../sse-writer.ts';
import type { GatewayServices } from '../services.ts';
import { validateChatRequest } from '../validation/validators.ts';
import { withRequestScope, type RequestOutcome } from './request-lifecycle.ts';

export const RESOLVED_HEADER = 'X-Mana-LLM-Resolved';

/** `POST /v1/chat/completions`: validate, resolve the model to a chain, walk it, answer as JSON or SSE. */
export function chatCompletions(services: GatewayServices) {
  return async (ctx: Context): Promise<void> => {
    const request = validateChatRequest(ctx.request.body);
    const resolution = resolveModel(request.model, services.aliases.current, services.resolver);
    const stream = request.stream === true;
    await withRequestScope(ctx, services, 'chat', resolution, stream, (scope, outcome) =>
      stream ? streamAnswer(ctx, services, request, resolution.chain, scope, outcome) : wholeAnswer(ctx, services, request, resolution.chain, scope, outcome),
    );
  };
}

async function wholeAnswer(
  ctx: Context,
  services: GatewayServices,
  request: ChatCompletionRequest,
  chain: ChainEntry[],
  scope: RequestScope,
  outcome: RequestOutcome,
): Promise<void> {
  const { value, attempt } = await services.router.walk(scope, chain, chatNeeds(request), async (attempt) => {
    const limit = attempt.remainingMs();
    const completion = await attempt.within(
      attempt.provider.chat(request, attempt.call),
      limit,
      () => new UpstreamTimeoutError(`${attempt.entry.resolved} did not answer within ${limit}ms`, 'attempt'),
    );
    if (!completion || !Array.isArray(completion.choices)) {
      throw new UpstreamProtocolError(`${attempt.entry.resolved} returned an answer without choices`);
    }
    return completion;
  });
  attempt.dispose();
  const completion: ChatCompletion = wantsJson(request) ? bareJsonCompletion(value) : value;
  completion.model = attempt.entry.resolved;
  Object.assign(outcome, { resolved: attempt.entry.resolved, provider: attempt.entry.provider, model: attempt.entry.model, usage: completion.usage });
  ctx.set(RESOLVED_HEADER, attempt.entry.resolved);
  sendJson(ctx, completion);
}

async function streamAnswer(
  ctx: Context,
  services: GatewayServices,
  request: ChatCompletionRequest,
  chain: ChainEntry[],
  scope: RequestScope,
  outcome: RequestOutcome,
): Promise<void> {
  const includeUsage = request.stream_options?.include_usage === true;
  // Providers always report usage (for metrics); the writer drops it when the caller did not ask.
  const upstreamRequest: ChatCompletionRequest = { ...request, stream: true, stream_options: { include_usage: true } };
  const { value: opened, attempt } = await services.router.walk(scope, chain, chatNeeds(request), (a) => openStream(a, upstreamRequest));

  const resolved = attempt.entry.resolved;
  Object.assign(outcome, { resolved, provider: attempt.entry.provider, model: attempt.entry.model });
  ctx.respond = false;
  ctx.status = 200;
  const writer = new SseWriter(ctx.res, resolved, includeUsage);
  writer.begin({ [RESOLVED_HEADER]: resolved });
  const chunks = wantsJson(request) ? bareJsonStream(answerChunks(opened.first, remainingChunks(attempt, opened.iterator))) : undefined;
  try {
    if (chunks) {
      for await (const item of chunks) {
        await writer.write(item);
        outcome.ttftMs ??= performance.now() - scope.startedAt;
      }
    } else {
      await writer.write(opened.first);
      outcome.ttftMs = performance.now() - scope.startedAt;
      for await (const item of remainingChunks(attempt, opened.iterator)) await writer.write(item);
    }
    outcome.usage = writer.usage;
    if (scope.clientClosed) throw scope.signal.reason;
    writer.done();
  } catch (thrown) {
    outcome.usage = writer.usage;
    if (scope.clientClosed) throw scope.signal.reason;
    const error = isGatewayError(thrown) ? thrown : new UpstreamProtocolError(`${resolved}: ${(thrown as Error)?.message ?? String(thrown)}`, thrown);
    services.router.failedAfterCommit(attempt, error);
    services.log.warn({ requestId: scope.requestId, resolved, code: error.code, err: error.message }, 'stream ended with an error after its first chunk');
    writer.error(error, scope.requestId);
    throw new StreamFailedError(error);
  }
}

async function* answerChunks(first: StreamItem, rest: AsyncIterable<StreamItem>): AsyncGenerator<StreamItem> {
  yield first;
  yield* rest;
}

/** A stream that failed after it began: the error event is already written; only the request log needs it. */
class StreamFailedError extends GatewayError {
  constructor(inner: GatewayError) {
    super(inner.message, { status: inner.status, code: inner.code, reason: inner.reason, cause: inner });
  }
}
