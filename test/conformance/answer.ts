import assert from 'node:assert/strict';
import type OpenAI from 'openai';

export type ChatParams = Omit<OpenAI.ChatCompletionCreateParamsNonStreaming, 'stream' | 'stream_options'>;

export interface ToolCallOut {
  id: string;
  type: string;
  function: { name: string; arguments: string };
}

/** A chat answer in one shape, whether it came whole or streamed (then reassembled by hand). */
export interface Answer {
  /** The body's `model` (every chunk's, when streamed: they are checked to agree). */
  model: string;
  /** The `X-Mana-LLM-Resolved` header. */
  resolvedHeader: string | null;
  content: string | null;
  finish: string | null;
  toolCalls: ToolCallOut[];
  usage: OpenAI.CompletionUsage | null | undefined;
  /** Streamed answers: every chunk, in order (empty for whole answers). */
  chunks: OpenAI.ChatCompletionChunk[];
}

/**
 * Sends one chat request through the official client, whole or streamed (`include_usage` unless told
 * otherwise), and returns the answer in one shape. A streamed answer is reassembled the way OpenAI clients
 * do it, checking the stream's rules on the way: one model in every chunk, a tool call's `id` and name in
 * the first delta of its `index`, the same id whenever it is repeated, indexes numbered from 0 in order.
 */
export async function ask(client: OpenAI, params: ChatParams, stream: boolean, options: { includeUsage?: boolean } = {}): Promise<Answer> {
  if (!stream) {
    const { data, response } = await client.chat.completions.create({ ...params, stream: false }).withResponse();
    const choice = data.choices[0];
    assert.ok(choice, `the answer has a choice: ${JSON.stringify(data)}`);
    const toolCalls = (choice.message.tool_calls ?? []).map((c) => {
      assert.equal(c.type, 'function', `tool call type: ${JSON.stringify(c)}`);
      return { id: c.id, type: c.type, function: { name: c.function.name, arguments: c.function.arguments } };
    });
    return {
      model: data.model,
      resolvedHeader: response.headers.get('x-mana-llm-resolved'),
      content: choice.message.content,
      finish: choice.finish_reason,
      toolCalls,
      usage: data.usage,
      chunks: [],
    };
  }

  const includeUsage = options.includeUsage ?? true;
  const { data, response } = await client.chat.completions
    .create({ ...params, stream: true, ...(includeUsage ? { stream_options: { include_usage: true } } : {}) })
    .withResponse();
  const resolvedHeader = response.headers.get('x-mana-llm-resolved');
  const chunks: OpenAI.ChatCompletionChunk[] = [];
  let content: string | null = null;
  let finish: string | null = null;
  let usage: OpenAI.CompletionUsage | null | undefined;
  const calls: ToolCallOut[] = [];
  for await (const chunk of data) {
    chunks.push(chunk);
    assert.equal(chunk.model, resolvedHeader, `every chunk names the resolved model: ${JSON.stringify(chunk)}`);
    if (chunk.usage) usage = chunk.usage;
    const choice = chunk.choices[0];
    if (!choice) continue;
    if (typeof choice.delta.content === 'string') content = (content ?? '') + choice.delta.content;
    if (choice.finish_reason) finish = choice.finish_reason;
    for (const delta of choice.delta.tool_calls ?? []) {
      const known = calls[delta.index];
      if (!known) {
        assert.equal(delta.index, calls.length, `tool call indexes count from 0 in order: ${JSON.stringify(delta)}`);
        assert.ok(typeof delta.id === 'string' && delta.id !== '', `the first delta of a tool call carries its id: ${JSON.stringify(delta)}`);
        assert.ok(typeof delta.function?.name === 'string' && delta.function.name !== '', `the first delta of a tool call carries its name: ${JSON.stringify(delta)}`);
        calls.push({ id: delta.id!, type: delta.type ?? 'function', function: { name: delta.function!.name!, arguments: delta.function?.arguments ?? '' } });
        continue;
      }
      if (delta.id !== undefined) assert.equal(delta.id, known.id, `a tool call keeps its id across deltas: ${JSON.stringify(delta)}`);
      known.function.arguments += delta.function?.arguments ?? '';
    }
  }
  return { model: chunks[0]?.model ?? '', resolvedHeader, content, finish, toolCalls: calls, usage, chunks };
}

/** The assistant message that replays an answer in the next turn's history. */
export function assistantMessage(answer: Answer): OpenAI.ChatCompletionAssistantMessageParam {
  const message: OpenAI.ChatCompletionAssistantMessageParam = { role: 'assistant', content: answer.content };
  if (answer.toolCalls.length > 0) {
    message.tool_calls = answer.toolCalls.map((c) => ({ id: c.id, type: 'function', function: { name: c.function.name, arguments: c.function.arguments } }));
  }
  return message;
}

/** The tool calls as name + parsed arguments, after checking each is a JSON string of an object with an id. */
export function parsedCalls(answer: Answer): Array<{ name: string; arguments: unknown }> {
  return answer.toolCalls.map((c) => {
    assert.ok(typeof c.id === 'string' && c.id.length > 0, `a tool call has an id: ${JSON.stringify(c)}`);
    assert.equal(typeof c.function.arguments, 'string', `arguments are a JSON string: ${JSON.stringify(c)}`);
    let parsed: unknown;
    assert.doesNotThrow(() => (parsed = JSON.parse(c.function.arguments)), `arguments parse as JSON: ${c.function.arguments}`);
    return { name: c.function.name, arguments: parsed };
  });
}

/** Content chunks of a stream (those whose delta carries text). */
export function contentChunks(answer: Answer): number {
  return answer.chunks.filter((c) => typeof c.choices[0]?.delta.content === 'string' && c.choices[0].delta.content !== '').length;
}
