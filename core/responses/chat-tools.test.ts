import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chatToolChoice, chatTools } from './chat-tools.ts';

test('flat function tools become chat tools', () => {
  const schema = { type: 'object', properties: { city: { type: 'string' } } };
  const cases: Array<[Parameters<typeof chatTools>[0][number], ReturnType<typeof chatTools>[number]]> = [
    [{ type: 'function', name: 'f' }, { type: 'function', function: { name: 'f' } }],
    [{ type: 'function', name: 'f', description: 'd', parameters: schema, strict: true }, { type: 'function', function: { name: 'f', description: 'd', parameters: schema, strict: true } }],
    [{ type: 'function', name: 'f', description: null, parameters: null, strict: null }, { type: 'function', function: { name: 'f' } }],
    [{ type: 'function', name: 'f', strict: false }, { type: 'function', function: { name: 'f', strict: false } }],
  ];
  for (const [tool, expected] of cases) assert.deepEqual(chatTools([tool]), [expected]);
});

test('tool_choice becomes chat tool_choice', () => {
  const cases: Array<[Parameters<typeof chatToolChoice>[0], ReturnType<typeof chatToolChoice>]> = [
    ['auto', 'auto'],
    ['none', 'none'],
    ['required', 'required'],
    [{ type: 'function', name: 'f' }, { type: 'function', function: { name: 'f' } }],
  ];
  for (const [choice, expected] of cases) assert.deepEqual(chatToolChoice(choice), expected);
});
