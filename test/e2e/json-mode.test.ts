import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { FakeOllama } from '../helpers/fake-ollama.ts';
import { FakeOpenAI } from '../helpers/fake-openai.ts';
import { postChat } from '../helpers/sse.ts';
import { startTestGateway, upstreamEnv, type TestGateway } from '../helpers/test-gateway.ts';

// A caller that asks for JSON gets bare JSON, even from a model that wraps it in Markdown fences.

const ollama = new FakeOllama();
const groq = new FakeOpenAI();
let gateway: TestGateway;
const fenced = '```json\n{"name": "Ada", "tags": ["math", "code"]}\n```';

before(async () => {
  await ollama.start();
  await groq.start();
  gateway = await startTestGateway(upstreamEnv({ ollama, groq }));
});

after(async () => {
  await gateway.close();
  await ollama.stop();
  await groq.stop();
});

for (const [name, model, fake] of [
  ['ollama', 'ollama/gemma3:4b', ollama],
  ['openai-compat', 'groq/llama-3.1-8b-instant', groq],
] as const) {
  describe(`JSON mode through ${name}`, () => {
    for (const format of [{ type: 'json_object' }, { type: 'json_schema', json_schema: { name: 'person', schema: { type: 'object' } } }]) {
      for (const stream of [false, true]) {
        test(`${format.type}, ${stream ? 'streamed' : 'whole'}: fences removed`, async () => {
          fake.reply({ text: fenced, chunkSize: 3 });
          const answer = await postChat(gateway.baseURL, { model, stream, response_format: format, messages: [{ role: 'user', content: 'who?' }] });
          assert.equal(answer.status, 200);
          const text = stream ? answer.text : answer.events[0].choices[0].message.content;
          assert.deepEqual(JSON.parse(text), { name: 'Ada', tags: ['math', 'code'] });
          assert.equal(text, '{"name": "Ada", "tags": ["math", "code"]}');
          if (stream) assert.equal(answer.done, true);
        });
      }
    }

    test('without JSON mode the fences stay', async () => {
      fake.reply({ text: fenced });
      const answer = await postChat(gateway.baseURL, { model, messages: [{ role: 'user', content: 'who?' }] });
      assert.equal(answer.events[0].choices[0].message.content, fenced);
    });
  });
}
