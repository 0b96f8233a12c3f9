import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Usage } from '../contracts/openai.ts';
import type { ResponseUsage } from '../contracts/responses.ts';
import { toResponseUsage } from './response-usage.ts';

const usage = (input: number, cached: number, writes: number, output: number, reasoning: number, total: number): ResponseUsage => ({
  input_tokens: input,
  input_tokens_details: { cached_tokens: cached, cache_write_tokens: writes },
  output_tokens: output,
  output_tokens_details: { reasoning_tokens: reasoning },
  total_tokens: total,
});

test('chat usage becomes Responses usage', () => {
  const cases: Array<[Usage | null | undefined, ResponseUsage]> = [
    [undefined, usage(0, 0, 0, 0, 0, 0)],
    [null, usage(0, 0, 0, 0, 0, 0)],
    [{ prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 }, usage(10, 0, 0, 5, 0, 15)],
    [
      { prompt_tokens: 100, completion_tokens: 40, total_tokens: 140, prompt_tokens_details: { cached_tokens: 64 }, completion_tokens_details: { reasoning_tokens: 30 } },
      usage(100, 64, 0, 40, 30, 140),
    ],
    [{ prompt_tokens: 9, completion_tokens: 1, total_tokens: 10, prompt_tokens_details: { cached_tokens: 2, cache_write_tokens: 7 } }, usage(9, 2, 7, 1, 0, 10)],
    [{ prompt_tokens: 3, completion_tokens: 4 } as Usage, usage(3, 0, 0, 4, 0, 7)],
  ];
  for (const [chat, expected] of cases) assert.deepEqual(toResponseUsage(chat), expected, JSON.stringify(chat));
});
