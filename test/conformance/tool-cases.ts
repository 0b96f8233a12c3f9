import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ask, assistantMessage, parsedCalls } from './answer.ts';
import { TIME_CALL, TIME_TOOL, WEATHER_CALL, WEATHER_TOOL, user } from './fixtures.ts';
import type { Conformance } from './suite.ts';

/** Tool calling: single, parallel, a multi-turn conversation; whole or streamed. */
export function toolCases(ctx: Conformance, stream: boolean): void {
  test('single tool call: finish_reason tool_calls, an id, JSON-string arguments of the scripted object', async () => {
    ctx.upstream.fake.reply({ toolCalls: [WEATHER_CALL], finish: 'tool_calls', usage: { prompt: 30, completion: 12 } });
    const answer = await ask(
      ctx.client,
      { model: ctx.model('tools'), messages: [user('Weather in Paris?')], tools: [WEATHER_TOOL], tool_choice: 'auto' },
      stream,
    );
    assert.equal(answer.finish, 'tool_calls');
    assert.equal(answer.resolvedHeader, ctx.model('tools'));
    assert.deepEqual(parsedCalls(answer), [WEATHER_CALL]);
    assert.ok(!answer.content, `no text beside the call: ${JSON.stringify(answer.content)}`);

    const tools = ctx.entry.received.tools(ctx.upstream.chatRequests()[0]?.body);
    assert.deepEqual(tools.map((t) => t.name), ['get_weather'], 'the tool reached the upstream');
    assert.equal(tools[0]!.description, WEATHER_TOOL.function.description);
    assert.deepEqual(tools[0]!.parameters?.properties, WEATHER_TOOL.function.parameters!.properties);
    assert.deepEqual(tools[0]!.parameters?.required, ['city']);
  });

  test('parallel tool calls: two calls with distinct ids (and, streamed, distinct indexes)', async () => {
    ctx.upstream.fake.reply({ toolCalls: [WEATHER_CALL, TIME_CALL], finish: 'tool_calls' });
    const answer = await ask(
      ctx.client,
      { model: ctx.model('tools'), messages: [user('Weather in Paris and time in Tokyo?')], tools: [WEATHER_TOOL, TIME_TOOL], parallel_tool_calls: true },
      stream,
    );
    assert.equal(answer.finish, 'tool_calls');
    assert.deepEqual(parsedCalls(answer), [WEATHER_CALL, TIME_CALL]);
    assert.notEqual(answer.toolCalls[0]!.id, answer.toolCalls[1]!.id, 'distinct ids');
    if (stream) {
      const indexes = new Set(answer.chunks.flatMap((c) => (c.choices[0]?.delta.tool_calls ?? []).map((d) => d.index)));
      assert.deepEqual([...indexes].sort(), [0, 1]);
    }
  });

  test('multi-turn: tool results reach the upstream matched to their functions, then the final answer', async () => {
    const finalText = 'It is 21 °C in Paris and 09:00 in Tokyo.';
    ctx.upstream.fake.reply((body) =>
      ctx.entry.received.toolResults(body).length > 0
        ? { text: finalText, finish: 'stop', usage: { prompt: 60, completion: 14 } }
        : { toolCalls: [WEATHER_CALL, TIME_CALL], finish: 'tool_calls' },
    );
    const tools = [WEATHER_TOOL, TIME_TOOL];
    const question = user('Weather in Paris and time in Tokyo?');
    const first = await ask(ctx.client, { model: ctx.model('tools'), messages: [question], tools }, stream);
    assert.equal(first.finish, 'tool_calls');
    const [weather, time] = first.toolCalls;
    assert.ok(weather && time, `two calls: ${JSON.stringify(first.toolCalls)}`);

    // The results come back in the other order than the calls: only the ids tie them to their functions.
    const second = await ask(
      ctx.client,
      {
        model: ctx.model('tools'),
        tools,
        messages: [
          question,
          assistantMessage(first),
          { role: 'tool', tool_call_id: time.id, content: JSON.stringify({ time: '09:00' }) },
          { role: 'tool', tool_call_id: weather.id, content: JSON.stringify({ temp_c: 21 }) },
        ],
      },
      stream,
    );
    assert.equal(second.content, finalText);
    assert.equal(second.finish, 'stop');

    const received = ctx.upstream.chatRequests();
    assert.equal(received.length, 2, 'two upstream requests');
    const body = received[1]!.body;
    assert.deepEqual(ctx.entry.received.assistantToolCalls(body), [WEATHER_CALL, TIME_CALL], 'the assistant turn was replayed with its calls');
    assert.deepEqual(ctx.entry.received.toolResults(body), [
      { name: 'get_time', content: { time: '09:00' } },
      { name: 'get_weather', content: { temp_c: 21 } },
    ]);
  });

  if (stream) {
    test("tool calls streamed: the openai client's stream helper assembles the same calls as a whole answer", async () => {
      ctx.upstream.fake.reply({ toolCalls: [WEATHER_CALL, TIME_CALL], finish: 'tool_calls', chunkSize: 3 });
      const params = { model: ctx.model('tools'), messages: [user('Weather and time?')], tools: [WEATHER_TOOL, TIME_TOOL] };
      const whole = await ask(ctx.client, params, false);
      const runner = ctx.client.chat.completions.stream({ ...params, stream: true });
      const streamed = await runner.finalChatCompletion();
      const calls = streamed.choices[0]!.message.tool_calls ?? [];
      assert.equal(streamed.choices[0]!.finish_reason, 'tool_calls');
      assert.deepEqual(
        calls.map((c) => (c.type === 'function' ? { name: c.function.name, arguments: JSON.parse(c.function.arguments) } : c)),
        parsedCalls(whole),
      );
      assert.ok(calls.every((c) => typeof c.id === 'string' && c.id !== ''), `ids: ${JSON.stringify(calls)}`);
      assert.notEqual(calls[0]?.id, calls[1]?.id, 'distinct ids');
    });
  }
}
