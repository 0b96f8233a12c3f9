import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FinishReason } from '../contracts/openai.ts';
import { finishStatus, type FinishStatus } from './finish-status.ts';

test('a finish reason becomes a status', () => {
  const completed: FinishStatus = { status: 'completed', incomplete_details: null };
  const cases: Array<[FinishReason | null | undefined, FinishStatus]> = [
    ['stop', completed],
    ['tool_calls', completed],
    ['function_call', completed],
    [null, completed],
    [undefined, completed],
    ['length', { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } }],
    ['content_filter', { status: 'incomplete', incomplete_details: { reason: 'content_filter' } }],
  ];
  for (const [reason, expected] of cases) assert.deepEqual(finishStatus(reason), expected, String(reason));
});
