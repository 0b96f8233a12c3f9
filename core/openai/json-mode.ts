import type { ChatCompletion, ChatCompletionChunk, ChatCompletionRequest } from '../contracts/openai.ts';
import { isSerializedChunk, type StreamItem } from '../contracts/provider.ts';
import { JsonFenceStripper, stripJsonFences } from './json-fences.ts';

/** Whether the caller asked for JSON (`json_object` or `json_schema`). */
export function wantsJson(request: ChatCompletionRequest): boolean {
  const type = request.response_format?.type;
  return type === 'json_object' || type === 'json_schema';
}

/** A whole JSON-mode answer with leftover Markdown fences removed from each choice. */
export function bareJsonCompletion(completion: ChatCompletion): ChatCompletion {
  for (const choice of completion.choices) {
    if (typeof choice.message?.content === 'string') choice.message.content = stripJsonFences(choice.message.content);
  }
  return completion;
}

/** A JSON-mode stream with leftover fences removed, per choice, as the pieces pass. */
export async function* bareJsonStream(items: AsyncIterable<StreamItem>): AsyncGenerator<StreamItem> {
  const strippers = new Map<number, JsonFenceStripper>();
  for await (const item of items) {
    const chunk: ChatCompletionChunk = isSerializedChunk(item) ? JSON.parse(item.serialized) : item;
    for (const choice of chunk.choices ?? []) {
      let stripper = strippers.get(choice.index);
      if (!stripper) strippers.set(choice.index, (stripper = new JsonFenceStripper()));
      if (typeof choice.delta?.content === 'string') choice.delta.content = stripper.push(choice.delta.content);
      if (choice.finish_reason) {
        const rest = stripper.end();
        if (rest) choice.delta.content = (choice.delta.content ?? '') + rest;
      }
    }
    yield chunk;
  }
}
