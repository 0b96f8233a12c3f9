import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidRequestError, type ChatMessage } from '../../core/index.ts';
import { toGeminiPrompt, toResponseObject, type PromptOptions } from './translate-messages.ts';

const PNG = 'iVBORw0KGgo=';
const call = (id: string, name: string, args: string, signature?: string) => ({
  id, type: 'function' as const, function: { name, arguments: args },
  ...(signature ? { extra_content: { google: { thought_signature: signature } } } : {}),
});

describe('toGeminiPrompt', () => {
  const cases: Array<{ name: string; messages: ChatMessage[]; options?: PromptOptions; expected: unknown }> = [
    {
      name: 'system and developer messages become the system instruction',
      messages: [{ role: 'system', content: 'Be brief.' }, { role: 'developer', content: [{ type: 'text', text: 'Use French.' }] }, { role: 'user', content: 'Hi' }],
      expected: { systemInstruction: { parts: [{ text: 'Be brief.' }, { text: 'Use French.' }] }, contents: [{ role: 'user', parts: [{ text: 'Hi' }] }] },
    },
    {
      name: 'assistant becomes model; consecutive turns of one role are merged',
      messages: [{ role: 'user', content: 'a' }, { role: 'user', content: 'b' }, { role: 'assistant', content: 'c' }, { role: 'assistant', content: 'd' }, { role: 'user', content: 'e' }],
      expected: { contents: [{ role: 'user', parts: [{ text: 'a' }, { text: 'b' }] }, { role: 'model', parts: [{ text: 'c' }, { text: 'd' }] }, { role: 'user', parts: [{ text: 'e' }] }] },
    },
    {
      name: 'multi-part content: text, data-URL image, audio, file',
      messages: [{ role: 'user', content: [
        { type: 'text', text: 'What is this?' },
        { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } },
        { type: 'input_audio', input_audio: { data: 'UklGRg==', format: 'wav' } },
        { type: 'file', file: { file_data: 'data:application/pdf;base64,JVBERi0=' } },
      ] }],
      expected: { contents: [{ role: 'user', parts: [
        { text: 'What is this?' }, { inlineData: { mimeType: 'image/png', data: PNG } },
        { inlineData: { mimeType: 'audio/wav', data: 'UklGRg==' } }, { inlineData: { mimeType: 'application/pdf', data: 'JVBERi0=' } },
      ] }] },
    },
    {
      name: 'a two-turn tool conversation: calls become functionCall parts, results functionResponse parts in one user turn',
      messages: [
        { role: 'user', content: 'Weather in Paris and Rome?' },
        { role: 'assistant', content: null, tool_calls: [call('call_1', 'get_weather', '{"city":"Paris"}', 'c2ln'), call('call_2', 'get_weather', '{"city":"Rome"}')] },
        { role: 'tool', tool_call_id: 'call_1', content: '{"temp": 21}' },
        { role: 'tool', tool_call_id: 'call_2', content: 'sunny' },
      ],
      expected: { contents: [
        { role: 'user', parts: [{ text: 'Weather in Paris and Rome?' }] },
        { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: 'c2ln' }, { functionCall: { name: 'get_weather', args: { city: 'Rome' } } }] },
        { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { temp: 21 } } }, { functionResponse: { name: 'get_weather', response: { result: 'sunny' } } }] },
      ] },
    },
    {
      name: 'an assistant turn with text and a call, empty arguments, and a placeholder signature when asked for one',
      messages: [{ role: 'user', content: 'x' }, { role: 'assistant', content: 'Let me look.', tool_calls: [call('c', 'now', '')] }, { role: 'tool', tool_call_id: 'c', content: '[1,2]' }],
      options: { missingThoughtSignature: 'skip_thought_signature_validator' },
      expected: { contents: [
        { role: 'user', parts: [{ text: 'x' }] },
        { role: 'model', parts: [{ text: 'Let me look.' }, { functionCall: { name: 'now', args: {} }, thoughtSignature: 'skip_thought_signature_validator' }] },
        { role: 'user', parts: [{ functionResponse: { name: 'now', response: { result: '[1,2]' } } }] },
      ] },
    },
    {
      name: 'a legacy function message is answered by its name',
      messages: [{ role: 'user', content: 'x' }, { role: 'function', name: 'lookup', content: '{"ok":true}' }],
      expected: { contents: [{ role: 'user', parts: [{ text: 'x' }, { functionResponse: { name: 'lookup', response: { ok: true } } }] }] },
    },
    {
      name: 'without system instruction support the system text opens the first user turn',
      messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }],
      options: { systemInstruction: false },
      expected: { contents: [{ role: 'user', parts: [{ text: 'Be brief.' }, { text: 'Hi' }] }] },
    },
    {
      name: 'empty messages leave no empty turns behind',
      messages: [{ role: 'user', content: '' }, { role: 'user', content: 'real' }, { role: 'assistant', content: null }],
      expected: { contents: [{ role: 'user', parts: [{ text: 'real' }] }] },
    },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(toGeminiPrompt(c.messages, c.options), c.expected));

  const errors: Array<{ name: string; messages: ChatMessage[]; param: string }> = [
    { name: 'an http image URL', messages: [{ role: 'user', content: 'x' }, { role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.com/cat.png' } }] }], param: 'messages[1].content[0].image_url.url' },
    { name: 'an image that is not a URL at all', messages: [{ role: 'user', content: [{ type: 'text', text: 'a' }, { type: 'image_url', image_url: { url: 'cat.png' } }] }], param: 'messages[0].content[1].image_url.url' },
    { name: 'an unknown part type', messages: [{ role: 'user', content: [{ type: 'video_url', video_url: {} }] }], param: 'messages[0].content[0].type' },
    { name: 'a tool result for an unknown call', messages: [{ role: 'user', content: 'x' }, { role: 'tool', tool_call_id: 'nope', content: '1' }], param: 'messages[1].tool_call_id' },
    { name: 'arguments that are not JSON', messages: [{ role: 'assistant', content: null, tool_calls: [call('a', 'f', '{oops')] }], param: 'messages[0].tool_calls[0].function.arguments' },
    { name: 'arguments that are not an object', messages: [{ role: 'assistant', content: null, tool_calls: [call('a', 'f', '[1]')] }], param: 'messages[0].tool_calls[0].function.arguments' },
    { name: 'only a system message', messages: [{ role: 'system', content: 'x' }], param: 'messages' },
    { name: 'an unknown role', messages: [{ role: 'robot' as 'user', content: 'x' }], param: 'messages[0].role' },
  ];
  for (const c of errors) {
    it(`refuses ${c.name}, naming ${c.param}`, () => {
      assert.throws(() => toGeminiPrompt(c.messages), (err: unknown) => err instanceof InvalidRequestError && err.param === c.param);
    });
  }
});

describe('toResponseObject', () => {
  const cases: Array<[string, unknown]> = [
    ['{"a":1}', { a: 1 }],
    ['[1,2]', { result: '[1,2]' }],
    ['42', { result: '42' }],
    ['null', { result: 'null' }],
    ['plain words', { result: 'plain words' }],
    ['', { result: '' }],
  ];
  for (const [text, expected] of cases) it(JSON.stringify(text), () => assert.deepEqual(toResponseObject(text), expected));
});
