import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chatResponseFormat } from './chat-response-format.ts';

test('text.format becomes response_format', () => {
  const schema = { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object' };
  const cases: Array<[Parameters<typeof chatResponseFormat>[0], ReturnType<typeof chatResponseFormat>]> = [
    [undefined, undefined],
    [null, undefined],
    [{ verbosity: 'low' }, undefined],
    [{ format: { type: 'text' } }, undefined],
    [{ format: { type: 'json_object' } }, { type: 'json_object' }],
    [{ format: { type: 'json_schema', name: 'answer', schema } }, { type: 'json_schema', json_schema: { name: 'answer', schema } }],
    [
      { format: { type: 'json_schema', name: 'answer', schema, description: 'the answer', strict: true } },
      { type: 'json_schema', json_schema: { name: 'answer', schema, description: 'the answer', strict: true } },
    ],
    [{ format: { type: 'json_schema', name: 'a', schema, strict: null } }, { type: 'json_schema', json_schema: { name: 'a', schema } }],
  ];
  for (const [text, expected] of cases) assert.deepEqual(chatResponseFormat(text), expected, JSON.stringify(text));
});
