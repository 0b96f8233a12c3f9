import assert from 'node:assert/strict';
import { test } from 'node:test';
import OpenAI from 'openai';
import type { Response, ResponseCreateParamsNonStreaming, ResponseStreamEvent } from 'openai/resources/responses/responses';
import { PERSON_SCHEMA, WEATHER_CALL } from './fixtures.ts';
import { ALIAS_FALLBACK, type Conformance } from './suite.ts';

// The Responses API (`POST /v1/responses`) on every provider, through the official client: the same
// answers as chat, in the Responses shapes, whole (`responses.create`) or streamed (every event read).

const WEATHER_FUNCTION = {
  type: 'function' as const,
  name: 'get_weather',
  description: 'The current weather in a city',
  parameters: { type: 'object', properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } }, required: ['city'] },
  strict: false,
};

/** The text of a response's message items (the SDK's `output_text` exists only on whole answers it parsed itself). */
function textOf(response: Response): string {
  return response.output
    .flatMap((o) => (o.type === 'message' ? o.content : []))
    .map((part) => (part.type === 'output_text' ? part.text : ''))
    .join('');
}

interface Answered {
  response: Response;
  resolvedHeader: string | null;
  /** Streamed: every event's type, in order (empty for a whole answer). */
  events: string[];
}

/** One Responses request, whole or streamed; a stream's events are checked to number themselves in order. */
async function respond(client: OpenAI, params: ResponseCreateParamsNonStreaming, stream: boolean): Promise<Answered> {
  if (!stream) {
    const { data, response } = await client.responses.create({ ...params, stream: false }).withResponse();
    return { response: data, resolvedHeader: response.headers.get('x-mana-llm-resolved'), events: [] };
  }
  const { data, response } = await client.responses.create({ ...params, stream: true }).withResponse();
  const events: ResponseStreamEvent[] = [];
  for await (const event of data) events.push(event);
  events.forEach((e, i) => assert.equal(e.sequence_number, i, `sequence_number ${e.sequence_number} at ${i} (${e.type})`));
  const last = events.at(-1)!;
  assert.ok(last.type === 'response.completed' || last.type === 'response.incomplete', `ends completed or incomplete: ${last.type}`);
  return { response: (last as { response: Response }).response, resolvedHeader: response.headers.get('x-mana-llm-resolved'), events: events.map((e) => e.type) };
}

