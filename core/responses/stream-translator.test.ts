import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CompletionAssembler } from '../cache/completion-assembler.ts';
import type { ChatCompletionChunk, ChatCompletionChunkChoice, FinishReason, Usage } from '../contracts/openai.ts';
import type { ResponseStreamEvent } from '../contracts/responses.ts';
import { ChunkBuilder } from '../openai/chunk-builder.ts';
import { responseContext } from './response-context.ts';
import { ResponseStreamTranslator } from './stream-translator.ts';
import { toResponse } from './to-response.ts';

const ID = 'resp_00112233445566778899aabbccddeeff';
const context = () => responseContext({ input: 'hi', tools: [{ type: 'function', name: 'get_weather' }] }, 'ollama/qwen3', { id: ID, createdAt: 1700000000, now: () => 1700000005 });
const usage: Usage = { prompt_tokens: 12, completion_tokens: 7, total_tokens: 19, prompt_tokens_details: { cached_tokens: 4 }, completion_tokens_details: { reasoning_tokens: 2 } };

type Delta = ChatCompletionChunkChoice['delta'];
/** A chat stream: deltas of choice 0, the last with the finish reason, then the usage chunk. */
function stream(deltas: Delta[], finish: FinishReason | null = 'stop', withUsage = true): ChatCompletionChunk[] {
  const builder = new ChunkBuilder({ id: 'chatcmpl-1', created: 1, model: 'ollama/qwen3' });
  const chunks = deltas.map((delta, i) => builder.delta(0, delta, i === deltas.length - 1 ? finish : null));
  if (withUsage) chunks.push(builder.usage(usage));
  return chunks;
}
const call = (index: number, id: string | undefined, name: string | undefined, args: string) => ({ tool_calls: [{ index, ...(id ? { id, type: 'function' as const } : {}), function: { ...(name ? { name } : {}), arguments: args } }] });

function run(chunks: ChatCompletionChunk[]): { events: ResponseStreamEvent[]; translator: ResponseStreamTranslator } {
  const translator = new ResponseStreamTranslator(context());
  const events = chunks.flatMap((chunk) => translator.push(chunk));
  events.push(...translator.finish());
  return { events, translator };
}

const START = ['response.created', 'response.in_progress'];
const TEXT = (deltas: number) => ['response.output_item.added', 'response.content_part.added', ...Array(deltas).fill('response.output_text.delta'), 'response.output_text.done', 'response.content_part.done', 'response.output_item.done'];
const REASONING = (deltas: number) => ['response.output_item.added', 'response.reasoning_summary_part.added', ...Array(deltas).fill('response.reasoning_summary_text.delta')];
const REASONING_DONE = ['response.reasoning_summary_text.done', 'response.reasoning_summary_part.done', 'response.output_item.done'];
const CALL = (deltas: number) => ['response.output_item.added', ...Array(deltas).fill('response.function_call_arguments.delta')];
const CALL_DONE = ['response.function_call_arguments.done', 'response.output_item.done'];

const cases: Array<[string, ChatCompletionChunk[], string[]]> = [
  ['text', stream([{ content: 'Hel' }, { content: 'lo' }]), [...START, ...TEXT(2), 'response.completed']],
  ['an empty first delta starts nothing', stream([{ content: '' }, { content: 'Hi' }]), [...START, ...TEXT(1), 'response.completed']],
  ['text then two tool calls, arguments in pieces', stream([{ content: 'Checking.' }, call(0, 'call_a', 'get_weather', ''), call(0, undefined, undefined, '{"city":'), call(0, undefined, undefined, '"Paris"}'), call(1, 'call_b', 'get_weather', '{"city":"Rome"}')], 'tool_calls'), [
    ...START, ...TEXT(1), ...CALL(2), ...CALL(1), ...CALL_DONE, ...CALL_DONE, 'response.completed',
  ]],
  ['reasoning then text', stream([{ reasoning_content: 'The user ' }, { reasoning_content: 'greets.' }, { content: 'Hi!' }]), [...START, ...REASONING(2), ...REASONING_DONE, ...TEXT(1), 'response.completed']],
  ['reasoning then a tool call', stream([{ reasoning_content: 'Need weather.' }, call(0, 'call_a', 'get_weather', '{}')], 'tool_calls'), [...START, ...REASONING(1), ...REASONING_DONE, ...CALL(1), ...CALL_DONE, 'response.completed']],
  ['a length cut', stream([{ content: 'Once upon' }, { content: ' a' }], 'length'), [...START, ...TEXT(2), 'response.incomplete']],
  ['a length cut in the reasoning', stream([{ reasoning_content: 'First I' }], 'length'), [...START, ...REASONING(1), ...REASONING_DONE, 'response.incomplete']],
  ['a filtered answer', stream([{ content: 'Sure' }], 'content_filter'), [...START, ...TEXT(1), 'response.incomplete']],
  ['nothing but a finish is one empty message', stream([{}]), [...START, 'response.output_item.added', 'response.content_part.added', 'response.output_text.done', 'response.content_part.done', 'response.output_item.done', 'response.completed']],
  ['usage in the finishing chunk', ((): ChatCompletionChunk[] => {
    const [chunk] = stream([{ content: 'ok' }], 'stop', false);
    return [{ ...chunk!, usage }];
  })(), [...START, ...TEXT(1), 'response.completed']],
  ['interleaved parallel calls', stream([call(0, 'call_a', 'f', '{"a"'), call(1, 'call_b', 'g', '{"b"'), call(0, undefined, undefined, ':1}'), call(1, undefined, undefined, ':2}')], 'tool_calls'), [
    ...START, ...CALL(1), ...CALL(1), 'response.function_call_arguments.delta', 'response.function_call_arguments.delta', ...CALL_DONE, ...CALL_DONE, 'response.completed',
  ]],
  ['a call whose name comes in the second piece', stream([call(0, 'call_a', undefined, ''), call(0, undefined, 'get_weather', '{"city"'), call(0, undefined, undefined, ':"Oslo"}')], 'tool_calls'), [
    ...START, ...CALL(2), ...CALL_DONE, 'response.completed',
  ]],
  ['a refusal', stream([{ refusal: 'I cannot ' }, { refusal: 'help.' }]), [
    ...START, 'response.output_item.added', 'response.content_part.added', 'response.refusal.delta', 'response.refusal.delta', 'response.refusal.done', 'response.content_part.done', 'response.output_item.done', 'response.completed',
  ]],
];

