import type { ChatCompletion, ChatMessage } from '../contracts/openai.ts';
import type { OutputMessage, ResponseObject, ResponseOutputItem } from '../contracts/responses.ts';
import { toolCallId } from '../openai/ids.ts';
import { messageText } from '../openai/message-text.ts';
import { finishStatus } from './finish-status.ts';
import { outputItemId } from './ids.ts';
import { functionCallItem, messageItem, reasoningItem, refusalPart, textPart } from './output-items.ts';
import { reasoningText } from './reasoning-text.ts';
import type { ResponseContext } from './response-context.ts';
import { responseObject } from './response-object.ts';
import { toResponseUsage } from './response-usage.ts';

/**
 * A whole chat answer as a Response: a reasoning item when the provider returned reasoning, a message item
 * for the text (and a refusal), one `function_call` item per tool call, in that order, each with an id of
 * this response (`rs_`, `msg_`, `fc_`). An answer with nothing at all still has one empty message, so that
 * clients find the text where they look. A length cut or a filtered answer is `incomplete` and so is the
 * item it cut into, the last one.
 */
export function toResponse(completion: ChatCompletion, context: ResponseContext): ResponseObject {
  const choice = completion.choices?.[0];
  const message: Partial<ChatMessage> = choice?.message ?? {};
  const output: ResponseOutputItem[] = [];
  const itemId = (kind: ResponseOutputItem['type']) => outputItemId(kind, context.id, output.length);

  const reasoning = reasoningText(message);
  if (reasoning !== '') output.push(reasoningItem(itemId('reasoning'), reasoning, 'completed'));
  const content: OutputMessage['content'] = [];
  const text = messageText(message.content);
  if (text !== '') content.push(textPart(text));
  if (typeof message.refusal === 'string' && message.refusal !== '') content.push(refusalPart(message.refusal));
  if (content.length > 0) output.push(messageItem(itemId('message'), content, 'completed'));
  for (const call of message.tool_calls ?? []) {
    output.push(functionCallItem(itemId('function_call'), call.id || toolCallId(), call.function?.name ?? '', call.function?.arguments ?? '', 'completed'));
  }
  if (output.length === 0) output.push(messageItem(itemId('message'), [textPart('')], 'completed'));

  const { status, incomplete_details } = finishStatus(choice?.finish_reason);
  if (status === 'incomplete') output[output.length - 1]!.status = 'incomplete';
  return responseObject(context, { status, output, usage: toResponseUsage(completion.usage), error: null, incomplete_details });
}
