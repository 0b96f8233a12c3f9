import type { ChatMessage, ToolCall } from '../contracts/openai.ts';
import type { ConversationItem } from '../contracts/responses.ts';
import { InvalidRequestError } from '../errors/invalid-request-error.ts';
import { chatContent, outputText } from './message-content.ts';

/** A conversation item and the request field a 400 about it names (`input[3]`, or `previous_response_id`). */
export interface PlacedItem {
  item: ConversationItem;
  param: string;
}

/**
 * Conversation items as chat messages. A `function_call` joins the assistant message just before it (the
 * text it came with, or the other calls of the same turn), since chat wants one assistant message holding
 * all of a turn's tool calls and then one `tool` message per call; a `function_call_output` becomes that
 * `tool` message. Calls and outputs are matched by `call_id`: an output without its call, or a call left
 * without an output, is a 400 here rather than an obscure refusal from the provider. Reasoning items are
 * dropped: chat has no common way to hand reasoning back, and providers that have one refuse it from others.
 */
export function toChatMessages(items: readonly PlacedItem[]): ChatMessage[] {
  const messages: ChatMessage[] = [];
  const calls = new Map<string, { param: string; answered: boolean }>();
  for (const { item, param } of items) {
    if (item.type === 'function_call') {
      const call: ToolCall = { id: item.call_id, type: 'function', function: { name: item.name, arguments: item.arguments } };
      const last = messages[messages.length - 1];
      if (last?.role === 'assistant') (last.tool_calls ??= []).push(call);
      else messages.push({ role: 'assistant', content: null, tool_calls: [call] });
      calls.set(item.call_id, { param, answered: false });
    } else if (item.type === 'function_call_output') {
      const call = calls.get(item.call_id);
      if (!call) {
        throw new InvalidRequestError(`No function_call with call_id "${item.call_id}" comes before this function_call_output.`, `${param}.call_id`);
      }
      call.answered = true;
      messages.push({ role: 'tool', tool_call_id: item.call_id, content: outputText(item.output) });
    } else if (item.type === undefined || item.type === 'message') {
      messages.push({ role: item.role, content: chatContent(item.content, item.role) });
    }
  }
  for (const [callId, call] of calls) {
    if (!call.answered) {
      const where = call.param === 'previous_response_id' ? 'the previous response' : `\`${call.param}\``;
      throw new InvalidRequestError(`The function call "${callId}" in ${where} has no function_call_output; send one in \`input\` with call_id "${callId}".`, call.param);
    }
  }
  return messages;
}