export function responsesCases(ctx: Conformance, stream: boolean): void {
  test('Responses: text, usage and the resolved model; streamed, the event sequence of the CONTRACT', async () => {
    ctx.upstream.fake.reply({ text: 'Paris is the capital of France.', usage: { prompt: 11, completion: 7 }, chunkSize: 6 });
    const { response, resolvedHeader, events } = await respond(ctx.client, { model: ctx.model('chat'), input: 'Capital of France?' }, stream);
    assert.equal(response.status, 'completed');
    assert.equal(textOf(response), 'Paris is the capital of France.');
    assert.equal(response.model, ctx.model('chat'));
    assert.equal(resolvedHeader, ctx.model('chat'));
    assert.match(response.id, /^resp_/);
    assert.deepEqual([response.usage?.input_tokens, response.usage?.output_tokens, response.usage?.total_tokens], [11, 7, 18]);
    const message = response.output.find((o) => o.type === 'message');
    assert.equal(message?.status, 'completed');
    if (stream) {
      assert.deepEqual(events.slice(0, 4), ['response.created', 'response.in_progress', 'response.output_item.added', 'response.content_part.added']);
      assert.ok(events.filter((t) => t === 'response.output_text.delta').length >= 2, `the text arrived in pieces: ${events.join(', ')}`);
      assert.deepEqual(events.slice(-4), ['response.output_text.done', 'response.content_part.done', 'response.output_item.done', 'response.completed']);
    }
  });

  test('Responses: instructions and a developer message reach the upstream before the input', async () => {
    ctx.upstream.fake.reply({ text: 'ok' });
    await respond(
      ctx.client,
      { model: ctx.model('chat'), instructions: 'Answer in French.', input: [{ role: 'developer', content: 'Be brief.' }, { role: 'user', content: 'Hello' }] },
      stream,
    );
    // Each protocol says "system" its own way (Gemini: systemInstruction); in every one the instructions
    // come first, then the developer message, and the user's input is there.
    const body = JSON.stringify(ctx.upstream.chatRequests()[0]?.body);
    const at = (text: string) => body.indexOf(text);
    assert.ok(at('Answer in French.') >= 0 && at('Answer in French.') < at('Be brief.'), `instructions, then the developer message: ${body.slice(0, 300)}`);
    assert.ok(at('Hello') >= 0, 'the input reached the upstream');
  });

  test('Responses: a function call, then its output continues the stored conversation (previous_response_id)', async () => {
    ctx.upstream.fake.reply((body) =>
      ctx.entry.received.toolResults(body).length > 0 ? { text: 'It is 21 °C in Paris.', finish: 'stop' } : { toolCalls: [WEATHER_CALL], finish: 'tool_calls' },
    );
    const first = await respond(ctx.client, { model: ctx.model('tools'), input: 'Weather in Paris?', tools: [WEATHER_FUNCTION] }, stream);
    const call = first.response.output.find((o) => o.type === 'function_call');
    assert.ok(call && call.type === 'function_call', `a function_call item: ${JSON.stringify(first.response.output)}`);
    assert.equal(call.name, 'get_weather');
    assert.deepEqual(JSON.parse(call.arguments), WEATHER_CALL.arguments);
    assert.match(call.id ?? '', /^fc_/);
    assert.equal(call.status, 'completed');

    const second = await respond(
      ctx.client,
      {
        model: ctx.model('tools'),
        previous_response_id: first.response.id,
        input: [{ type: 'function_call_output', call_id: call.call_id, output: JSON.stringify({ celsius: 21 }) }],
        tools: [WEATHER_FUNCTION],
      },
      stream,
    );
    assert.equal(textOf(second.response), 'It is 21 °C in Paris.');
    assert.equal(second.response.previous_response_id, first.response.id);
    const received = ctx.upstream.chatRequests().at(-1)!.body;
    assert.deepEqual(ctx.entry.received.assistantToolCalls(received).map((c) => c.name), ['get_weather'], 'the earlier call was replayed');
    const results = ctx.entry.received.toolResults(received);
    assert.equal(results.length, 1, 'the output reached the upstream as a tool result');
    assert.deepEqual(results[0]!.content, { celsius: 21 });
  });

  test('Responses: text.format json_schema reaches the upstream as its JSON mode', async () => {
    const person = { name: 'Ada', age: 36 };
    ctx.upstream.fake.reply({ text: JSON.stringify(person) });
    const { response } = await respond(
      ctx.client,
      { model: ctx.model('json'), input: 'A person, as JSON.', text: { format: { type: 'json_schema', name: 'person', schema: PERSON_SCHEMA, strict: true } } },
      stream,
    );
    assert.deepEqual(JSON.parse(textOf(response)), person);
    const mode = ctx.entry.received.jsonMode(ctx.upstream.chatRequests()[0]?.body);
    assert.equal(mode?.type, 'json_schema', `the upstream was asked for the schema: ${JSON.stringify(mode)}`);
  });

  test('Responses: a length cut is incomplete (max_output_tokens), never completed', async () => {
    ctx.upstream.fake.reply({ text: 'The beginning of a long', finish: 'length' });
    const { response, events } = await respond(ctx.client, { model: ctx.model('chat'), input: 'A long story.', max_output_tokens: 16 }, stream);
    assert.equal(response.status, 'incomplete');
    assert.equal(response.incomplete_details?.reason, 'max_output_tokens');
    assert.equal(textOf(response), 'The beginning of a long');
    if (stream) assert.equal(events.at(-1), 'response.incomplete');
  });

  test('Responses: a first entry that fails falls back before anything is sent', async () => {
    ctx.upstream.fake.fault({ path: ctx.upstream.chatPath, status: 503, message: 'overloaded', times: 1 });
    const { response, resolvedHeader } = await respond(ctx.client, { model: ALIAS_FALLBACK, input: 'hello' }, stream);
    assert.equal(resolvedHeader, ctx.backup.resolved);
    assert.equal(response.model, ctx.backup.resolved);
    assert.equal(response.status, 'completed');
  });

  test('Responses: a built-in tool is a 400 capability_unsupported naming it, and nothing goes upstream', async () => {
    const before = ctx.upstream.chatRequests().length;
    await assert.rejects(
      respond(ctx.client, { model: ctx.model('chat'), input: 'news?', tools: [{ type: 'web_search_preview' }] } as ResponseCreateParamsNonStreaming, stream),
      (err: unknown) => {
        assert.ok(err instanceof OpenAI.BadRequestError, `BadRequestError: ${String(err)}`);
        assert.equal(err.code, 'capability_unsupported');
        assert.match(err.message, /web_search_preview/);
        assert.equal(err.param, 'tools[0].type');
        return true;
      },
    );
    assert.equal(ctx.upstream.chatRequests().length, before);
  });

  if (stream) {
    test('Responses: a stream cut after its first event ends with response.failed, never completed', async () => {
      ctx.upstream.fake.reply({ text: 'This answer will not be finished, it is cut in the middle.', chunkSize: 4 });
      ctx.upstream.fake.fault({ path: ctx.upstream.chatPath, cutAfterChunks: 3, times: 1 });
      const stream = await ctx.client.responses.create({ model: ctx.model('chat'), input: 'hello', stream: true });
      const events: ResponseStreamEvent[] = [];
      for await (const event of stream) events.push(event);
      const types = events.map((e) => e.type);
      assert.ok(types.includes('response.output_text.delta'), `the answer had begun: ${types.join(', ')}`);
      assert.equal(types.at(-1), 'response.failed');
      assert.ok(!types.includes('response.completed'), 'never completed after a cut');
      const failed = events.at(-1) as { response: Response };
      assert.equal(failed.response.status, 'failed');
      assert.equal(failed.response.error?.code, 'upstream_error');
    });
  }
}
