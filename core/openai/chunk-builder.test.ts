import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChatCompletionChunk } from '../contracts/openai.ts';
import { ChunkBuilder } from './chunk-builder.ts';

const frame = { id: 'chatcmpl-1', created: 1700000000, model: 'acme/m' };
const usage = { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 };

type Step = (builder: ChunkBuilder) => ChatCompletionChunk;
const chunk = (choices: ChatCompletionChunk['choices']): ChatCompletionChunk => ({ ...frame, object: 'chat.completion.chunk', choices });

const cases: Array<{ name: string; steps: Step[]; expected: ChatCompletionChunk[] }> = [
  {
    name: 'the first delta carries the role, later ones do not',
    steps: [(b) => b.delta(0, { content: 'Hel' }), (b) => b.delta(0, { content: 'lo' }), (b) => b.delta(0, {}, 'stop')],
    expected: [
      chunk([{ index: 0, delta: { role: 'assistant', content: 'Hel' }, finish_reason: null }]),
      chunk([{ index: 0, delta: { content: 'lo' }, finish_reason: null }]),
      chunk([{ index: 0, delta: {}, finish_reason: 'stop' }]),
    ],
  },
  {
    name: 'each choice gets the role on its own first delta',
    steps: [(b) => b.delta(0, { content: 'a' }), (b) => b.delta(1, { content: 'b' }), (b) => b.delta(1, { content: 'c' }), (b) => b.delta(0, {}, 'length')],
    expected: [
      chunk([{ index: 0, delta: { role: 'assistant', content: 'a' }, finish_reason: null }]),
      chunk([{ index: 1, delta: { role: 'assistant', content: 'b' }, finish_reason: null }]),
      chunk([{ index: 1, delta: { content: 'c' }, finish_reason: null }]),
      chunk([{ index: 0, delta: {}, finish_reason: 'length' }]),
    ],
  },
  {
    name: 'a first delta that is also the finish carries the role',
    steps: [(b) => b.delta(0, {}, 'stop')],
    expected: [chunk([{ index: 0, delta: { role: 'assistant' }, finish_reason: 'stop' }])],
  },
  {
    name: 'the usage chunk has no choices and does not start a choice',
    steps: [(b) => b.usage(usage), (b) => b.delta(0, { content: 'x' })],
    expected: [{ ...chunk([]), usage }, chunk([{ index: 0, delta: { role: 'assistant', content: 'x' }, finish_reason: null }])],
  },
];

for (const c of cases) {
  test(c.name, () => {
    const builder = new ChunkBuilder(frame);
    assert.deepEqual(c.steps.map((step) => step(builder)), c.expected);
  });
}

test('the role comes first in the serialized delta, as OpenAI sends it', () => {
  const json = JSON.stringify(new ChunkBuilder(frame).delta(0, { content: 'x' }));
  assert.equal(json, '{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1700000000,"model":"acme/m","choices":[{"index":0,"delta":{"role":"assistant","content":"x"},"finish_reason":null}]}');
});
