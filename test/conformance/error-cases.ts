import assert from 'node:assert/strict';
import { test } from 'node:test';
import OpenAI, { APIError } from 'openai';
import { sleep } from '../helpers/fake-server.ts';
import { postChat } from '../helpers/sse.ts';
import { ask } from './answer.ts';
import { user } from './fixtures.ts';
import type { Conformance } from './suite.ts';

const RETRY_AFTER_SECONDS = 1;
/** The error codes of the CONTRACT's table. */
const CONTRACT_CODES = new Set([
  'invalid_request', 'capability_unsupported', 'unauthorized', 'model_not_found', 'payload_too_large', 'content_blocked',
  'rate_limited', 'upstream_error', 'provider_auth_error', 'upstream_truncated', 'no_healthy_provider', 'timeout',
]);

/** Each error class, faulted at the fake, as the openai client sees it; whole or streamed. */
export function errorCases(ctx: Conformance, stream: boolean): void {
  const hello = () => ask(ctx.client, { model: ctx.model('chat'), messages: [user('hello')] }, stream);

  test("400 from the upstream → the provider's status and message (BadRequestError)", async () => {
    const message = 'Unsupported value: temperature 1.7 does not work with this model';
    ctx.upstream.fake.fault({ path: ctx.upstream.chatPath, status: 400, message, times: 1 });
    await assert.rejects(hello(), (err: unknown) => {
      assert.ok(err instanceof OpenAI.BadRequestError, `BadRequestError: ${String(err)}`);
      assert.equal(err.code, 'invalid_request');
      assert.ok(err.message.includes(message), `the upstream message is passed on: ${err.message}`);
      return true;
    });
  });

  test('the upstream rejects the gateway key → 502 provider_auth_error', async () => {
    ctx.upstream.rejectKey();
    await assert.rejects(hello(), (err: unknown) => {
      assert.ok(err instanceof OpenAI.APIError, `APIError: ${String(err)}`);
      assert.equal(err.status, 502);
      assert.equal(err.code, 'provider_auth_error');
      return true;
    });
  });

  test('403 from the upstream → 502 provider_auth_error', async () => {
    ctx.upstream.fake.fault({ path: ctx.upstream.chatPath, status: 403, message: 'This key may not use this model', times: 1 });
    await assert.rejects(hello(), (err: unknown) => {
      assert.ok(err instanceof OpenAI.APIError, `APIError: ${String(err)}`);
      assert.equal(err.status, 502);
      assert.equal(err.code, 'provider_auth_error');
      return true;
    });
  });

  test('404 from the upstream → NotFoundError model_not_found', async () => {
    ctx.upstream.fake.fault({ path: ctx.upstream.chatPath, status: 404, message: 'The model does not exist', times: 1 });
    await assert.rejects(hello(), (err: unknown) => {
      assert.ok(err instanceof OpenAI.NotFoundError, `NotFoundError: ${String(err)}`);
      assert.equal(err.code, 'model_not_found');
      return true;
    });
  });

  test('429 with a wait → RateLimitError 429 rate_limited with Retry-After', async () => {
    ctx.upstream.rateLimit(RETRY_AFTER_SECONDS);
    try {
      await assert.rejects(hello(), (err: unknown) => {
        assert.ok(err instanceof OpenAI.RateLimitError, `RateLimitError: ${String(err)}`);
        assert.equal(err.code, 'rate_limited');
        assert.equal(err.headers.get('retry-after'), String(RETRY_AFTER_SECONDS));
        return true;
      });
    } finally {
      // The provider's own wait keeps it out that long; after it, one successful trial closes its circuit.
      await sleep(RETRY_AFTER_SECONDS * 1000 + 100);
      await ask(ctx.client, { model: ctx.model('chat'), messages: [user('are you back?')] }, false);
    }
  });

  test('500 from the upstream → 503 no_healthy_provider, attempts [{reason: upstream_5xx}]', async () => {
    ctx.upstream.fake.fault({ path: ctx.upstream.chatPath, status: 500, message: 'internal failure', times: 1 });
    await assert.rejects(hello(), (err: unknown) => {
      assert.ok(err instanceof OpenAI.APIError, `APIError: ${String(err)}`);
      assert.equal(err.status, 503);
      assert.equal(err.code, 'no_healthy_provider');
      assert.deepEqual(attempts(err), [{ model: ctx.model('chat'), reason: 'upstream_5xx' }]);
      return true;
    });
  });

  test('a reset connection → 503 with attempts [{reason: connection_error}]', async () => {
    ctx.upstream.fake.fault({ path: ctx.upstream.chatPath, reset: true, times: 1 });
    await assert.rejects(hello(), (err: unknown) => {
      assert.ok(err instanceof OpenAI.APIError, `APIError: ${String(err)}`);
      assert.equal(err.status, 503);
      assert.equal(err.code, 'no_healthy_provider');
      assert.deepEqual(attempts(err), [{ model: ctx.model('chat'), reason: 'connection_error' }]);
      return true;
    });
  });

  if (stream) {
    test('a stream cut mid-way ends with an error event, never a clean end', async () => {
      const text = 'This answer is long enough to be cut somewhere in the middle of it.';
      const params = { model: ctx.model('chat'), messages: [user('tell me')] };

      ctx.upstream.fake.reply({ text, chunkSize: 2 });
      ctx.upstream.fake.fault({ path: ctx.upstream.chatPath, cutAfterChunks: 4, times: 1 });
      let received = '';
      await assert.rejects(
        (async () => {
          const chunks = await ctx.client.chat.completions.create({ ...params, stream: true });
          for await (const chunk of chunks) received += chunk.choices[0]?.delta.content ?? '';
        })(),
        (err: unknown) => {
          assert.ok(err instanceof OpenAI.APIError, `the client throws the stream's error event: ${String(err)}`);
          assert.ok(CONTRACT_CODES.has(String(err.code)), `the error event has a code of the contract: ${JSON.stringify(err.error)}`);
          return true;
        },
      );
      assert.ok(received.length > 0 && text.startsWith(received) && received !== text, `a true prefix arrived first: ${JSON.stringify(received)}`);

      // The same on the wire: an error event last, no [DONE].
      ctx.upstream.fake.fault({ path: ctx.upstream.chatPath, cutAfterChunks: 4, times: 1 });
      const wire = await postChat(ctx.gateway.baseURL, { ...params, stream: true });
      assert.equal(wire.status, 200);
      assert.equal(wire.done, false, 'no [DONE] after a cut');
      const last = wire.events.at(-1);
      assert.ok(CONTRACT_CODES.has(last?.error?.code), `the last event is an error with a code: ${wire.raw.slice(-300)}`);
    });
  }
}

function attempts(err: APIError): Array<{ model: unknown; reason: unknown }> {
  const list = (err.error as { attempts?: Array<{ model: unknown; reason: unknown }> } | undefined)?.attempts;
  assert.ok(Array.isArray(list), `error.attempts is a list: ${JSON.stringify(err.error)}`);
  return list.map((a) => ({ model: a.model, reason: a.reason }));
}
