import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ResponseStreamEvent } from '../contracts/responses.ts';
import { serializeEvent } from './sse-event.ts';

test('an event is an event line and one data line', () => {
  const cases: Array<[ResponseStreamEvent, string]> = [
    [
      { type: 'response.output_text.delta', sequence_number: 4, item_id: 'msg_1', output_index: 0, content_index: 0, delta: 'two\nlines', logprobs: [] },
      'event: response.output_text.delta\ndata: {"type":"response.output_text.delta","sequence_number":4,"item_id":"msg_1","output_index":0,"content_index":0,"delta":"two\\nlines","logprobs":[]}\n\n',
    ],
    [
      { type: 'response.function_call_arguments.delta', sequence_number: 0, item_id: 'fc_1', output_index: 1, delta: '{"a":' },
      'event: response.function_call_arguments.delta\ndata: {"type":"response.function_call_arguments.delta","sequence_number":0,"item_id":"fc_1","output_index":1,"delta":"{\\"a\\":"}\n\n',
    ],
  ];
  for (const [event, expected] of cases) assert.equal(serializeEvent(event), expected);
});
