import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { InvalidRequestError, type ChatMessage } from '../../core/index.ts';
import { parseArguments, toOllamaMessages } from './translate-messages.ts';

const PNG = 'iVBORw0KGgo=';
const call = (id: string, name: string, args: string) => ({ id, type: 'function' as const, function: { name, arguments: args } });

describe('toOllamaMessages', () => {
  const cases: Array<{ name: string; in: ChatMessage[]; out: unknown[] }> = [
    { name: 'string content as is', in: [{ role: 'user', content: 'hi' }], out: [{ role: 'user', content: 'hi' }] },
    { name: 'null content → empty string', in: [{ role: 'assistant', content: null }], out: [{ role: 'assistant', content: '' }] },
    { name: 'system stays system', in: [{ role: 'system', content: 's' }], out: [{ role: 'system', content: 's' }] },
    { name: 'developer → system', in: [{ role: 'developer', content: 'd' }], out: [{ role: 'system', content: 'd' }] },
    {
      name: 'text parts joined with newlines',
      in: [{ role: 'user', content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }] }],
      out: [{ role: 'user', content: 'a\nb' }],
    },
    {
      name: 'data URL image → bare base64 in images',
      in: [{ role: 'user', content: [{ type: 'text', text: 'what?' }, { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } }] }],
      out: [{ role: 'user', content: 'what?', images: [PNG] }],
    },
    {
      name: 'assistant tool_calls → object arguments',
      in: [{ role: 'assistant', content: '', tool_calls: [call('c1', 'weather', '{"city":"Paris","days":2}')] }],
      out: [{ role: 'assistant', content: '', tool_calls: [{ function: { name: 'weather', arguments: { city: 'Paris', days: 2 } } }] }],
    },
    {
      name: 'empty arguments string → empty object',
      in: [{ role: 'assistant', tool_calls: [call('c1', 'now', '')] }],
      out: [{ role: 'assistant', content: '', tool_calls: [{ function: { name: 'now', arguments: {} } }] }],
    },
    {
      name: 'assistant reasoning_content → thinking',
      in: [{ role: 'assistant', content: 'x', reasoning_content: 'because' }],
      out: [{ role: 'assistant', content: 'x', thinking: 'because' }],
    },
    {
      name: 'tool message gets tool_name from the matching earlier tool call',
      in: [
        { role: 'assistant', tool_calls: [call('c1', 'weather', '{}'), call('c2', 'time', '{}')] },
        { role: 'tool', tool_call_id: 'c2', content: '12:00' },
        { role: 'tool', tool_call_id: 'c1', content: 'sunny' },
      ],
      out: [
        { role: 'assistant', content: '', tool_calls: [{ function: { name: 'weather', arguments: {} } }, { function: { name: 'time', arguments: {} } }] },
        { role: 'tool', content: '12:00', tool_name: 'time' },
        { role: 'tool', content: 'sunny', tool_name: 'weather' },
      ],
    },
    { name: 'tool message with an unknown id has no tool_name', in: [{ role: 'tool', tool_call_id: 'zz', content: 'r' }], out: [{ role: 'tool', content: 'r' }] },
    { name: 'legacy function message → tool with its name', in: [{ role: 'function', name: 'f', content: 'r' }], out: [{ role: 'tool', content: 'r', tool_name: 'f' }] },
  ];
  for (const c of cases) test(c.name, () => assert.deepEqual(toOllamaMessages(c.in), c.out));

  const invalid: Array<{ name: string; in: ChatMessage[]; param: string; message: RegExp }> = [
    {
      name: 'http image URL names its path and asks for data: URLs',
      in: [{ role: 'system', content: 's' }, { role: 'user', content: 'u' }, { role: 'user', content: [{ type: 'text', text: 't' }, { type: 'image_url', image_url: { url: 'https://x/y.png' } }] }],
      param: 'messages[2].content[1].image_url.url',
      message: /data: URLs/,
    },
    { name: 'audio part is refused', in: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'x', format: 'wav' } }] }], param: 'messages[0].content[0].type', message: /input_audio/ },
    { name: 'arguments that are not JSON', in: [{ role: 'assistant', tool_calls: [call('c', 'f', '{oops')] }], param: 'messages[0].tool_calls[0].function.arguments', message: /JSON object/ },
    { name: 'arguments that are a JSON array', in: [{ role: 'assistant', tool_calls: [call('c', 'f', '[1]')] }], param: 'messages[0].tool_calls[0].function.arguments', message: /JSON object/ },
    { name: 'unknown role', in: [{ role: 'robot' as never, content: 'x' }], param: 'messages[0].role', message: /robot/ },
  ];
  for (const c of invalid) {
    test(`rejects: ${c.name}`, () => {
      assert.throws(() => toOllamaMessages(c.in), (err: unknown) => {
        assert.ok(err instanceof InvalidRequestError, `an InvalidRequestError (got ${String(err)})`);
        assert.equal(err.param, c.param);
        assert.match(err.message, c.message);
        return true;
      });
    });
  }
});

describe('parseArguments', () => {
  const cases: Array<[unknown, unknown]> = [
    ['{"a":1}', { a: 1 }],
    ['  ', {}],
    [undefined, {}],
    [{ already: 'object' }, { already: 'object' }],
  ];
  for (const [input, expected] of cases) test(`${JSON.stringify(input)} → ${JSON.stringify(expected)}`, () => assert.deepEqual(parseArguments(input, 'p'), expected));
  test('a JSON string scalar is refused', () => assert.throws(() => parseArguments('"x"', 'p'), InvalidRequestError));
});
