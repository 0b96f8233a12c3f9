import assert from 'node:assert/strict';
import { test } from 'node:test';
import { completionId, toolCallId } from './ids.ts';

test('ids follow OpenAI style and do not repeat', () => {
  assert.match(completionId(), /^chatcmpl-[A-Za-z0-9_-]{16}$/);
  assert.match(toolCallId(), /^call_[A-Za-z0-9_-]{16}$/);
  const ids = new Set(Array.from({ length: 1000 }, toolCallId));
  assert.equal(ids.size, 1000);
});
