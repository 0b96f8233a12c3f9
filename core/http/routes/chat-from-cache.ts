import type { Context } from 'koa';
import type { StoredAnswer } from '../../cache/answer-cache.ts';
import { replayChunks } from '../../cache/replay-stream.ts';
import type { ChatCompletionRequest } from '../../contracts/openai.ts';
import { RESOLVED_HEADER } from '../headers.ts';
import { SseWriter } from '../sse-writer.ts';
import { answeredFromCache } from './cache-step.ts';
import type { ServedRequest } from './model-request.ts';

/** Answers from a cached answer: as stored for a whole-answer caller, as a proper stream for a streaming one. */
export async function replayCachedAnswer(
  ctx: Context,
  served: ServedRequest,
  request: ChatCompletionRequest,
  stored: Extract<StoredAnswer, { kind: 'chat' }>,
): Promise<void> {
  const { resolved, completion } = stored;
  answeredFromCache(served.outcome, stored);
  if (request.stream !== true) {
    ctx.set(RESOLVED_HEADER, resolved);
    ctx.status = 200;
    ctx.type = 'application/json';
    ctx.body = JSON.stringify(completion);
    return;
  }
  ctx.respond = false;
  ctx.status = 200;
  const writer = new SseWriter(ctx.res, resolved, request.stream_options?.include_usage === true);
  writer.begin({ [RESOLVED_HEADER]: resolved });
  for (const chunk of replayChunks(completion)) {
    const full = writer.write(chunk);
    if (full) await full;
  }
  writer.done();
}
