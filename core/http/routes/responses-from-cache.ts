import type { StoredAnswer } from '../../cache/answer-cache.ts';
import { replayChunks } from '../../cache/replay-stream.ts';
import { responseContext } from '../../responses/response-context.ts';
import { responseJson } from '../../responses/response-json.ts';
import { EventSerializer } from '../../responses/sse-event.ts';
import { ResponseStreamTranslator } from '../../responses/stream-translator.ts';
import { toResponse } from '../../responses/to-response.ts';
import type { Context } from 'koa';
import { EVENT_STREAM_HEADERS, writeEvent } from '../event-stream.ts';
import { RESOLVED_HEADER } from '../headers.ts';
import { sendJsonText } from '../respond.ts';
import type { GatewayServices } from '../services.ts';
import { answeredFromCache } from './cache-step.ts';
import type { ServedRequest } from './model-request.ts';
import { keepResponse, type ResponsesTurn } from './responses-turn.ts';

/** Answers a Responses request from a cached chat answer: as a whole Response, or as its event stream. */
export async function replayCachedResponse(
  ctx: Context,
  services: GatewayServices,
  served: ServedRequest,
  turn: ResponsesTurn,
  stored: Extract<StoredAnswer, { kind: 'chat' }>,
): Promise<void> {
  const { resolved, completion } = stored;
  answeredFromCache(served.outcome, stored);
  const context = responseContext(turn.request, resolved);
  if (turn.request.stream !== true) {
    const response = toResponse(completion, context);
    const body = responseJson(response);
    ctx.set(RESOLVED_HEADER, resolved);
    sendJsonText(ctx, body);
    keepResponse(ctx, services, turn, response, body);
    return;
  }
  const translator = new ResponseStreamTranslator(context);
  ctx.respond = false;
  ctx.status = 200;
  ctx.res.writeHead(200, { ...EVENT_STREAM_HEADERS, [RESOLVED_HEADER]: resolved });
  const serializer = new EventSerializer();
  for (const chunk of replayChunks(completion)) {
    for (const event of translator.push(chunk)) {
      const full = writeEvent(ctx.res, serializer.event(event));
      if (full) await full;
    }
  }
  for (const event of translator.finish()) writeEvent(ctx.res, serializer.event(event));
  ctx.res.end();
  const { response } = translator;
  if (response) keepResponse(ctx, services, turn, response, serializer.response === response ? serializer.responseText : undefined);
}