describe('a chat stream becomes the Responses event sequence', () => {
  for (const [what, chunks, types] of cases) {
    test(what, () => {
      const { events, translator } = run(chunks);
      assert.deepEqual(events.map((e) => e.type), types);
      assertWellFormed(events);
      // The response the stream ends with is the one a whole answer gives.
      const assembler = new CompletionAssembler();
      for (const chunk of chunks) assembler.add(chunk);
      const whole = toResponse(assembler.completion(), context());
      const last = events[events.length - 1] as Extract<ResponseStreamEvent, { response: unknown }>;
      if (!what.includes('refusal')) assert.deepEqual(last.response, whole);
      assert.equal(translator.response, last.response);
    });
  }
});

test('the text, the arguments and the usage add up', () => {
  const { translator } = run(stream([{ content: 'Checking.' }, call(0, 'call_a', 'get_weather', ''), call(0, undefined, undefined, '{"city":'), call(0, undefined, undefined, '"Paris"}')], 'tool_calls'));
  const response = translator.response!;
  assert.equal(response.status, 'completed');
  assert.equal(response.model, 'ollama/qwen3');
  assert.deepEqual(response.output, [
    { id: 'msg_00112233445566778899aabbccddeeff_0', type: 'message', status: 'completed', content: [{ type: 'output_text', annotations: [], logprobs: [], text: 'Checking.' }], role: 'assistant' },
    { id: 'fc_00112233445566778899aabbccddeeff_1', type: 'function_call', status: 'completed', arguments: '{"city":"Paris"}', call_id: 'call_a', name: 'get_weather' },
  ]);
  assert.deepEqual(response.usage, { input_tokens: 12, input_tokens_details: { cached_tokens: 4, cache_write_tokens: 0 }, output_tokens: 7, output_tokens_details: { reasoning_tokens: 2 }, total_tokens: 19 });
});

test('calls that a server sends all with index 0 stay apart by their ids', () => {
  const { events, translator } = run(stream([call(0, 'call_a', 'f', '{"a":'), call(0, undefined, undefined, '1}'), call(0, 'call_b', 'g', '{}')], 'tool_calls'));
  assert.deepEqual(events.map((e) => e.type), [...START, ...CALL(2), ...CALL(1), ...CALL_DONE, ...CALL_DONE, 'response.completed']);
  assertWellFormed(events);
  assert.deepEqual(translator.response!.output.map((item) => item.type === 'function_call' && [item.call_id, item.name, item.arguments]), [['call_a', 'f', '{"a":1}'], ['call_b', 'g', '{}']]);
});

test('a length cut leaves the last item incomplete and says why', () => {
  const { events, translator } = run(stream([{ content: 'Once upon' }], 'length'));
  const done = events.find((e) => e.type === 'response.output_item.done') as Extract<ResponseStreamEvent, { item: unknown }>;
  assert.equal(done.item.status, 'incomplete');
  assert.equal(translator.response!.status, 'incomplete');
  assert.deepEqual(translator.response!.incomplete_details, { reason: 'max_output_tokens' });
  assert.equal(translator.response!.completed_at, null);
});

