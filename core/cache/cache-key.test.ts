import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cacheKey, type CacheKeyInput } from './cache-key.ts';

const base: CacheKeyInput = {
  route: 'chat',
  chain: ['ollama/gemma3:4b', 'groq/llama-3.1-8b-instant'],
  scope: 'shared',
  body: {
    model: 'mana/fast-text',
    messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } }] }],
    temperature: 0.2,
    top_p: 0.9,
    max_tokens: 100,
    stop: ['END'],
    seed: 7,
    n: 1,
    frequency_penalty: 0,
    presence_penalty: 0,
    tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }],
    tool_choice: 'auto',
    response_format: { type: 'json_object' },
    options: { num_ctx: 4096 },
  },
};

const withBody = (patch: Record<string, unknown>): CacheKeyInput => ({ ...base, body: { ...base.body, ...patch } });
const key = cacheKey(base);

describe('every output-relevant change changes the key', () => {
  const cases: Array<[string, CacheKeyInput]> = [
    ['the chain', { ...base, chain: ['groq/llama-3.1-8b-instant'] }],
    ['the route', { ...base, route: 'embeddings' }],
    ['the caller scope', { ...base, scope: 'key:abc' }],
    ['message text', withBody({ messages: [{ role: 'user', content: 'hello' }] })],
    ['the image', withBody({ messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,BBBB' } }] }] })],
    ['a role', withBody({ messages: [{ role: 'system', content: [{ type: 'text', text: 'hi' }] }] })],
    ['temperature', withBody({ temperature: 0.3 })],
    ['top_p', withBody({ top_p: 1 })],
    ['max_tokens', withBody({ max_tokens: 101 })],
    ['max_completion_tokens', withBody({ max_completion_tokens: 100 })],
    ['stop', withBody({ stop: ['STOP'] })],
    ['seed', withBody({ seed: 8 })],
    ['n', withBody({ n: 2 })],
    ['frequency_penalty', withBody({ frequency_penalty: 0.5 })],
    ['presence_penalty', withBody({ presence_penalty: 0.5 })],
    ['tools', withBody({ tools: [{ type: 'function', function: { name: 'g', parameters: { type: 'object' } } }] })],
    ['tool_choice', withBody({ tool_choice: 'required' })],
    ['parallel_tool_calls', withBody({ parallel_tool_calls: false })],
    ['response_format', withBody({ response_format: { type: 'json_schema', json_schema: { name: 'x', schema: {} } } })],
    ['a provider option (num_ctx)', withBody({ options: { num_ctx: 8192 } })],
    ['an unknown field', withBody({ reasoning_effort: 'high' })],
    ['logit_bias', withBody({ logit_bias: { '50256': -100 } })],
  ];
  for (const [what, input] of cases) test(what, () => assert.notEqual(cacheKey(input), key));
});

describe('output-neutral changes keep the key', () => {
  const reordered = Object.fromEntries(Object.entries(base.body).reverse());
  const cases: Array<[string, CacheKeyInput]> = [
    ['stream', withBody({ stream: true })],
    ['stream_options', withBody({ stream_options: { include_usage: true } })],
    ['user', withBody({ user: 'someone' })],
    ['the alias name (the chain decides)', withBody({ model: 'mana/other-name-same-chain' })],
    ['key order', { ...base, body: reordered }],
    ['nested key order', withBody({ response_format: { type: 'json_object' }, tools: [{ function: { parameters: { type: 'object' }, name: 'f' }, type: 'function' }] })],
    ['store and metadata', withBody({ store: true, metadata: { trace: 'x' } })],
    ['the embedding encoding (vectors are stored as floats)', withBody({ encoding_format: 'base64' })],
  ];
  for (const [what, input] of cases) test(what, () => assert.equal(cacheKey(input), key));
});
