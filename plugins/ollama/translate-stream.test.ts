import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { UpstreamHttpError, UpstreamProtocolError } from '../../core/index.ts';
import { OllamaStreamTranslator } from './translate-stream.ts';

const meta = { id: 'chatcmpl-s', created: 1700000000, model: 'ollama/llama3.1:8b', provider: 'ollama' };
const line = (message: object, extra: object = {}) => ({ model: 'llama3.1:8b', message: { role: 'assistant', ...message }, done: false, ...extra });
const done = (extra: object = {}) => ({ model: 'llama3.1:8b', message: { role: 'assistant', content: '' }, done: true, done_reason: 'stop', ...extra });

/** Runs lines through one translator and returns every chunk's choices (or usage) in order. */
function run(lines: object[]): unknown[] {
  let n = 0;
  const t = new OllamaStreamTranslator(meta, () => `call_${++n}`);
  const chunks = lines.flatMap((l) => t.push(l));
  for (const c of chunks) {
    assert.equal(c.id, meta.id);
    assert.equal(c.created, meta.created);
    assert.equal(c.object, 'chat.completion.chunk');
    assert.equal(c.model, meta.model);
  }
  return chunks.map((c) => (c.usage ? { usage: c.usage, choices: c.choices } : c.choices[0]));
}

describe('OllamaStreamTranslator', () => {
  const cases: Array<{ name: string; lines: object[]; out: unknown[] }> = [
    {
      name: 'text: role on the first chunk only, finish, then usage',
      lines: [line({ content: 'Hel' }), line({ content: 'lo' }), done({ prompt_eval_count: 4, eval_count: 2 })],
      out: [
        { index: 0, delta: { role: 'assistant', content: 'Hel' }, finish_reason: null },
        { index: 0, delta: { content: 'lo' }, finish_reason: null },
        { index: 0, delta: {}, finish_reason: 'stop' },
        { usage: { prompt_tokens: 4, completion_tokens: 2, total_tokens: 6 }, choices: [] },
      ],
    },
    {
      name: 'empty lines make no chunk; no counts → no usage chunk',
      lines: [line({ content: '' }), line({ content: 'x' }), done()],
      out: [
        { index: 0, delta: { role: 'assistant', content: 'x' }, finish_reason: null },
        { index: 0, delta: {}, finish_reason: 'stop' },
      ],
    },
    {
      name: 'an empty answer still carries the role on its finish chunk',
      lines: [done({ done_reason: 'length', eval_count: 0, prompt_eval_count: 9 })],
      out: [
        { index: 0, delta: { role: 'assistant' }, finish_reason: 'length' },
        { usage: { prompt_tokens: 9, completion_tokens: 0, total_tokens: 9 }, choices: [] },
      ],
    },
    {
      name: 'thinking → reasoning_content',
      lines: [line({ content: '', thinking: 'hmm' }), line({ content: 'ok' }), done()],
      out: [
        { index: 0, delta: { role: 'assistant', reasoning_content: 'hmm' }, finish_reason: null },
        { index: 0, delta: { content: 'ok' }, finish_reason: null },
        { index: 0, delta: {}, finish_reason: 'stop' },
      ],
    },
    {
      name: 'tool calls: distinct stable indexes across lines, whole JSON arguments, finish tool_calls',
      lines: [
        line({ content: '', tool_calls: [{ function: { name: 'a', arguments: { x: 1 } } }, { function: { name: 'b', arguments: {} } }] }),
        line({ content: '', tool_calls: [{ function: { name: 'c', arguments: { y: 'z' } } }] }),
        done(),
      ],
      out: [
        {
          index: 0,
          delta: {
            role: 'assistant',
            tool_calls: [
              { index: 0, id: 'call_1', type: 'function', function: { name: 'a', arguments: '{"x":1}' } },
              { index: 1, id: 'call_2', type: 'function', function: { name: 'b', arguments: '{}' } },
            ],
          },
          finish_reason: null,
        },
        { index: 0, delta: { tool_calls: [{ index: 2, id: 'call_3', type: 'function', function: { name: 'c', arguments: '{"y":"z"}' } }] }, finish_reason: null },
        { index: 0, delta: {}, finish_reason: 'tool_calls' },
      ],
    },
    {
      name: 'content on the done line travels with the finish',
      lines: [line({ content: 'a' }), done({ message: { role: 'assistant', content: 'b' } })],
      out: [
        { index: 0, delta: { role: 'assistant', content: 'a' }, finish_reason: null },
        { index: 0, delta: { content: 'b' }, finish_reason: 'stop' },
      ],
    },
    {
      name: 'lines after done are ignored',
      lines: [done(), line({ content: 'late' })],
      out: [{ index: 0, delta: { role: 'assistant' }, finish_reason: 'stop' }],
    },
  ];
  for (const c of cases) test(c.name, () => assert.deepEqual(run(c.lines), c.out));

  test('done is false until the done line', () => {
    const t = new OllamaStreamTranslator(meta);
    t.push(line({ content: 'x' }));
    assert.equal(t.done, false);
    t.push(done());
    assert.equal(t.done, true);
  });

  test('an error line throws a retryable 5xx error with its message', () => {
    const t = new OllamaStreamTranslator(meta);
    t.push(line({ content: 'x' }));
    assert.throws(() => t.push({ error: 'llama runner process has terminated' }), (err: unknown) => {
      assert.ok(err instanceof UpstreamHttpError, `an UpstreamHttpError (got ${String(err)})`);
      assert.equal(err.upstreamStatus, 500);
      assert.equal(err.retryable, true);
      assert.match(err.message, /runner process has terminated/);
      return true;
    });
  });

  for (const bad of [null, 'x', [1]]) {
    test(`a line that is not an object (${JSON.stringify(bad)}) is a protocol error`, () => {
      assert.throws(() => new OllamaStreamTranslator(meta).push(bad), UpstreamProtocolError);
    });
  }
});
