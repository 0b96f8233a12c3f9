import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { generateObject, generateText, stepCountIs, tool } from 'ai';
import { z } from 'zod';
import { FENCED_PERSON, PERSON, WEATHER_CALL } from '../conformance/fixtures.ts';
import { PROVIDERS } from '../conformance/providers.ts';
import { conformanceSuite } from '../conformance/suite.ts';

// The real Vercel AI SDK (`ai` with `@ai-sdk/openai-compatible`), as the nutrition, plant and planner apps
// use it, against the gateway in front of every provider of the conformance table.

const personSchema = z.object({ name: z.string(), age: z.number().int(), tags: z.array(z.string()) });

describe('Vercel AI SDK through the gateway', { concurrency: true }, () => {
  for (const entry of PROVIDERS) {
    describe(`${entry.name} (${entry.plugin})`, { concurrency: 1 }, () => {
      const ctx = conformanceSuite(entry);
      // supportsStructuredOutputs: the SDK then sends response_format json_schema with the zod schema.
      const model = (name: string) => createOpenAICompatible({ name: 'mana', baseURL: ctx.gateway.baseURL, supportsStructuredOutputs: true })(name);

      test('generateObject with a zod schema returns a valid typed object', async () => {
        // Fenced, as older models answer: the gateway must hand the SDK bare JSON.
        ctx.upstream.fake.reply({ text: FENCED_PERSON, usage: { prompt: 40, completion: 20 } });
        const result = await generateObject({
          model: model(ctx.model('json')),
          schema: personSchema,
          schemaName: 'person',
          prompt: 'Describe Ada Lovelace.',
          maxRetries: 0,
        });
        const person: { name: string; age: number; tags: string[] } = result.object;
        assert.deepEqual(person, PERSON);
        assert.equal(result.finishReason, 'stop');
        assert.equal(result.response.modelId, ctx.model('json'));

        const mode = entry.received.jsonMode(ctx.upstream.chatRequests()[0]?.body);
        assert.equal(mode?.type, 'json_schema', `the schema reached the upstream in its schema form: ${JSON.stringify(mode)}`);
        const schema = mode.type === 'json_schema' ? mode.schema : undefined;
        assert.deepEqual(Object.keys(schema?.properties ?? {}).sort(), ['age', 'name', 'tags']);
        assert.deepEqual([...(schema?.required ?? [])].sort(), ['age', 'name', 'tags']);
      });

      test('generateText with a tool: the SDK runs the scripted call, sends the result, returns the final text', async () => {
        const finalText = 'It is 21 °C in Paris.';
        ctx.upstream.fake.reply((body) =>
          entry.received.toolResults(body).length > 0 ? { text: finalText, finish: 'stop' } : { toolCalls: [WEATHER_CALL], finish: 'tool_calls' },
        );
        const executed: unknown[] = [];
        const result = await generateText({
          model: model(ctx.model('tools')),
          prompt: 'What is the weather in Paris?',
          tools: {
            get_weather: tool({
              description: 'The current weather in a city',
              inputSchema: z.object({ city: z.string(), unit: z.enum(['celsius', 'fahrenheit']) }),
              execute: async (input) => {
                executed.push(input);
                return { city: input.city, temp_c: 21 };
              },
            }),
          },
          stopWhen: stepCountIs(2),
          maxRetries: 0,
        });
        assert.equal(result.text, finalText);
        assert.deepEqual(executed, [WEATHER_CALL.arguments], 'the tool ran once, with the scripted arguments');
        assert.equal(result.steps.length, 2);
        assert.equal(result.steps[0]!.finishReason, 'tool-calls');
        assert.deepEqual(result.steps[0]!.toolCalls.map((c) => [c.toolName, c.input]), [['get_weather', WEATHER_CALL.arguments]]);

        const received = ctx.upstream.chatRequests();
        assert.equal(received.length, 2, 'two upstream requests');
        assert.deepEqual(entry.received.tools(received[0]!.body).map((t) => t.name), ['get_weather']);
        assert.deepEqual(entry.received.toolResults(received[1]!.body), [{ name: 'get_weather', content: { city: 'Paris', temp_c: 21 } }]);
      });
    });
  }
});
