import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ChatCompletionChunk } from '../contracts/openai.ts';
import type { StreamItem } from '../contracts/provider.ts';
import { ClientClosedError } from '../errors/client-closed-error.ts';
import type { GatewayError } from '../errors/gateway-error.ts';
import { UpstreamNetworkError } from '../errors/upstream-network-error.ts';
import { ConcurrencyLimiter } from './concurrency-limiter.ts';
import { aliasChain, direct, foreign, harness, provider, scopeOf } from './chain-router.fixture.ts';

// The router's streams: falling back before the first chunk, the committed stream's failures after it,
// and every way a stream's upstream call and concurrency slot are given back.

describe('ChainRouter: streams', () => {
  const collect = async (chunks: AsyncIterable<StreamItem>) => {
    const texts: string[] = [];
    try {
      for await (const item of chunks) texts.push(String((item as ChatCompletionChunk).choices[0]?.delta.content ?? 'usage'));
      return { texts };
    } catch (err) {
      return { texts, error: err as GatewayError };
    }
  };

  test('a failure before the first chunk falls back; the answering stream carries usage into the outcome', async () => {
    const h = harness([provider('a', { fail: new UpstreamNetworkError('a: refused') }), provider('b')]);
    const scope = scopeOf();
    const committed = await h.router.stream(scope, aliasChain, [], (p, call) => p.chatStream({ messages: [] }, call));
    assert.equal(committed.entry.resolved, 'b/m');
    const { texts, error } = await collect(committed.chunks);
    assert.equal(error, undefined);
    assert.deepEqual(texts, ['b-answer', 'usage']);
    assert.deepEqual(scope.outcome.usage, { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 });
    assert.equal(typeof scope.outcome.ttftMs, 'number');
    assert.deepEqual(scope.attempts.map((a) => a.reason), ['connection_error']);
    scope.finish();
  });

  test('after the first chunk a cut ends the stream with the classified error, counted and logged once', async () => {
    const h = harness([provider('a', { chunksBeforeFailure: 2, fail: new UpstreamNetworkError('a: reset') }), provider('b')]);
    const scope = scopeOf();
    const committed = await h.router.stream(scope, aliasChain, [], (p, call) => p.chatStream({ messages: [] }, call));
    const { texts, error } = await collect(committed.chunks);
    assert.deepEqual(texts, ['a-0', 'a-1']);
    assert.equal(error?.code, 'upstream_error');
    assert.equal(error?.reason, 'connection_error');
    assert.equal(h.failures('a'), 1, 'counted once');
    assert.equal(h.upstreamErrors.length, 1);
    assert.equal(h.warnings.filter((w) => /after its first chunk/.test(String(w.msg))).length, 1);
    assert.equal(h.fallbacks.length, 0, 'no fallback after the commit');
    scope.finish();
  });

  test("a third-party plugin's content_blocked mid-stream stays content_blocked and leaves health alone", async () => {
    const h = harness([provider('a', { chunksBeforeFailure: 1, fail: foreign({ status: 422, code: 'content_blocked', retryable: false }) }), provider('b')]);
    const scope = scopeOf();
    const committed = await h.router.stream(scope, aliasChain, [], (p, call) => p.chatStream({ messages: [] }, call));
    const { error } = await collect(committed.chunks);
    assert.equal(error?.code, 'content_blocked');
    assert.equal(error?.status, 422);
    assert.equal(h.failures('a'), 0, 'not counted as a failure of the provider');
    assert.equal(h.upstreamErrors.length, 0);
    scope.finish();
  });

  /** A stream of five chunks committed on provider `a`, which has one concurrency slot. */
  const commitOnOneSlot = async () => {
    const limiter = new ConcurrencyLimiter('a', 1, 0);
    const a = provider('a', { chunksBeforeFailure: 5 });
    const h = harness([a], { limiter });
    const scope = scopeOf();
    const committed = await h.router.stream(scope, direct, [], (p, call) => p.chatStream({ messages: [] }, call));
    return { limiter, a, scope, committed };
  };

  test('a consumer that stops early releases the upstream stream and the concurrency slot', async () => {
    const { limiter, a, scope, committed } = await commitOnOneSlot();
    assert.equal(limiter.inFlight, 1);
    for await (const _ of committed.chunks) break;
    assert.equal(a.streamsClosed, 1, "the provider's generator ran its cleanup");
    assert.equal(limiter.inFlight, 0, 'the slot is free');
    scope.finish();
  });

  test('a committed stream its consumer never starts is released when the request is over', async () => {
    const limiter = new ConcurrencyLimiter('a', 1, 0);
    let upstreamSignal: AbortSignal | undefined;
    const h = harness([provider('a', { chunksBeforeFailure: 5 })], { limiter });
    const scope = scopeOf();
    await h.router.stream(scope, direct, [], (p, call) => ((upstreamSignal = call.signal), p.chatStream({ messages: [] }, call)));
    assert.equal(limiter.inFlight, 1);
    scope.finish();
    assert.equal(limiter.inFlight, 0, 'the slot is free');
    assert.equal(upstreamSignal?.aborted, true, 'the upstream call is aborted');
  });

  test('a committed stream stopped before its first read releases its provider stream and slot at once', async () => {
    const { limiter, a, scope, committed } = await commitOnOneSlot();
    const iterator = committed.chunks[Symbol.asyncIterator]();
    await iterator.return!();
    assert.equal(limiter.inFlight, 0, 'the slot is free before the request is over');
    assert.equal(a.streamsClosed, 1, "the provider's stream was closed");
    assert.deepEqual(await iterator.next(), { done: true, value: undefined });
    scope.finish();
    assert.equal(limiter.inFlight, 0, 'released once, not twice');
  });

  test('the caller going away mid-stream ends it with its own reason and no verdict on the provider', async () => {
    const h = harness([provider('a', { chunksBeforeFailure: 3 })]);
    const scope = scopeOf();
    const committed = await h.router.stream(scope, direct, [], (p, call) => p.chatStream({ messages: [] }, call));
    const iterator = committed.chunks[Symbol.asyncIterator]();
    await iterator.next();
    scope.clientClose();
    await assert.rejects(iterator.next(), ClientClosedError);
    assert.equal(h.failures('a'), 0);
    assert.equal(h.upstreamErrors.length, 0);
    scope.finish();
  });
});
