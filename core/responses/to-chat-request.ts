import type { ChatCompletionRequest, ChatMessage } from '../contracts/openai.ts';
import type { ConversationItem, ResponsesRequest } from '../contracts/responses.ts';
import { InvalidRequestError } from '../errors/invalid-request-error.ts';
import { toChatMessages, type PlacedItem } from './chat-messages.ts';
import { chatResponseFormat } from './chat-response-format.ts';
import { chatToolChoice, chatTools } from './chat-tools.ts';
import { inputItems } from './input-items.ts';

/**
 * A validated Responses request as the chat request the router runs. `history` is the stored conversation
 * that `previous_response_id` continues (every input and output of the chain of responses, oldest first);
 * it comes before the new input. `referenced` holds the items the input's `item_reference`s name. The model
 * is passed on as given; `stream` and `stream_options` are the route's to set.
 *
 * `max_output_tokens` becomes `max_completion_tokens` alone: it is OpenAI's current name (reasoning models
 * refuse `max_tokens`), the Ollama and Google plugins read it first, and sending both names risks a refusal.
 * `reasoning.effort` becomes `reasoning_effort`, which providers without it ignore.
 */
export function toChatRequest(
  request: ResponsesRequest,
  history: readonly ConversationItem[] = [],
  referenced: ReadonlyMap<string, ConversationItem> = new Map(),
): ChatCompletionRequest {
  const messages: ChatMessage[] = [];
  if (typeof request.instructions === 'string' && request.instructions !== '') messages.push({ role: 'system', content: request.instructions });
  if (typeof request.input === 'string' && history.length === 0) {
    // The most common request, a question as a string: the one user message it always becomes.
    messages.push({ role: 'user', content: request.input });
  } else {
    const placed: PlacedItem[] = [
      ...history.map((item) => ({ item, param: 'previous_response_id' })),
      ...inputItems(request, referenced).map((item, i) => ({ item, param: typeof request.input === 'string' ? 'input' : `input[${i}]` })),
    ];
    const conversation = toChatMessages(placed);
    if (conversation.length === 0) throw new InvalidRequestError('`input` is empty: there is nothing to answer.', 'input');
    messages.push(...conversation);
  }

  const chat: ChatCompletionRequest = { messages };
  if (request.model !== undefined) chat.model = request.model;
  if (typeof request.temperature === 'number') chat.temperature = request.temperature;
  if (typeof request.top_p === 'number') chat.top_p = request.top_p;
  if (typeof request.max_output_tokens === 'number') chat.max_completion_tokens = request.max_output_tokens;
  // OpenAI refuses tool_choice and parallel_tool_calls on a request without tools.
  if (request.tools && request.tools.length > 0) {
    chat.tools = chatTools(request.tools);
    if (request.tool_choice !== undefined) chat.tool_choice = chatToolChoice(request.tool_choice);
    if (typeof request.parallel_tool_calls === 'boolean') chat.parallel_tool_calls = request.parallel_tool_calls;
  }
  const format = chatResponseFormat(request.text);
  if (format) chat.response_format = format;
  if (typeof request.reasoning?.effort === 'string') chat.reasoning_effort = request.reasoning.effort;
  if (typeof request.user === 'string') chat.user = request.user;
  return chat;
}
