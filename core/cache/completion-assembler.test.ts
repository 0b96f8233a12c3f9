import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChatCompletion, ChatCompletionChunk } from '../contracts/openai.ts';
import { CompletionAssembler } from './completion-assembler.ts';
import { replayChunks } from './replay-stream.ts';

const chunk = (choices: ChatCompletionChunk['choices'], extra: Partial<ChatCompletionChunk> = {}): ChatCompletionChunk => ({
  id: 'c1',
  object: 'chat.completion.chunk',
  created: 100,
  model: 'ollama/m',
  choices,
  ...extra,
});

test('text deltas, reasoning and usage fold into the whole answer', () => {
  const assembler = new CompletionAssembler();
  assembler.add(chunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]));
  assembler.add(chunk([{ index: 0, delta: { reasoning_content: 'hmm' }, finish_reason: null }]));
  assembler.add(chunk([{ index: 0, delta: { content: 'Hel' }, finish_reason: null }]));
  assembler.add(chunk([{ index: 0, delta: { content: 'lo' }, finish_reason: 'stop' }]));
  assembler.add(chunk([], { usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } }));
  assert.deepEqual(assembler.completion(), {
    id: 'c1',
    object: 'chat.completion',
    created: 100,
    model: 'ollama/m',
    choices: [{ index: 0, message: { role: 'assistant', content: 'Hello', reasoning_content: 'hmm' }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
  });
});

test('tool call fragments are reassembled by index, as OpenAI clients do', () => {
  const assembler = new CompletionAssembler();
  assembler.add(chunk([{ index: 0, delta: { role: 'assistant', tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'weather', arguments: '' } }] }, finish_reason: null }]));
  assembler.add(chunk([{ index: 0, delta: { tool_calls: [{ index: 1, id: 'call_b', type: 'function', function: { name: 'time', arguments: '{"tz"' } }] }, finish_reason: null }]));
  assembler.add(chunk([{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }, finish_reason: null }]));
  assembler.add(chunk([{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '"Oslo"}' } }, { index: 1, function: { arguments: ':"UTC"}' } }] }, finish_reason: 'tool_calls' }]));
  const message = assembler.completion().choices[0]!.message;
  assert.equal(message.content, null);
  assert.deepEqual(message.tool_calls, [
    { id: 'call_a', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } },
    { id: 'call_b', type: 'function', function: { name: 'time', arguments: '{"tz":"UTC"}' } },
  ]);
});

const stored: ChatCompletion = {
  id: 'c9',
  object: 'chat.completion',
  created: 5,
  model: 'groq/x',
  choices: [
    {
      index: 0,
      message: { role: 'assistant', content: 'Sure.', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }] },
      finish_reason: 'tool_calls',
    },
  ],
  usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 },
};

test('a stored answer replays as chunks that assemble back into the same answer', () => {
  const chunks = [...replayChunks(stored)];
  assert.equal(chunks[0]!.choices[0]!.delta.role, 'assistant');
  assert.equal(chunks.at(-1)!.choices.length, 0, 'usage comes last, in its own chunk');
  const assembler = new CompletionAssembler();
  chunks.forEach((c) => assembler.add(c));
  assert.deepEqual(assembler.completion(), stored);
});
