import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GenerateContentResponse } from '@google/genai';
import { ProviderBlockedError, ProviderTruncatedError, UpstreamProtocolError, type ChatCompletionChunk } from '../../core/index.ts';
import { StreamTranslator } from './translate-stream.ts';

const text = (t: string, extra: object = {}) => ({ candidates: [{ content: { role: 'model', parts: [{ text: t }] }, index: 0, ...extra }] });
const finish = (reason: string, extra: object = {}) => ({ candidates: [{ content: { role: 'model' }, index: 0, finishReason: reason }], ...extra });
const usage = { usageMetadata: { promptTokenCount: 3, candidatesTokenCount: 2, thoughtsTokenCount: 4, totalTokenCount: 9 } };

/** Runs events through a translator; the chunks it produced, and what it threw (if anything). */
function run(events: object[]): { chunks: ChatCompletionChunk[]; error?: unknown } {
  const translator = new StreamTranslator('google', 'google/gemini-2.5-flash');
  const chunks: ChatCompletionChunk[] = [];
  try {
    for (const event of events) chunks.push(...translator.push(event as GenerateContentResponse));
    chunks.push(...translator.end());
  } catch (error) {
    return { chunks, error };
  }
  return { chunks };
}
const deltas = (chunks: ChatCompletionChunk[]) => chunks.map((c) => (c.choices.length ? [c.choices[0]!.index, c.choices[0]!.delta, c.choices[0]!.finish_reason] : ['usage', c.usage]));

describe('StreamTranslator', () => {
  const cases: Array<{ name: string; events: object[]; expected: unknown[] }> = [
    {
      name: 'text pieces, then the finish, then usage (thoughts counted as completion)',
      events: [text('Hel'), text('lo', { finishReason: 'STOP' }), { ...finish('STOP'), candidates: [] , ...usage }],
      expected: [
        [0, { role: 'assistant', content: 'Hel' }, null], [0, { content: 'lo' }, null], [0, {}, 'stop'],
        ['usage', { prompt_tokens: 3, completion_tokens: 6, total_tokens: 9, completion_tokens_details: { reasoning_tokens: 4 } }],
      ],
    },
    {
      name: 'thoughts stream as reasoning_content',
      events: [{ candidates: [{ content: { parts: [{ text: 'hmm', thought: true }] }, index: 0 }] }, text('ok', { finishReason: 'STOP' })],
      expected: [[0, { role: 'assistant', reasoning_content: 'hmm' }, null], [0, { content: 'ok' }, null], [0, {}, 'stop']],
    },
    {
      name: 'a finish with no text at all still opens with the role',
      events: [finish('STOP')],
      expected: [[0, { role: 'assistant' }, 'stop']],
    },
    {
      name: 'MAX_TOKENS after text is length',
      events: [text('Once'), finish('MAX_TOKENS')],
      expected: [[0, { role: 'assistant', content: 'Once' }, null], [0, {}, 'length']],
    },
    {
      name: 'two candidates keep their own role and finish',
      events: [{ candidates: [{ content: { parts: [{ text: 'a' }] }, index: 0 }, { content: { parts: [{ text: 'b' }] }, index: 1 }] }, { candidates: [{ index: 0, finishReason: 'STOP' }, { index: 1, finishReason: 'STOP' }] }],
      expected: [[0, { role: 'assistant', content: 'a' }, null], [1, { role: 'assistant', content: 'b' }, null], [0, {}, 'stop'], [1, {}, 'stop']],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const { chunks, error } = run(c.events);
      assert.equal(error, undefined);
      assert.deepEqual(deltas(chunks), c.expected);
    });
  }

  it('every chunk has the same id and created, and the OpenAI chunk shape', () => {
    const { chunks } = run([text('a'), text('b'), finish('STOP', usage)]);
    assert.equal(new Set(chunks.map((c) => c.id)).size, 1);
    assert.equal(new Set(chunks.map((c) => c.created)).size, 1);
    assert.ok(chunks.every((c) => c.object === 'chat.completion.chunk' && c.model === 'google/gemini-2.5-flash' && /^chatcmpl-/.test(c.id)), 'chunk shape');
    assert.deepEqual(chunks.at(-1)!.choices, []);
  });

  it('function calls across events keep distinct, stable indexes and finish as tool_calls', () => {
    const call = (name: string) => ({ candidates: [{ content: { parts: [{ functionCall: { name, args: { n: name } } }] }, index: 0 }] });
    const { chunks, error } = run([call('a'), { candidates: [{ content: { parts: [{ functionCall: { name: 'b' } }, { functionCall: { name: 'c' } }] }, index: 0 }] }, finish('STOP')]);
    assert.equal(error, undefined);
    const calls = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    assert.deepEqual(calls.map((c) => [c.index, c.function?.name, c.function?.arguments]), [[0, 'a', '{"n":"a"}'], [1, 'b', '{}'], [2, 'c', '{}']]);
    assert.equal(new Set(calls.map((c) => c.id)).size, 3);
    assert.equal(chunks.at(-1)!.choices[0]!.finish_reason, 'tool_calls');
  });

  const failures: Array<{ name: string; events: object[]; type: new (...args: any[]) => Error; message: RegExp; yielded: number }> = [
    { name: 'a blocked prompt before anything', events: [{ promptFeedback: { blockReason: 'PROHIBITED_CONTENT' } }], type: ProviderBlockedError, message: /PROHIBITED_CONTENT/, yielded: 0 },
    { name: 'SAFETY after text was out', events: [text('Sure, here'), finish('SAFETY')], type: ProviderBlockedError, message: /SAFETY/, yielded: 1 },
    // The text that arrives together with the block is withheld too.
    { name: 'RECITATION after text was out', events: [text('The lyrics'), text(' go', { finishReason: 'RECITATION' })], type: ProviderBlockedError, message: /RECITATION/, yielded: 1 },
    { name: 'MAX_TOKENS with only thoughts', events: [{ candidates: [{ content: { parts: [{ text: 'hmm', thought: true }] }, index: 0 }] }, finish('MAX_TOKENS')], type: ProviderTruncatedError, message: /reasoning/, yielded: 1 },
    { name: 'MALFORMED_FUNCTION_CALL', events: [finish('MALFORMED_FUNCTION_CALL')], type: UpstreamProtocolError, message: /MALFORMED_FUNCTION_CALL/, yielded: 0 },
    { name: 'an end without finishReason (cut)', events: [text('Half an ans'), { ...usage }], type: UpstreamProtocolError, message: /without a finishReason/, yielded: 1 },
    { name: 'an end without any event', events: [], type: UpstreamProtocolError, message: /before any answer/, yielded: 0 },
    { name: 'one of two candidates unfinished', events: [{ candidates: [{ index: 0, finishReason: 'STOP' }, { index: 1, content: { parts: [{ text: 'b' }] } }] }], type: UpstreamProtocolError, message: /candidate 1/, yielded: 2 },
  ];
  for (const c of failures) {
    it(`${c.name} → ${c.type.name}`, () => {
      const { chunks, error } = run(c.events);
      assert.ok(error instanceof c.type, `expected ${c.type.name}, got ${String(error)}`);
      assert.match((error as Error).message, c.message);
      assert.equal(chunks.length, c.yielded);
    });
  }
});
