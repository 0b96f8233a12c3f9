import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ChatMessage } from '../contracts/openai.ts';
import type { ConversationItem } from '../contracts/responses.ts';
import { toChatMessages } from './chat-messages.ts';

const at = (items: ConversationItem[]) => items.map((item, i) => ({ item, param: `input[${i}]` }));
const call = (call_id: string, name = 'f', args = '{}'): ConversationItem => ({ type: 'function_call', id: `fc_${call_id}`, call_id, name, arguments: args });
const result = (call_id: string, output = 'ok'): ConversationItem => ({ type: 'function_call_output', call_id, output });
const toolCall = (id: string, name = 'f', args = '{}') => ({ id, type: 'function' as const, function: { name, arguments: args } });

test('conversation items become chat messages', () => {
  const cases: Array<[string, ConversationItem[], ChatMessage[]]> = [
    ['roles as given', [{ role: 'developer', content: 'd' }, { role: 'system', content: 's' }, { type: 'message', role: 'user', content: 'u' }, { role: 'assistant', content: 'a' }], [
      { role: 'developer', content: 'd' }, { role: 'system', content: 's' }, { role: 'user', content: 'u' }, { role: 'assistant', content: 'a' },
    ]],
    ['a call after the user turn is an assistant message of its own', [{ role: 'user', content: 'u' }, call('c1'), result('c1')], [
      { role: 'user', content: 'u' }, { role: 'assistant', content: null, tool_calls: [toolCall('c1')] }, { role: 'tool', tool_call_id: 'c1', content: 'ok' },
    ]],
    ['parallel calls share one assistant message, outputs follow in order', [{ role: 'user', content: 'u' }, call('c1', 'a', '{"x":1}'), call('c2', 'b'), result('c1', 'r1'), result('c2', 'r2')], [
      { role: 'user', content: 'u' },
      { role: 'assistant', content: null, tool_calls: [toolCall('c1', 'a', '{"x":1}'), toolCall('c2', 'b')] },
      { role: 'tool', tool_call_id: 'c1', content: 'r1' },
      { role: 'tool', tool_call_id: 'c2', content: 'r2' },
    ]],
    ['a call joins the text it came with', [{ role: 'user', content: 'u' }, { type: 'message', id: 'msg_1', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'Let me look.', annotations: [], logprobs: [] }] }, call('c1'), result('c1')], [
      { role: 'user', content: 'u' }, { role: 'assistant', content: 'Let me look.', tool_calls: [toolCall('c1')] }, { role: 'tool', tool_call_id: 'c1', content: 'ok' },
    ]],
    ['a second round of calls after outputs is a new assistant message', [call('c1'), result('c1'), call('c2'), result('c2')], [
      { role: 'assistant', content: null, tool_calls: [toolCall('c1')] }, { role: 'tool', tool_call_id: 'c1', content: 'ok' },
      { role: 'assistant', content: null, tool_calls: [toolCall('c2')] }, { role: 'tool', tool_call_id: 'c2', content: 'ok' },
    ]],
    ['reasoning items are dropped without breaking a turn', [{ role: 'user', content: 'u' }, { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 'think' }], status: 'completed' }, call('c1'), result('c1')], [
      { role: 'user', content: 'u' }, { role: 'assistant', content: null, tool_calls: [toolCall('c1')] }, { role: 'tool', tool_call_id: 'c1', content: 'ok' },
    ]],
    ['an output with text parts', [call('c1'), { type: 'function_call_output', call_id: 'c1', output: [{ type: 'input_text', text: '15C' }] }], [
      { role: 'assistant', content: null, tool_calls: [toolCall('c1')] }, { role: 'tool', tool_call_id: 'c1', content: '15C' },
    ]],
  ];
  for (const [what, items, expected] of cases) assert.deepEqual(toChatMessages(at(items)), expected, what);
});

describe('calls and outputs that do not pair are a 400 naming the item', () => {
  const cases: Array<[string, Array<{ item: ConversationItem; param: string }>, string, RegExp]> = [
    ['an output without its call', at([{ role: 'user', content: 'u' }, result('c9')]), 'input[1].call_id', /No function_call with call_id "c9"/],
    ['an output before its call', at([result('c1'), call('c1')]), 'input[0].call_id', /No function_call with call_id "c1"/],
    ['a call without an output', at([{ role: 'user', content: 'u' }, call('c1'), call('c2'), result('c2')]), 'input[1]', /"c1" in `input\[1\]` has no function_call_output/],
    ['a call of the previous response left unanswered', [{ item: call('c1'), param: 'previous_response_id' }, { item: { role: 'user', content: 'and?' }, param: 'input[0]' }], 'previous_response_id', /"c1" in the previous response has no function_call_output/],
  ];
  for (const [what, placed, param, message] of cases) {
    test(what, () => {
      assert.throws(() => toChatMessages(placed), (err: any) => err.status === 400 && err.code === 'invalid_request' && err.param === param && message.test(err.message));
    });
  }
});