test('created and in_progress carry the response in progress', () => {
  const { events } = run(stream([{ content: 'x' }]));
  for (const event of events.slice(0, 2) as Array<Extract<ResponseStreamEvent, { response: unknown }>>) {
    assert.equal(event.response.id, ID);
    assert.equal(event.response.status, 'in_progress');
    assert.deepEqual(event.response.output, []);
    assert.equal(event.response.usage, null);
    assert.equal(event.response.completed_at, null);
    assert.deepEqual(event.response.tools, [{ type: 'function', name: 'get_weather', parameters: null, strict: null }]);
  }
});

describe('a failure ends the stream with response.failed and nothing after', () => {
  test('after some text', () => {
    const translator = new ResponseStreamTranslator(context());
    const events = [...translator.push(stream([{ content: 'Half' }], null, false)[0]!), ...translator.fail({ code: 'upstream_error', message: 'the provider went away' })];
    assert.deepEqual(events.map((e) => e.type), [...START, 'response.output_item.added', 'response.content_part.added', 'response.output_text.delta', 'response.failed']);
    assertWellFormed(events, { failed: true });
    const failed = translator.response!;
    assert.equal(failed.status, 'failed');
    assert.deepEqual(failed.error, { code: 'upstream_error', message: 'the provider went away' });
    assert.equal(failed.usage, null);
    assert.deepEqual(failed.output, [{ id: 'msg_00112233445566778899aabbccddeeff_0', type: 'message', status: 'incomplete', content: [{ type: 'output_text', annotations: [], logprobs: [], text: 'Half' }], role: 'assistant' }]);
    assert.deepEqual(translator.push(stream([{ content: 'more' }])[0]!), []);
    assert.deepEqual(translator.finish(), []);
    assert.deepEqual(translator.fail({ code: 'timeout', message: 'again' }), []);
  });

  test('before any chunk, the sequence still begins with response.created', () => {
    const translator = new ResponseStreamTranslator(context());
    const events = translator.fail({ code: 'timeout', message: 'no answer in time' });
    assert.deepEqual(events.map((e) => e.type), [...START, 'response.failed']);
    assertWellFormed(events, { failed: true });
  });

  test('after a tool call was announced, done items stay completed and open ones are incomplete', () => {
    const translator = new ResponseStreamTranslator(context());
    for (const chunk of stream([{ content: 'Let me see.' }, call(0, 'call_a', 'get_weather', '{"ci')], null, false)) translator.push(chunk);
    translator.fail({ code: 'upstream_error', message: 'cut' });
    assert.deepEqual(translator.response!.output.map((item) => [item.type, item.status]), [['message', 'completed'], ['function_call', 'incomplete']]);
  });

  test('after the end, a failure changes nothing', () => {
    const { translator } = run(stream([{ content: 'done' }]));
    assert.deepEqual(translator.fail({ code: 'upstream_error', message: 'late' }), []);
    assert.equal(translator.response!.status, 'completed');
  });
});

/** Rising sequence numbers from 0, and every item event pointing at the item added at its output index. */
function assertWellFormed(events: ResponseStreamEvent[], { failed = false } = {}): void {
  assert.deepEqual(events.map((e) => e.sequence_number), events.map((_, i) => i));
  const added = new Map<number, { id: string; done: boolean; parts: number }>();
  for (const event of events) {
    if (event.type === 'response.output_item.added') {
      assert.equal(added.has(event.output_index), false, 'an output index is added once');
      assert.equal(event.output_index, added.size, 'output indexes rise by one');
      assert.equal(event.item.status, 'in_progress');
      added.set(event.output_index, { id: event.item.id, done: false, parts: 0 });
      continue;
    }
    if (!('output_index' in event)) continue;
    const item = added.get(event.output_index);
    assert.ok(item, `${event.type} points at an added item`);
    assert.equal(item.done, false, `${event.type} comes before its item is done`);
    if ('item_id' in event) assert.equal(event.item_id, item.id);
    if (event.type === 'response.content_part.added') assert.equal(event.content_index, item.parts++);
    else if ('content_index' in event) assert.equal(event.content_index, item.parts - 1);
    if (event.type === 'response.output_item.done') {
      assert.equal(event.item.id, item.id);
      item.done = true;
    }
  }
  if (!failed) for (const [index, item] of added) assert.equal(item.done, true, `item ${index} is done`);
  const last = events[events.length - 1]!;
  assert.ok(last.type === 'response.completed' || last.type === 'response.incomplete' || last.type === 'response.failed');
  assert.equal(events.filter((e) => 'response' in e && e.type !== 'response.created' && e.type !== 'response.in_progress').length, 1, 'one ending');
}
