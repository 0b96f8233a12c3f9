import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ConversationItem, ResponseOutputItem } from '../contracts/responses.ts';
import { conversationAfter } from './conversation.ts';
import { toChatRequest } from './to-chat-request.ts';

test('a turn adds its input and its output to the conversation, in that order', () => {
  const first: ConversationItem[] = [{ type: 'message', role: 'user', content: 'Weather in Paris?' }];
  const call: ResponseOutputItem = { id: 'fc_a_0', type: 'function_call', status: 'completed', arguments: '{"city":"Paris"}', call_id: 'call_1', name: 'get_weather' };
  const afterFirst = conversationAfter([], first, { output: [call] });
  assert.deepEqual(afterFirst, [...first, call]);

  const second: ConversationItem[] = [{ type: 'function_call_output', call_id: 'call_1', output: 'rain' }];
  const answer: ResponseOutputItem = { id: 'msg_b_0', type: 'message', status: 'completed', content: [{ type: 'output_text', annotations: [], logprobs: [], text: 'It rains.' }], role: 'assistant' };
  const afterSecond = conversationAfter(afterFirst, second, { output: [answer] });
  assert.deepEqual(afterSecond, [...first, call, ...second, answer]);

  // And it is what the next request continues from.
  assert.deepEqual(toChatRequest({ input: 'Tomorrow?' }, afterSecond).messages, [
    { role: 'user', content: 'Weather in Paris?' },
    { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
    { role: 'tool', tool_call_id: 'call_1', content: 'rain' },
    { role: 'assistant', content: 'It rains.' },
    { role: 'user', content: 'Tomorrow?' },
  ]);
});
