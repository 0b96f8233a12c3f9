import assert from 'node:assert/strict';
import { test } from 'node:test';
import { responseContext } from './response-context.ts';

test('a context has a new id, the time it began, the model and the echo', () => {
  const before = Math.floor(Date.now() / 1000);
  const a = responseContext({ input: 'hi', store: false }, 'groq/llama');
  const b = responseContext({ input: 'hi' }, 'groq/llama');
  assert.match(a.id, /^resp_[0-9a-f]{32}$/);
  assert.notEqual(a.id, b.id);
  assert.ok(a.createdAt >= before && a.createdAt <= a.now());
  assert.equal(a.model, 'groq/llama');
  assert.equal(a.echo.store, false);
});

test('id, start and clock can be given', () => {
  const context = responseContext({ input: 'hi' }, 'm', { id: 'resp_x', createdAt: 5, now: () => 9 });
  assert.deepEqual([context.id, context.createdAt, context.now()], ['resp_x', 5, 9]);
});
