import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ConversationItem, ResponsesRequest } from '../contracts/responses.ts';
import { inputItems, referencedItemIds } from './input-items.ts';

const stored: ConversationItem = { type: 'message', id: 'msg_a_0', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'hi', annotations: [], logprobs: [] }] };

test('input becomes conversation items, references resolved in place', () => {
  const cases: Array<[ResponsesRequest['input'], ConversationItem[]]> = [
    ['hi', [{ type: 'message', role: 'user', content: 'hi' }]],
    [[{ role: 'user', content: 'a' }], [{ role: 'user', content: 'a' }]],
    [
      [{ role: 'user', content: 'a' }, { type: 'item_reference', id: 'msg_a_0' }, { type: 'function_call_output', call_id: 'c', output: 'x' }],
      [{ role: 'user', content: 'a' }, stored, { type: 'function_call_output', call_id: 'c', output: 'x' }],
    ],
  ];
  for (const [input, expected] of cases) assert.deepEqual(inputItems({ input }, new Map([['msg_a_0', stored]])), expected);
});

test('the referenced ids are listed for the route to load', () => {
  assert.deepEqual(referencedItemIds({ input: 'hi' }), []);
  assert.deepEqual(referencedItemIds({ input: [{ type: 'item_reference', id: 'a' }, { role: 'user', content: 'x' }, { type: 'item_reference', id: 'b' }] }), ['a', 'b']);
});

test('a reference to no stored item is a 400 naming it', () => {
  assert.throws(
    () => inputItems({ input: [{ role: 'user', content: 'a' }, { type: 'item_reference', id: 'msg_zz' }] }),
    (err: any) => err.status === 400 && err.code === 'invalid_request' && err.param === 'input[1].id' && /msg_zz/.test(err.message),
  );
});
