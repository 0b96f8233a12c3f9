import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GenerateContentResponse } from '@google/genai';
import { ProviderBlockedError, UpstreamProtocolError } from '../../core/index.ts';
import { toChatCompletion } from './translate-response.ts';
import { toUsage } from './translate-usage.ts';

const response = (r: object) => r as GenerateContentResponse;

describe('toChatCompletion', () => {
  const cases: Array<{ name: string; input: object; choices: unknown }> = [
    {
      name: 'text parts are joined into content',
      input: { candidates: [{ content: { role: 'model', parts: [{ text: 'Hello ' }, { text: 'world' }] }, finishReason: 'STOP', index: 0 }] },
      choices: [{ index: 0, message: { role: 'assistant', content: 'Hello world' }, finish_reason: 'stop' }],
    },
    {
      name: 'thought parts become reasoning_content',
      input: { candidates: [{ content: { parts: [{ text: 'Let me think', thought: true }, { text: '42' }] }, finishReason: 'STOP' }] },
      choices: [{ index: 0, message: { role: 'assistant', content: '42', reasoning_content: 'Let me think' }, finish_reason: 'stop' }],
    },
    {
      name: 'MAX_TOKENS with text is length',
      input: { candidates: [{ content: { parts: [{ text: 'Once upon' }] }, finishReason: 'MAX_TOKENS' }] },
      choices: [{ index: 0, message: { role: 'assistant', content: 'Once upon' }, finish_reason: 'length' }],
    },
    {
      name: 'several candidates become several choices',
      input: { candidates: [{ content: { parts: [{ text: 'a' }] }, finishReason: 'STOP', index: 0 }, { content: { parts: [{ text: 'b' }] }, finishReason: 'STOP', index: 1 }] },
      choices: [{ index: 0, message: { role: 'assistant', content: 'a' }, finish_reason: 'stop' }, { index: 1, message: { role: 'assistant', content: 'b' }, finish_reason: 'stop' }],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const completion = toChatCompletion(response(c.input), 'google', 'google/gemini-2.5-flash');
      assert.deepEqual(completion.choices, c.choices);
      assert.equal(completion.object, 'chat.completion');
      assert.equal(completion.model, 'google/gemini-2.5-flash');
      assert.match(completion.id, /^chatcmpl-/);
    });
  }

  it('functionCall parts become tool calls with JSON arguments, ids and the thought signature', () => {
    const completion = toChatCompletion(response({ candidates: [{ content: { parts: [
      { functionCall: { name: 'a', args: { x: 1 } }, thoughtSignature: 'c2ln' },
      { functionCall: { name: 'b' } },
    ] }, finishReason: 'STOP' }] }), 'google', 'm');
    const [choice] = completion.choices;
    assert.equal(choice!.finish_reason, 'tool_calls');
    assert.equal(choice!.message.content, null);
    const calls = choice!.message.tool_calls!;
    assert.deepEqual(calls.map((c) => [c.type, c.function.name, c.function.arguments]), [['function', 'a', '{"x":1}'], ['function', 'b', '{}']]);
    assert.ok(calls.every((c) => /^call_[\w-]{8,}$/.test(c.id)), 'ids look like call_…');
    assert.notEqual(calls[0]!.id, calls[1]!.id);
    assert.deepEqual((calls[0] as any).extra_content, { google: { thought_signature: 'c2ln' } });
    assert.equal((calls[1] as any).extra_content, undefined);
  });

  it('usage comes from usageMetadata', () => {
    const completion = toChatCompletion(response({ candidates: [{ content: { parts: [{ text: 'x' }] }, finishReason: 'STOP' }], usageMetadata: { promptTokenCount: 5, candidatesTokenCount: 2, totalTokenCount: 7 } }), 'google', 'm');
    assert.deepEqual(completion.usage, { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 });
  });

  const errors: Array<{ name: string; input: object; type: new (...args: any[]) => Error; message: RegExp }> = [
    { name: 'a blocked prompt', input: { promptFeedback: { blockReason: 'SAFETY' } }, type: ProviderBlockedError, message: /SAFETY/ },
    { name: 'a blocked answer', input: { candidates: [{ finishReason: 'PROHIBITED_CONTENT' }] }, type: ProviderBlockedError, message: /PROHIBITED_CONTENT/ },
    { name: 'no candidates at all', input: { usageMetadata: { promptTokenCount: 1 } }, type: UpstreamProtocolError, message: /no candidates/ },
    { name: 'a malformed call', input: { candidates: [{ content: { role: 'model' }, finishReason: 'MALFORMED_FUNCTION_CALL' }] }, type: UpstreamProtocolError, message: /MALFORMED_FUNCTION_CALL/ },
  ];
  for (const c of errors) {
    it(`${c.name} → ${c.type.name}`, () => {
      assert.throws(() => toChatCompletion(response(c.input), 'google', 'm'), (err: unknown) => err instanceof c.type && c.message.test((err as Error).message));
    });
  }
});

describe('toUsage', () => {
  const cases: Array<{ name: string; meta: object | undefined; expected: unknown }> = [
    { name: 'absent', meta: undefined, expected: undefined },
    { name: 'plain counts', meta: { promptTokenCount: 10, candidatesTokenCount: 5, totalTokenCount: 15 }, expected: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } },
    {
      name: 'thoughts count as completion and as reasoning tokens',
      meta: { promptTokenCount: 10, candidatesTokenCount: 5, thoughtsTokenCount: 20, totalTokenCount: 35 },
      expected: { prompt_tokens: 10, completion_tokens: 25, total_tokens: 35, completion_tokens_details: { reasoning_tokens: 20 } },
    },
    { name: 'tool-use prompt tokens count as prompt', meta: { promptTokenCount: 10, toolUsePromptTokenCount: 4, candidatesTokenCount: 1 }, expected: { prompt_tokens: 14, completion_tokens: 1, total_tokens: 15 } },
    { name: 'cached tokens', meta: { promptTokenCount: 10, cachedContentTokenCount: 8, candidatesTokenCount: 1, totalTokenCount: 11 }, expected: { prompt_tokens: 10, completion_tokens: 1, total_tokens: 11, prompt_tokens_details: { cached_tokens: 8 } } },
    { name: 'a blocked prompt reports only prompt tokens', meta: { promptTokenCount: 9, totalTokenCount: 9 }, expected: { prompt_tokens: 9, completion_tokens: 0, total_tokens: 9 } },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(toUsage(c.meta as never), c.expected));
});
