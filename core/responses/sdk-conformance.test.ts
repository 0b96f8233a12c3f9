// The `openai` SDK as the judge of the shapes: its types must accept what the gateway sends, and its own
// stream helper (which folds the events into a response the way every SDK user's `finalResponse()` does)
// must end with the response the gateway says it sent. The SDK talks to a fetch that answers with the
// translator's output, so no network is involved.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import OpenAI from 'openai';
import type { Response as SdkResponse, ResponseStreamEvent as SdkStreamEvent } from 'openai/resources/responses/responses';
import type { ChatCompletion, ChatCompletionChunk } from '../contracts/openai.ts';
import type { ResponseObject, ResponseStreamEvent } from '../contracts/responses.ts';
import { ChunkBuilder } from '../openai/chunk-builder.ts';
import { responseContext } from './response-context.ts';
import { serializeEvent } from './sse-event.ts';
import { ResponseStreamTranslator } from './stream-translator.ts';
import { toResponse } from './to-response.ts';

// The types, checked by the compiler. `error.code` is the gateway's own code word (the SDK lists OpenAI's)
// and `reasoning.effort` is passed on as the caller sent it, so those two are left out; `output_text` is
// one the SDK adds itself. `usage` is null while a response is in progress, as OpenAI sends it, where the
// SDK's type says "optional"; the counts themselves are checked on their own.
type Fits<A, B> = [A] extends [B] ? true : false;
const responseFits: Fits<Omit<ResponseObject, 'error' | 'reasoning' | 'usage'>, Omit<SdkResponse, 'output_text' | 'error' | 'reasoning' | 'usage'>> = true;
const usageFits: Fits<NonNullable<ResponseObject['usage']>, NonNullable<SdkResponse['usage']>> = true;
const eventsFit: Fits<Exclude<ResponseStreamEvent, { response: unknown }>, SdkStreamEvent> = true;
void responseFits;
void usageFits;
void eventsFit;

const request = { model: 'mana/fast', input: 'hi', tools: [{ type: 'function' as const, name: 'get_weather', parameters: { type: 'object' } }] };
const context = () => responseContext(request, 'groq/llama-3.3', { id: 'resp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', createdAt: 1700000000, now: () => 1700000001 });

function clientAnswering(body: string, contentType: string): OpenAI {
  return new OpenAI({
    apiKey: 'test',
    baseURL: 'http://gateway.test/v1',
    maxRetries: 0,
    fetch: async () => new Response(body, { status: 200, headers: { 'content-type': contentType } }),
  });
}

function translate(chunks: ChatCompletionChunk[], failure?: { code: string; message: string }): { sse: string; events: ResponseStreamEvent[]; response: ResponseObject } {
  const translator = new ResponseStreamTranslator(context());
  const events = chunks.flatMap((chunk) => translator.push(chunk));
  events.push(...(failure ? translator.fail(failure) : translator.finish()));
  return { sse: events.map(serializeEvent).join(''), events, response: translator.response! };
}

function chunksOf(deltas: Array<ChatCompletionChunk['choices'][number]['delta']>, finish: 'stop' | 'length' | 'tool_calls'): ChatCompletionChunk[] {
  const builder = new ChunkBuilder({ id: 'chatcmpl-1', created: 1, model: 'groq/llama-3.3' });
  return [...deltas.map((d, i) => builder.delta(0, d, i === deltas.length - 1 ? finish : null)), builder.usage({ prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 })];
}

const streams: Array<[string, ChatCompletionChunk[]]> = [
  ['text', chunksOf([{ content: 'Hel' }, { content: 'lo.' }], 'stop')],
  ['reasoning, text and two tool calls', chunksOf([
    { reasoning_content: 'Two cities.' },
    { content: 'Checking both.' },
    { tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '{"city":' } }] },
    { tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] },
    { tool_calls: [{ index: 1, id: 'call_b', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Rome"}' } }] },
  ], 'tool_calls')],
  ['a length cut', chunksOf([{ content: 'Once upon a' }], 'length')],
  ['a refusal', chunksOf([{ refusal: 'I cannot help with that.' }], 'stop')],
];

describe("the SDK's stream helper folds the events into the response the gateway sent", () => {
  for (const [what, chunks] of streams) {
    test(what, async () => {
      const { sse, events, response } = translate(chunks);
      const stream = clientAnswering(sse, 'text/event-stream').responses.stream({ model: 'mana/fast', input: 'hi' });
      const seen: string[] = [];
      stream.on('event', (event) => seen.push(event.type));
      const final = await stream.finalResponse();
      assert.deepEqual(seen, events.map((e) => e.type));
      assert.deepEqual(withoutSdkFields(final), response);
      const text = response.output.flatMap((item) => (item.type === 'message' ? item.content : [])).map((part) => (part.type === 'output_text' ? part.text : '')).join('');
      assert.equal(final.output_text, text);
    });
  }

  test('a failure reaches the SDK as a failed response with the code', async () => {
    const { sse, response } = translate(chunksOf([{ content: 'Half' }], 'stop').slice(0, 1), { code: 'upstream_error', message: 'the provider went away' });
    const final = await clientAnswering(sse, 'text/event-stream').responses.stream({ model: 'mana/fast', input: 'hi' }).finalResponse();
    assert.equal(final.status, 'failed');
    assert.deepEqual(final.error, { code: 'upstream_error', message: 'the provider went away' });
    assert.deepEqual(withoutSdkFields(final), response);
  });

  test('raw events parse one for one with create({stream: true})', async () => {
    const { sse, events } = translate(streams[1]![1]);
    const stream = await clientAnswering(sse, 'text/event-stream').responses.create({ model: 'mana/fast', input: 'hi', stream: true });
    const received: unknown[] = [];
    for await (const event of stream) received.push(event);
    assert.deepEqual(received, JSON.parse(JSON.stringify(events)));
  });
});

test('a whole response parses with the SDK, output_text included', async () => {
  const completion: ChatCompletion = {
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 1,
    model: 'groq/llama-3.3',
    choices: [{ index: 0, message: { role: 'assistant', content: 'Hi there.', tool_calls: [{ id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '{}' } }] }, finish_reason: 'tool_calls' }],
    usage: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 },
  };
  const response = toResponse(completion, context());
  const parsed = await clientAnswering(JSON.stringify(response), 'application/json').responses.create({ model: 'mana/fast', input: 'hi' });
  assert.equal(parsed.output_text, 'Hi there.');
  assert.deepEqual(withoutSdkFields(parsed), response);
});

/** The response without what the SDK adds on its side (`output_text`, and `parsed` fields from its parse helper). */
function withoutSdkFields(response: SdkResponse): unknown {
  const { output_text: _text, output_parsed: _parsed, ...rest } = response as SdkResponse & { output_parsed?: unknown };
  return JSON.parse(
    JSON.stringify({
      ...rest,
      output: rest.output.map((item) => {
        const { parsed_arguments: _args, ...bare } = item as typeof item & { parsed_arguments?: unknown };
        if (bare.type !== 'message') return bare;
        return { ...bare, content: bare.content.map(({ parsed: _p, ...part }: typeof bare.content[number] & { parsed?: unknown }) => part) };
      }),
    }),
  );
}
