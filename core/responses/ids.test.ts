import assert from 'node:assert/strict';
import { test } from 'node:test';
import { outputItemId, responseId, responseIdOfItem } from './ids.ts';

test('response ids follow OpenAI style and do not repeat', () => {
  assert.match(responseId(), /^resp_[0-9a-f]{32}$/);
  assert.equal(new Set(Array.from({ length: 1000 }, responseId)).size, 1000);
});

test('an output item id carries its kind, its response and its index', () => {
  const id = 'resp_0123456789abcdef0123456789abcdef';
  const cases: Array<[Parameters<typeof outputItemId>[0], number, string]> = [
    ['message', 0, 'msg_0123456789abcdef0123456789abcdef_0'],
    ['function_call', 2, 'fc_0123456789abcdef0123456789abcdef_2'],
    ['reasoning', 11, 'rs_0123456789abcdef0123456789abcdef_11'],
  ];
  for (const [kind, index, expected] of cases) {
    assert.equal(outputItemId(kind, id, index), expected);
    assert.equal(responseIdOfItem(expected), id);
  }
});

test('ids the gateway did not make name no response', () => {
  for (const id of ['msg_abc', 'fc_68a1b2', 'call_0123456789abcdef0123456789abcdef_0', 'msg_0123456789abcdef0123456789abcdeX_0', '']) {
    assert.equal(responseIdOfItem(id), undefined, id);
  }
});
