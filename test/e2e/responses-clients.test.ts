import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createOpenAI } from '@ai-sdk/openai';
import { Agent, OpenAIProvider, Runner, setTracingDisabled, tool as agentTool } from '@openai/agents';
import { generateObject, generateText, stepCountIs, streamText, tool } from 'ai';
import { z } from 'zod';
import { PERSON, WEATHER_CALL } from '../conformance/fixtures.ts';
import { PROVIDERS } from '../conformance/providers.ts';
import { conformanceSuite } from '../conformance/suite.ts';

// The newest clients talk to the Responses API by default: the Vercel AI SDK's OpenAI provider
// (`createOpenAI({baseURL})` then `openai(model)`, as the apps would write it) and the OpenAI Agents SDK.
// Each runs unchanged against the gateway in front of every provider of the conformance table.

// The Agents SDK exports traces to OpenAI unless told not to: nothing here may reach the internet.
setTracingDisabled(true);

const personSchema = z.object({ name: z.string(), age: z.number().int(), tags: z.array(z.string()) });
const weatherInput = z.object({ city: z.string(), unit: z.enum(['celsius', 'fahrenheit']) });
const FINAL = 'It is 21 °C in Paris.';

describe('Responses API clients through the gateway', { concurrency: true }, () => {
  for (const entry of PROVIDERS) {
    describe(`${entry.name} (${entry.plugin})`, { concurrency: 1 }, () => {
      const ctx = conformanceSuite(entry);
      const openai = () => createOpenAI({ baseURL: ctx.gateway.baseURL, apiKey: 'unused' });
      /** Scripted: the weather call first, the final text once the tool's result is in the conversation. */
      const weatherThenText = () =>
        ctx.upstream.fake.reply((body) => (entry.received.toolResults(body).length > 0 ? { text: FINAL, finish: 'stop' } : { toolCalls: [WEATHER_CALL], finish: 'tool_calls' }));

      test('AI SDK: generateText with the default provider (the Responses API)', async () => {
        ctx.upstream.fake.reply({ text: 'Hello from the gateway.', usage: { prompt: 9, completion: 5 } });
        const result = await generateText({ model: openai()(ctx.model('chat')), prompt: 'Say hello.', maxRetries: 0 });
        assert.equal(result.text, 'Hello from the gateway.');
        assert.equal(result.finishReason, 'stop');
        assert.equal(result.response.modelId, ctx.model('chat'));
        assert.deepEqual([result.usage.inputTokens, result.usage.outputTokens], [9, 5]);
      });

      test('AI SDK: streamText gets the text in pieces and finishes', async () => {
        ctx.upstream.fake.reply({ text: 'Streaming through the Responses API.', chunkSize: 5 });
        const result = streamText({ model: openai()(ctx.model('chat')), prompt: 'Stream something.', maxRetries: 0 });
        const parts: string[] = [];
        for await (const part of result.textStream) parts.push(part);
        assert.equal(parts.join(''), 'Streaming through the Responses API.');
        assert.ok(parts.length >= 2, `in pieces: ${JSON.stringify(parts)}`);
        assert.equal(await result.finishReason, 'stop');
      });

      test('AI SDK: generateObject with a zod schema', async () => {
        ctx.upstream.fake.reply({ text: JSON.stringify(PERSON) });
        const result = await generateObject({ model: openai()(ctx.model('json')), schema: personSchema, schemaName: 'person', prompt: 'Describe Ada Lovelace.', maxRetries: 0 });
        assert.deepEqual(result.object, PERSON);
        const mode = entry.received.jsonMode(ctx.upstream.chatRequests()[0]?.body);
        assert.equal(mode?.type, 'json_schema', `the schema reached the upstream: ${JSON.stringify(mode)}`);
      });

      test('AI SDK: a tool round trip (the SDK runs the tool and sends its result back)', async () => {
        weatherThenText();
        const executed: unknown[] = [];
        const result = await generateText({
          model: openai()(ctx.model('tools')),
          prompt: 'What is the weather in Paris?',
          tools: {
            get_weather: tool({
              description: 'The current weather in a city',
              inputSchema: weatherInput,
              execute: async (input) => {
                executed.push(input);
                return { city: input.city, temp_c: 21 };
              },
            }),
          },
          stopWhen: stepCountIs(2),
          maxRetries: 0,
        });
        assert.equal(result.text, FINAL);
        assert.deepEqual(executed, [WEATHER_CALL.arguments]);
        const second = ctx.upstream.chatRequests().at(-1)!.body;
        assert.deepEqual(entry.received.toolResults(second), [{ name: 'get_weather', content: { city: 'Paris', temp_c: 21 } }]);
      });

      for (const stream of [false, true]) {
        test(`Agents SDK: an agent with a function tool runs to its final output (${stream ? 'streamed' : 'whole'})`, async () => {
          weatherThenText();
          const calls: unknown[] = [];
          const getWeather = agentTool({
            name: 'get_weather',
            description: 'The current weather in a city',
            parameters: weatherInput,
            execute: async (input) => {
              calls.push(input);
              return JSON.stringify({ city: input.city, temp_c: 21 });
            },
          });
          const agent = new Agent({ name: 'Weather', instructions: 'Answer weather questions with the tool.', model: ctx.model('tools'), tools: [getWeather] });
          const runner = new Runner({ modelProvider: new OpenAIProvider({ baseURL: ctx.gateway.baseURL, apiKey: 'unused', useResponses: true }), tracingDisabled: true });
          let finalOutput: unknown;
          if (stream) {
            const result = await runner.run(agent, 'What is the weather in Paris?', { stream: true });
            for await (const _event of result) void _event;
            await result.completed;
            finalOutput = result.finalOutput;
          } else {
            finalOutput = (await runner.run(agent, 'What is the weather in Paris?')).finalOutput;
          }
          assert.equal(finalOutput, FINAL);
          assert.deepEqual(calls, [WEATHER_CALL.arguments]);
          const requests = ctx.upstream.chatRequests();
          assert.equal(requests.length, 2, 'two model turns');
          assert.deepEqual(entry.received.toolResults(requests[1]!.body), [{ name: 'get_weather', content: { city: 'Paris', temp_c: 21 } }]);
        });
      }
    });
  }
});
