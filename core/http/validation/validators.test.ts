import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { validateChatRequest, validateEmbeddingRequest } from './validators.ts';

const user = { role: 'user', content: 'hi' };

describe('chat request validation names the field to fix', () => {
  const cases: Array<[string, unknown, string | null, RegExp]> = [
    ['an array body', [], null, /JSON object/],
    ['no messages', { model: 'x' }, 'messages', /is required/],
    ['empty messages', { messages: [] }, 'messages', /non-empty array/],
    ['a message without role', { messages: [{ content: 'x' }] }, 'messages[0].role', /is required/],
    ['an unknown role', { messages: [{ role: 'robot', content: 'x' }] }, 'messages[0].role', /must be one of/],
    ['a number as content', { messages: [{ role: 'user', content: 42 }] }, 'messages[0].content', /string or an array of content parts/],
    ['a user message without content', { messages: [{ role: 'user' }] }, 'messages[0].content', /is required/],
    ['a text part without text', { messages: [{ role: 'user', content: [{ type: 'text' }] }] }, 'messages[0].content[0].text', /is required/],
    ['an image part without url', { messages: [{ role: 'user', content: [{ type: 'image_url', image_url: {} }] }] }, 'messages[0].content[0].image_url.url', /is required/],
    ['a tool message without tool_call_id', { messages: [user, { role: 'tool', content: 'r' }] }, 'messages[1].tool_call_id', /is required/],
    ['temperature too high', { messages: [user], temperature: 3 }, 'temperature', /from 0 to 2/],
    ['temperature as a string', { messages: [user], temperature: 'hot' }, 'temperature', /from 0 to 2/],
    ['max_tokens zero', { messages: [user], max_tokens: 0 }, 'max_tokens', /positive integer/],
    ['stream not boolean', { messages: [user], stream: 'yes' }, 'stream', /true or false/],
    ['five stop words', { messages: [user], stop: ['a', 'b', 'c', 'd', 'e'] }, 'stop', /up to 4/],
    ['a bad response_format type', { messages: [user], response_format: { type: 'xml' } }, 'response_format.type', /must be one of/],
    ['json_schema without its schema object', { messages: [user], response_format: { type: 'json_schema' } }, 'response_format.json_schema', /is required/],
    ['a tool without a function', { messages: [user], tools: [{ type: 'function' }] }, 'tools[0].function', /is required/],
    ['a tool with a bad name', { messages: [user], tools: [{ type: 'function', function: { name: 'no spaces' } }] }, 'tools[0].function.name', /1–64/],
    ['a bad tool_choice', { messages: [user], tool_choice: 'always' }, 'tool_choice', /"none", "auto", "required"/],
    ['model as a number', { model: 5, messages: [user] }, 'model', /model name/],
  ];
  for (const [what, body, param, message] of cases) {
    test(what, () => {
      assert.throws(
        () => validateChatRequest(body),
        (err: any) => {
          assert.equal(err.status, 400);
          assert.equal(err.code, 'invalid_request');
          assert.equal(err.param, param);
          assert.match(err.message, message);
          return true;
        },
      );
    });
  }
});

test('valid chat requests pass, unknown fields included', () => {
  const bodies = [
    { messages: [user] },
    { model: 'mana/fast-text', messages: [{ role: 'system', content: 's' }, user], stream: true, stream_options: { include_usage: true }, temperature: 0, top_p: 1, max_tokens: 5, stop: 'x', seed: 1 },
    { messages: [{ role: 'user', content: [{ type: 'text', text: 'what' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AA==' } }] }] },
    { messages: [user, { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }] }, { role: 'tool', tool_call_id: 'c1', content: 'r' }] },
    { messages: [user], response_format: { type: 'json_schema', json_schema: { name: 'x', schema: { type: 'object' } } }, logprobs: true, reasoning_effort: 'low' },
  ];
  for (const body of bodies) assert.equal(validateChatRequest(body), body);
});

describe('embedding request validation', () => {
  test('accepts a string, strings and token arrays', () => {
    for (const input of ['a', ['a', 'b'], [1, 2], [[1], [2, 3]]]) validateEmbeddingRequest({ model: 'm', input });
  });
  const cases: Array<[unknown, string, RegExp]> = [
    [{ model: 'm' }, 'input', /is required/],
    [{ input: 'a' }, 'model', /is required/],
    [{ model: '', input: 'a' }, 'model', /embedding model name/],
    [{ model: 'm', input: [] }, 'input', /non-empty array/],
    [{ model: 'm', input: 5 }, 'input', /non-empty array/],
    [{ model: 'm', input: 'a', encoding_format: 'hex' }, 'encoding_format', /must be one of/],
    [{ model: 'm', input: 'a', dimensions: 100000 }, 'dimensions', /1 to 16384/],
  ];
  for (const [body, param, message] of cases) {
    test(`rejects ${JSON.stringify(body)}`, () => {
      assert.throws(() => validateEmbeddingRequest(body), (err: any) => err.param === param && message.test(err.message));
    });
  }
});
