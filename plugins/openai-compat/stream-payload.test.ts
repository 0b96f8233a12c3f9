import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isSerializedChunk, ProviderRateLimitError, UpstreamHttpError, UpstreamProtocolError, type StreamItem } from '../../core/index.ts';
import { streamItems, streamTarget } from './stream-payload.ts';

const target = streamTarget('openrouter', 'openrouter/meta/llama', (t) => t.replaceAll('sk-or-secret', '[redacted]'));
const head = '"id":"gen-1","object":"chat.completion.chunk","created":1,"model":"meta/llama"';

/** What each item turns into for the caller, plus how it travelled. */
function view(items: StreamItem[]): Array<{ as: 'text' | 'object'; chunk: any }> {
  return items.map((item) => (isSerializedChunk(item) ? { as: 'text', chunk: JSON.parse(item.serialized) } : { as: 'object', chunk: item }));
}

const cases: Array<{ name: string; data: string; expected: Array<{ as: 'text' | 'object'; chunk: any }> }> = [
  {
    name: 'content delta travels as text',
    data: `{${head},"choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}],"usage":null}`,
    expected: [{ as: 'text', chunk: { id: 'gen-1', object: 'chat.completion.chunk', created: 1, model: 'openrouter/meta/llama', choices: [{ index: 0, delta: { content: 'Hi' }, finish_reason: null }], usage: null } }],
  },
  {
    name: 'usage chunk is parsed',
    data: `{${head},"choices":[],"usage":{"prompt_tokens":3,"completion_tokens":4,"total_tokens":7}}`,
    expected: [{ as: 'object', chunk: { id: 'gen-1', object: 'chat.completion.chunk', created: 1, model: 'openrouter/meta/llama', choices: [], usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 } } }],
  },
  {
    name: 'finish chunk with usage is split in two objects',
    data: `{${head},"choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}`,
    expected: [
      { as: 'object', chunk: { id: 'gen-1', object: 'chat.completion.chunk', created: 1, model: 'openrouter/meta/llama', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] } },
      { as: 'object', chunk: { id: 'gen-1', object: 'chat.completion.chunk', created: 1, model: 'openrouter/meta/llama', choices: [], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } } },
    ],
  },
  {
    name: 'chunk without model gets one through a parse',
    data: '{"id":"x","choices":[]}',
    expected: [{ as: 'object', chunk: { id: 'x', choices: [], model: 'openrouter/meta/llama' } }],
  },
  {
    name: 'the text "error" in content is not an error',
    data: `{${head},"choices":[{"index":0,"delta":{"content":"\\"error\\": none"},"finish_reason":null}]}`,
    expected: [{ as: 'text', chunk: { id: 'gen-1', object: 'chat.completion.chunk', created: 1, model: 'openrouter/meta/llama', choices: [{ index: 0, delta: { content: '"error": none' }, finish_reason: null }] } }],
  },
];

for (const c of cases) {
  test(`streamItems: ${c.name}`, () => assert.deepEqual(view(streamItems(c.data, target)), c.expected));
}

const failures: Array<{ name: string; data: string; type: Function; includes: string }> = [
  { name: 'OpenAI error event', data: '{"error":{"message":"The server had an error","type":"server_error"}}', type: UpstreamHttpError, includes: 'The server had an error' },
  { name: 'OpenRouter chunk with error and finish_reason error', data: `{${head},"error":{"code":"server_error","message":"Provider disconnected"},"choices":[{"index":0,"delta":{"content":""},"finish_reason":"error"}]}`, type: UpstreamHttpError, includes: 'Provider disconnected' },
  { name: 'OpenRouter numeric 429', data: '{"error":{"code":429,"message":"Rate limited"}}', type: ProviderRateLimitError, includes: 'Rate limited' },
  { name: 'key echo is redacted', data: '{"error":{"code":500,"message":"bad sk-or-secret"}}', type: UpstreamHttpError, includes: '[redacted]' },
  { name: 'not JSON', data: 'garbage', type: UpstreamProtocolError, includes: 'not JSON' },
  { name: 'not an object', data: '[1,2]', type: UpstreamProtocolError, includes: 'not a chunk' },
];

for (const c of failures) {
  test(`streamItems throws: ${c.name}`, () => {
    assert.throws(() => streamItems(c.data, target), (err: Error) => {
      assert.ok(err instanceof c.type, `${err.name} is not ${c.type.name}`);
      assert.ok(err.message.includes(c.includes), err.message);
      assert.ok(!err.message.includes('sk-or-secret'), `the key is redacted (got ${err.message})`);
      return true;
    });
  });
}
