import assert from 'node:assert/strict';
import { test } from 'node:test';
import OpenAI from 'openai';
import { ask, parsedCalls } from './answer.ts';
import { WEATHER_CALL, WEATHER_TOOL, user } from './fixtures.ts';
import { ALIAS_FALLBACK, ALIAS_NO_TOOLS, type Conformance } from './suite.ts';

/** Tool requests and capabilities in routing, and fallback from the entry to a cloud model; whole or streamed. */
export function routingCases(ctx: Conformance, stream: boolean): void {
  const toolRequest = (model: string) => ({ model, messages: [user('Weather in Paris?')], tools: [WEATHER_TOOL] });

  if (ctx.entry.models.noTools) {
    test('a tool request to a model that cannot call tools → 400 capability_unsupported, nothing sent upstream', async () => {
      await assert.rejects(ask(ctx.client, toolRequest(ctx.model('noTools')), stream), (err: unknown) => {
        assert.ok(err instanceof OpenAI.BadRequestError, `BadRequestError: ${String(err)}`);
        assert.equal(err.code, 'capability_unsupported');
        return true;
      });
      assert.equal(ctx.upstream.chatRequests().length, 0, 'the model was not asked');
    });

    test('through an alias whose first entry cannot call tools, the next entry answers with the tool call', async () => {
      ctx.backup.fake.reply({ toolCalls: [WEATHER_CALL], finish: 'tool_calls' });
      const { answer, fallbacks } = await withFallbacks(ctx, () => ask(ctx.client, toolRequest(ALIAS_NO_TOOLS), stream));
      assert.deepEqual(fallbacks, [[ctx.model('noTools'), ctx.backup.resolved, 'capability']], 'the skip is in the attempt log');
      assert.equal(answer.resolvedHeader, ctx.backup.resolved);
      assert.equal(answer.finish, 'tool_calls');
      assert.deepEqual(parsedCalls(answer), [WEATHER_CALL]);
      assert.equal(ctx.upstream.chatRequests().length, 0, 'the first entry was skipped, not asked');
    });
  }

  test('fallback: the entry fails with 500 on a tool request, the cloud model answers with the tool call', async () => {
    ctx.upstream.fake.fault({ path: ctx.upstream.chatPath, status: 500, message: 'runner crashed', times: 1 });
    ctx.backup.fake.reply({ toolCalls: [WEATHER_CALL], finish: 'tool_calls' });
    const { answer, fallbacks } = await withFallbacks(ctx, () => ask(ctx.client, toolRequest(ALIAS_FALLBACK), stream));
    assert.deepEqual(fallbacks, [[ctx.model('tools'), ctx.backup.resolved, 'upstream_5xx']]);
    assert.equal(answer.resolvedHeader, ctx.backup.resolved);
    assert.equal(answer.finish, 'tool_calls');
    assert.deepEqual(parsedCalls(answer), [WEATHER_CALL]);
    const tried = ctx.upstream.chatRequests();
    assert.equal(tried.length, 1, 'the entry was tried first');
    assert.deepEqual(ctx.entry.received.tools(tried[0]!.body).map((t) => t.name), ['get_weather']);
  });
}

/** Runs a request and collects the gateway's `fallback` events it caused, as [from, to, reason]. */
async function withFallbacks<T>(ctx: Conformance, run: () => Promise<T>): Promise<{ answer: T; fallbacks: string[][] }> {
  const fallbacks: string[][] = [];
  const off = ctx.gateway.services.events.on('fallback', (e) => fallbacks.push([e.from, e.to, e.reason]));
  try {
    return { answer: await run(), fallbacks };
  } finally {
    off();
  }
}
