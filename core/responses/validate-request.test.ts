import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { validateResponsesRequest } from './validate-request.ts';

const fn = { type: 'function', name: 'get_weather', parameters: { type: 'object' } };
const user = (content: unknown) => ({ role: 'user', content });

describe('a malformed Responses request is a 400 invalid_request naming the field', () => {
  const cases: Array<[string, unknown, string | null, RegExp]> = [
    ['an array body', [], null, /JSON object/],
    ['no input', { model: 'x' }, 'input', /is required/],
    ['input as a number', { input: 5 }, 'input', /string or an array of at most 2048/],
    ['a message without content', { input: [{ role: 'user' }] }, 'input[0].content', /is required/],
    ['a message with an unknown role', { input: [{ role: 'robot', content: 'x' }] }, 'input[0].role', /must be one of/],
    ['a typed message without role', { input: [{ type: 'message', content: 'x' }] }, 'input[0].role', /is required/],
    ['content as a number', { input: [user(4)] }, 'input[0].content', /string or an array of content parts/],
    ['a chat-style text part', { input: [user([{ type: 'text', text: 'hi' }])] }, 'input[0].content[0].type', /must be one of "input_text"/],
    ['an input_text without text', { input: [user([{ type: 'input_text' }])] }, 'input[0].content[0].text', /is required/],
    ['an input_text with a number', { input: [user([{ type: 'input_text', text: 1 }])] }, 'input[0].content[0].text', /must be a string/],
    ['an image without url', { input: [user([{ type: 'input_image', detail: 'auto' }])] }, 'input[0].content[0].image_url', /is required/],
    ['an empty image url', { input: [user([{ type: 'input_text', text: 'a' }, { type: 'input_image', image_url: '' }])] }, 'input[0].content[1].image_url', /data: URL or an http\(s\) URL/],
    ['a bad image detail', { input: [user([{ type: 'input_image', image_url: 'https://x/y.png', detail: 'max' }])] }, 'input[0].content[0].detail', /must be one of/],
    ['an image in a system message', { input: [{ role: 'system', content: [{ type: 'input_image', image_url: 'https://x/y.png' }] }] }, 'input[0].content[0]', /only allowed in user messages/],
    ['a function_call without call_id', { input: [{ type: 'function_call', name: 'f', arguments: '{}' }] }, 'input[0].call_id', /is required/],
    ['a function_call with object arguments', { input: [{ type: 'function_call', call_id: 'c', name: 'f', arguments: {} }] }, 'input[0].arguments', /JSON string/],
    ['a function_call_output without output', { input: [{ type: 'function_call_output', call_id: 'c' }] }, 'input[0].output', /is required/],
    ['an item_reference without id', { input: [{ type: 'item_reference' }] }, 'input[0].id', /is required/],
    ['an unknown item type', { input: [user('a'), { type: 'thought', text: 'x' }] }, 'input[1].type', /must be one of "message", "function_call"/],
    ['a function tool without name', { input: 'x', tools: [{ type: 'function' }] }, 'tools[0].name', /is required/],
    ['a function tool with a bad name', { input: 'x', tools: [{ type: 'function', name: 'no spaces' }] }, 'tools[0].name', /1–64/],
    ['a chat-style tool', { input: 'x', tools: [{ type: 'function', function: { name: 'f' } }] }, 'tools[0].name', /is required/],
    ['parameters as a string', { input: 'x', tools: [{ ...fn, parameters: '{}' }] }, 'tools[0].parameters', /JSON Schema object/],
    ['a bad tool_choice', { input: 'x', tools: [fn], tool_choice: 'always' }, 'tool_choice', /"none", "auto", "required"/],
    ['tool_choice naming no tool', { input: 'x', tools: [fn], tool_choice: { type: 'function', name: 'other' } }, 'tool_choice.name', /one of the function tools/],
    ['tool_choice required without tools', { input: 'x', tool_choice: 'required' }, 'tool_choice', /at least one tool/],
    ['an unknown text format', { input: 'x', text: { format: { type: 'xml' } } }, 'text.format.type', /must be one of/],
    ['json_schema without schema', { input: 'x', text: { format: { type: 'json_schema', name: 'n' } } }, 'text.format.schema', /is required/],
    ['json_schema with a bad name', { input: 'x', text: { format: { type: 'json_schema', name: 'a b', schema: {} } } }, 'text.format.name', /1–64/],
    ['temperature too high', { input: 'x', temperature: 3 }, 'temperature', /from 0 to 2/],
    ['top_p as a string', { input: 'x', top_p: 'high' }, 'top_p', /from 0 to 1/],
    ['max_output_tokens zero', { input: 'x', max_output_tokens: 0 }, 'max_output_tokens', /positive integer/],
    ['metadata with a number', { input: 'x', metadata: { a: 1 } }, 'metadata.a', /must be string/],
    ['metadata with 17 keys', { input: 'x', metadata: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, 'v'])) }, 'metadata', /at most 16/],
    ['store as a string', { input: 'x', store: 'yes' }, 'store', /true or false/],
    ['an empty previous_response_id', { input: 'x', previous_response_id: '' }, 'previous_response_id', /response id/],
    ['reasoning as a string', { input: 'x', reasoning: 'high' }, 'reasoning', /"effort": "low"/],
    ['a bad reasoning summary', { input: 'x', reasoning: { summary: 'long' } }, 'reasoning.summary', /must be one of/],
    ['model as a number', { model: 5, input: 'x' }, 'model', /model name/],
  ];
  for (const [what, body, param, message] of cases) {
    test(what, () => {
      assert.throws(
        () => validateResponsesRequest(body),
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

describe('what the gateway cannot do is a 400 capability_unsupported naming it', () => {
  const cases: Array<[string, unknown, string, RegExp]> = [
    ...['web_search', 'web_search_preview', 'file_search', 'code_interpreter', 'computer_use_preview', 'computer', 'image_generation', 'mcp', 'local_shell', 'shell', 'custom'].map(
      (type): [string, unknown, string, RegExp] => [`the ${type} tool`, { input: 'x', tools: [fn, { type }] }, 'tools[1].type', new RegExp(`"${type}" is not supported`)],
    ),
    ['a built-in tool_choice', { input: 'x', tools: [fn], tool_choice: { type: 'web_search_preview' } }, 'tool_choice.type', /"web_search_preview" is not supported/],
    ['an allowed_tools tool_choice', { input: 'x', tools: [fn], tool_choice: { type: 'allowed_tools', mode: 'auto', tools: [] } }, 'tool_choice.type', /"allowed_tools" is not supported/],
    ['a built-in tool call item', { input: [user('a'), { type: 'web_search_call', id: 'ws_1', status: 'completed' }] }, 'input[1].type', /"web_search_call" belongs to a built-in tool/],
    ['a file input', { input: [user([{ type: 'input_file', file_id: 'file_1' }])] }, 'input[0].content[0]', /File inputs/],
    ['an image by file_id', { input: [user([{ type: 'input_image', file_id: 'file_1', detail: 'auto' }])] }, 'input[0].content[0].file_id', /by file_id/],
    ['an image in a function output', { input: [{ type: 'function_call_output', call_id: 'c', output: [{ type: 'input_image', image_url: 'https://x/y.png' }] }] }, 'input[0].output[0]', /only text parts/],
    ['background: true', { input: 'x', background: true }, 'background', /Background responses/],
    ['a conversation', { input: 'x', conversation: 'conv_1' }, 'conversation', /previous_response_id/],
    ['a stored prompt', { input: 'x', prompt: { id: 'pmpt_1' } }, 'prompt', /prompt templates/],
  ];
  for (const [what, body, param, message] of cases) {
    test(what, () => {
      assert.throws(
        () => validateResponsesRequest(body),
        (err: any) => {
          assert.equal(err.status, 400);
          assert.equal(err.code, 'capability_unsupported');
          assert.equal(err.param, param);
          assert.match(err.message, message);
          return true;
        },
      );
    });
  }
});

test('valid requests pass as sent, including the fields the gateway ignores', () => {
  const bodies = [
    { input: 'hi' },
    { model: 'mana/fast-text', input: [user('hi')], instructions: 'be brief', stream: true, store: false, background: false, include: ['reasoning.encrypted_content'], truncation: 'auto', service_tier: 'auto', prompt_cache_key: 'k', safety_identifier: 's', top_logprobs: 0, stream_options: { include_obfuscation: false } },
    {
      input: [
        { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'rules' }] },
        user([{ type: 'input_text', text: 'what is this?' }, { type: 'input_image', image_url: 'data:image/png;base64,AA==', detail: 'original' }]),
        { role: 'assistant', content: [{ type: 'output_text', text: 'a cat', annotations: [] }, { type: 'refusal', refusal: 'no' }], id: 'msg_1', status: 'completed' },
        { type: 'reasoning', id: 'rs_1', summary: [], encrypted_content: 'x' },
        { type: 'function_call', id: 'fc_1', call_id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}', status: 'completed' },
        { type: 'function_call_output', call_id: 'call_1', output: [{ type: 'input_text', text: 'sunny' }] },
        { type: 'item_reference', id: 'msg_0123' },
      ],
      tools: [fn, { type: 'function', name: 'f2', description: null, parameters: null, strict: true }],
      tool_choice: { type: 'function', name: 'f2' },
      parallel_tool_calls: false,
      text: { format: { type: 'json_schema', name: 'answer', schema: { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object' }, strict: true }, verbosity: 'low' },
      reasoning: { effort: 'minimal', summary: 'auto' },
      max_output_tokens: 100,
      temperature: 0,
      top_p: 1,
      metadata: { session: 'abc' },
      user: 'u1',
      previous_response_id: 'resp_1',
    },
    { input: 'x', text: { format: { type: 'json_object' } }, reasoning: null, metadata: null, instructions: null, tool_choice: 'none' },
  ];
  for (const body of bodies) assert.equal(validateResponsesRequest(body), body);
});

describe('the short path for a plain question agrees with the schema', () => {
  // `include: null` is allowed by the schema and unknown to the short path: with it, a body takes the full path.
  const outcome = (body: unknown) => {
    try {
      return { ok: validateResponsesRequest(body) };
    } catch (err) {
      return { error: [(err as Error).constructor.name, (err as Error).message, (err as { param?: unknown }).param] };
    }
  };
  const bodies: Array<Record<string, unknown>> = [
    { input: 'hi' },
    { input: '' },
    { model: 'openai/m', input: 'hi', max_output_tokens: 32, stream: false, store: false },
    { input: 'hi', instructions: 'be brief', user: 'u', temperature: 0, top_p: 1, parallel_tool_calls: true, previous_response_id: 'resp_1', truncation: 'auto' },
    { input: 'hi', instructions: null, max_output_tokens: null, temperature: null, top_p: null, parallel_tool_calls: null, store: null, stream: null, previous_response_id: null, truncation: null },
    { input: 'hi', temperature: 2, top_p: 0, truncation: 'disabled', stream: true },
    { input: 'hi', model: 5 },
    { input: 'hi', model: null },
    { input: 'hi', user: null },
    { input: 'hi', instructions: 3 },
    { input: 'hi', previous_response_id: '' },
    { input: 'hi', max_output_tokens: 0 },
    { input: 'hi', max_output_tokens: 1.5 },
    { input: 'hi', max_output_tokens: '32' },
    { input: 'hi', temperature: 2.01 },
    { input: 'hi', temperature: -0.1 },
    { input: 'hi', top_p: 1.5 },
    { input: 'hi', stream: 'yes' },
    { input: 'hi', store: 0 },
    { input: 'hi', truncation: 'middle' },
    { input: 'hi', background: true },
    { input: 'hi', tool_choice: 'required' },
  ];
  for (const body of bodies) {
    test(JSON.stringify(body), () => {
      const short = outcome(structuredClone(body));
      const full = outcome({ ...structuredClone(body), include: null });
      if ('ok' in full) {
        assert.ok('ok' in short, 'valid on both paths');
        assert.deepEqual({ ...short.ok, include: null }, full.ok);
      } else {
        assert.deepEqual(short, full);
      }
    });
  }
});
