import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createOpenAI } from '@ai-sdk/openai';
import { Agent, OpenAIProvider, Runner, setTracingDisabled, tool as agentTool } from '@openai/agents';
import { generateText, streamText } from 'ai';
import { z } from 'zod';
import { FakeGemini } from '../helpers/fake-gemini.ts';
import { FakeOllama } from '../helpers/fake-ollama.ts';
import { startTestGateway, upstreamEnv, type TestGateway } from '../helpers/test-gateway.ts';

// As a new user would try it: the shipped profile and aliases, the AI SDK's default provider on
// mana/fast-text and an Agents SDK agent with a tool on mana/structured (the alias for tool calls), written
// as their docs show, pointed at the gateway — answered by Ollama, and by Gemini (the next configured entry
// of each chain) once Ollama is down; whole and streamed.

setTracingDisabled(true);

const ollama = new FakeOllama();
ollama.models = [{ name: 'gemma3:4b', capabilities: ['completion', 'vision'] }, { name: 'qwen2.5:7b', capabilities: ['completion', 'tools'] }];
// upstreamEnv gives google this key.
const gemini = new FakeGemini({ apiKey: 'test-google-key-0123456789' });
let gateway: TestGateway;

before(async () => {
  await ollama.start();
  await gemini.start();
  // The shipped aliases.yaml: mana/fast-text is ollama/gemma3:4b → groq/… (no key here) → google/gemini-2.5-flash.
  gateway = await startTestGateway(upstreamEnv({ ollama, google: { url: gemini.url } }));
});
after(async () => {
  await gateway.close();
  await gemini.stop();
  await ollama.stop();
});

const weather = z.object({ city: z.string() });
/** Both fakes: call get_weather first, then answer once the tool's result came back. */
function scriptWeather(text: string): void {
  const script = (body: unknown) =>
    JSON.stringify(body).includes('temp_c') ? { text, finish: 'stop' as const } : { toolCalls: [{ name: 'get_weather', arguments: { city: 'Oslo' } }], finish: 'tool_calls' as const };
  ollama.reply(script);
  gemini.reply(script);
}

async function runAgent(stream: boolean): Promise<unknown> {
  const agent = new Agent({
    name: 'Weather',
    instructions: 'Use the tool.',
    model: 'mana/structured',
    tools: [agentTool({ name: 'get_weather', description: 'Weather in a city', parameters: weather, execute: async ({ city }) => JSON.stringify({ city, temp_c: 4 }) })],
  });
  const runner = new Runner({ modelProvider: new OpenAIProvider({ baseURL: gateway.baseURL, apiKey: 'unused', useResponses: true }), tracingDisabled: true });
  if (!stream) return (await runner.run(agent, 'Weather in Oslo?')).finalOutput;
  const result = await runner.run(agent, 'Weather in Oslo?', { stream: true });
  for await (const _event of result) void _event;
  await result.completed;
  return result.finalOutput;
}

for (const down of [false, true]) {
  describe(down ? 'Ollama down: Gemini answers' : 'Ollama answers', { concurrency: 1 }, () => {
    const chatAnswerer = down ? 'google/gemini-2.5-flash' : 'ollama/gemma3:4b';
    const toolAnswerer = down ? 'google/gemini-2.5-flash' : 'ollama/qwen2.5:7b';
    before(async () => {
      if (down) await ollama.stop();
    });

    test(`AI SDK openai('mana/fast-text'), whole and streamed`, async () => {
      ollama.reply({ text: 'Hello from Ollama.' });
      gemini.reply({ text: 'Hello from Gemini.' });
      const openai = createOpenAI({ baseURL: gateway.baseURL, apiKey: 'unused' });
      const whole = await generateText({ model: openai('mana/fast-text'), prompt: 'Say hello.', maxRetries: 0 });
      assert.equal(whole.text, down ? 'Hello from Gemini.' : 'Hello from Ollama.');
      assert.equal(whole.response.modelId, chatAnswerer);
      const streamed = streamText({ model: openai('mana/fast-text'), prompt: 'Say hello.', maxRetries: 0 });
      assert.equal(await streamed.text, down ? 'Hello from Gemini.' : 'Hello from Ollama.');
    });

    for (const stream of [false, true]) {
      test(`an Agents SDK agent with a tool, ${stream ? 'streamed' : 'whole'}`, async () => {
        scriptWeather(`It is 4 °C in Oslo (${toolAnswerer}).`);
        assert.equal(await runAgent(stream), `It is 4 °C in Oslo (${toolAnswerer}).`);
      });
    }
  });
}
