import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProviderBlockedError, ProviderTruncatedError, UpstreamProtocolError, type FinishReason } from '../../core/index.ts';
import { checkPromptFeedback, toFinishReason, type CandidateOutput } from './finish-reasons.ts';

const text: CandidateOutput = { text: true, toolCalls: false };
const calls: CandidateOutput = { text: false, toolCalls: true };
const nothing: CandidateOutput = { text: false, toolCalls: false };
const thoughtOnly: CandidateOutput = { text: false, toolCalls: false, reasoning: true };

describe('toFinishReason', () => {
  const mapped: Array<[string | undefined, CandidateOutput, FinishReason]> = [
    ['STOP', text, 'stop'],
    ['STOP', nothing, 'stop'],
    ['STOP', calls, 'tool_calls'],
    ['MAX_TOKENS', text, 'length'],
    ['MAX_TOKENS', calls, 'length'],
    ['CONTINUATION', text, 'length'],
    ['OTHER', text, 'stop'],
    ['FINISH_REASON_UNSPECIFIED', calls, 'tool_calls'],
    ['SOMETHING_NEW', text, 'stop'],
  ];
  for (const [native, output, expected] of mapped) {
    it(`${native} with ${JSON.stringify(output)} → ${expected}`, () => assert.equal(toFinishReason('google', native, output), expected));
  }

  type Failure = [string | undefined, CandidateOutput, new (...args: any[]) => Error, RegExp];
  const failures: Failure[] = [
    ...['SAFETY', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'RECITATION', 'LANGUAGE', 'IMAGE_SAFETY'].flatMap((reason): Failure[] => [
      [reason, nothing, ProviderBlockedError, new RegExp(reason)],
      [reason, text, ProviderBlockedError, new RegExp(reason)],
    ]),
    ['MAX_TOKENS', nothing, ProviderTruncatedError, /MAX_TOKENS.*max_tokens/],
    ['MAX_TOKENS', thoughtOnly, ProviderTruncatedError, /spent on reasoning/],
    ['MALFORMED_FUNCTION_CALL', nothing, UpstreamProtocolError, /MALFORMED_FUNCTION_CALL/],
    ['MALFORMED_FUNCTION_CALL', text, UpstreamProtocolError, /MALFORMED_FUNCTION_CALL/],
    ['UNEXPECTED_TOOL_CALL', calls, UpstreamProtocolError, /UNEXPECTED_TOOL_CALL/],
    ['OTHER', nothing, UpstreamProtocolError, /OTHER/],
    [undefined, text, UpstreamProtocolError, /without a finishReason/],
  ];
  for (const [native, output, type, message] of failures) {
    it(`${native} with ${JSON.stringify(output)} → ${type.name}`, () => {
      assert.throws(() => toFinishReason('google', native, output), (err: unknown) => err instanceof type && message.test((err as Error).message));
    });
  }

  it('blocks are 422 content_blocked, not retryable; broken calls are retryable', () => {
    assert.throws(() => toFinishReason('google', 'SAFETY', text), (err: any) => err.status === 422 && err.code === 'content_blocked' && err.retryable === false);
    assert.throws(() => toFinishReason('google', 'MAX_TOKENS', nothing), (err: any) => err.status === 502 && err.code === 'upstream_truncated');
    assert.throws(() => toFinishReason('google', 'MALFORMED_FUNCTION_CALL', nothing), (err: any) => err.retryable === true);
  });
});

describe('checkPromptFeedback', () => {
  const fine = [undefined, {}, { blockReason: 'BLOCKED_REASON_UNSPECIFIED' }];
  for (const feedback of fine) it(`passes ${JSON.stringify(feedback)}`, () => checkPromptFeedback('google', feedback));
  for (const reason of ['SAFETY', 'OTHER', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'IMAGE_SAFETY']) {
    it(`blockReason ${reason} → ProviderBlockedError naming it`, () => {
      assert.throws(() => checkPromptFeedback('google', { blockReason: reason }), (err: unknown) => err instanceof ProviderBlockedError && err.message.includes(reason) && /prompt/.test(err.message));
    });
  }
});
