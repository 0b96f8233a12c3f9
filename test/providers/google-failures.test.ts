import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  ModelNotFoundError,
  ProviderAuthError,
  ProviderBlockedError,
  ProviderRateLimitError,
  ProviderTruncatedError,
  UpstreamHttpError,
  UpstreamNetworkError,
  UpstreamProtocolError,
  UpstreamTimeoutError,
  type ProviderCall,
} from '../../core/index.ts';
import { ask, call, collect, collectFailure, create, fake, googleProviderSuite, KEY, text, weatherTool } from './google-harness.ts';

// The Google provider through the real SDK: finish reasons as errors, upstream failures, models and probe.

const suite = googleProviderSuite();

describe('google provider: finish reasons are errors, never empty successes', () => {
  for (const reason of ['SAFETY', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'RECITATION']) {
    test(`${reason} → 422 content_blocked (chat, and stream after text)`, async () => {
      fake.reply({ nativeFinish: reason, text: '' });
      await assert.rejects(suite.provider().chat(ask('x'), call()), (err: any) => err instanceof ProviderBlockedError && err.status === 422 && err.message.includes(reason));
      fake.reply({ nativeFinish: reason, text: 'Sure, here is how' });
      const { chunks, error } = await collectFailure(suite.provider().chatStream(ask('x'), call()));
      assert.ok(text(chunks).length > 0, 'text went out before the block');
      assert.ok(error instanceof ProviderBlockedError && error.message.includes(reason), String(error));
    });
  }

  test('promptFeedback.blockReason → 422 naming the reason (chat and stream)', async () => {
    fake.reply({ blockReason: 'PROHIBITED_CONTENT' });
    await assert.rejects(suite.provider().chat(ask('x'), call()), (err: any) => err instanceof ProviderBlockedError && /PROHIBITED_CONTENT/.test(err.message));
    const { chunks, error } = await collectFailure(suite.provider().chatStream(ask('x'), call()));
    assert.equal(chunks.length, 0);
    assert.ok(error instanceof ProviderBlockedError, String(error));
  });

  test('MAX_TOKENS without text → upstream_truncated; with text → length', async () => {
    fake.reply({ finish: 'length', text: '', reasoning: 'thinking…', usage: { prompt: 3, completion: 0, reasoning: 64 } });
    await assert.rejects(suite.provider().chat(ask('x', { max_tokens: 64 }), call()), (err: any) => err instanceof ProviderTruncatedError && err.code === 'upstream_truncated');
    await assert.rejects(collect(suite.provider().chatStream(ask('x', { max_tokens: 64 }), call())), ProviderTruncatedError);
    fake.reply({ finish: 'length', text: 'Once upon a time' });
    assert.equal((await suite.provider().chat(ask('x'), call())).choices[0]!.finish_reason, 'length');
    const chunks = await collect(suite.provider().chatStream(ask('x'), call()));
    assert.equal(chunks.find((c) => c.choices[0]?.finish_reason)!.choices[0]!.finish_reason, 'length');
  });

  test('MALFORMED_FUNCTION_CALL is an error, not a silent stop', async () => {
    fake.reply({ nativeFinish: 'MALFORMED_FUNCTION_CALL', text: '' });
    await assert.rejects(suite.provider().chat(ask('x', { tools: [weatherTool] }), call()), (err: any) => err instanceof UpstreamProtocolError && /MALFORMED_FUNCTION_CALL/.test(err.message));
    await assert.rejects(collect(suite.provider().chatStream(ask('x', { tools: [weatherTool] }), call())), UpstreamProtocolError);
  });
});

describe('google provider: upstream failures', () => {
  const statuses: Array<[number, new (...args: any[]) => Error, boolean]> = [
    [401, ProviderAuthError, false], [403, ProviderAuthError, false], [429, ProviderRateLimitError, true], [500, UpstreamHttpError, true], [404, ModelNotFoundError, false],
  ];
  for (const [status, type, retryable] of statuses) {
    test(`HTTP ${status} → ${type.name} (sent once: the SDK does not retry)`, async () => {
      fake.fault({ status, message: `failure ${status}` });
      await assert.rejects(suite.provider().chat(ask('x'), call()), (err: any) => err.retryable === retryable && err instanceof type);
      assert.equal(fake.requests.length, 1);
    });
  }

  test('a wrong key (Google answers 400 API_KEY_INVALID) → provider_auth_error, on chat and probe', async () => {
    const wrong = await create({ apiKey: 'AIzaSy-wrong-key-0000000000' });
    await assert.rejects(wrong.chat(ask('x'), call()), (err: any) => err instanceof ProviderAuthError && err.code === 'provider_auth_error');
    await assert.rejects(wrong.probe(AbortSignal.timeout(2000)), ProviderAuthError);
  });

  test('429 carries the RetryInfo delay', async () => {
    fake.fault({ status: 429, rawBody: JSON.stringify({ error: { code: 429, message: 'Quota exceeded', status: 'RESOURCE_EXHAUSTED', details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '21s' }] } }) });
    await assert.rejects(suite.provider().chat(ask('x'), call()), (err: any) => err instanceof ProviderRateLimitError && err.retryAfterSeconds === 21);
  });

  test('the API key never appears in an error message', async () => {
    fake.fault({ status: 400, message: `Bad request for key ${KEY}` });
    await assert.rejects(suite.provider().chat(ask('x'), call()), (err: any) => !err.message.includes(KEY) && !err.message.includes(KEY.slice(0, 8)));
  });

  test('a reset connection → UpstreamNetworkError (chat, stream, embeddings)', async () => {
    fake.fault({ reset: true });
    await assert.rejects(suite.provider().chat(ask('x'), call()), (err: any) => err instanceof UpstreamNetworkError && err.retryable);
    fake.fault({ reset: true });
    await assert.rejects(collect(suite.provider().chatStream(ask('x'), call())), UpstreamNetworkError);
    fake.fault({ reset: true });
    await assert.rejects(suite.provider().embed({ input: 'x' }, call('text-embedding-004')), UpstreamNetworkError);
  });

  test('a 200 that is not JSON → UpstreamProtocolError', async () => {
    fake.fault({ rawBody: '<html>proxy error</html>' });
    await assert.rejects(suite.provider().chat(ask('x'), call()), (err: any) => err instanceof UpstreamProtocolError && err.retryable);
  });

  test('a refused connection → UpstreamNetworkError', async () => {
    const gone = await create({ baseUrl: 'http://127.0.0.1:9' });
    await assert.rejects(gone.chat(ask('x'), call()), UpstreamNetworkError);
    await assert.rejects(gone.probe(AbortSignal.timeout(2000)), UpstreamNetworkError);
  });

  test('aborting the call aborts the upstream request and rethrows the signal\'s reason', { timeout: 10_000 }, async () => {
    for (const run of [(c: ProviderCall) => suite.provider().chat(ask('x'), c), (c: ProviderCall) => collect(suite.provider().chatStream(ask('x'), c)), (c: ProviderCall) => suite.provider().embed({ input: 'x' }, { ...c, model: 'text-embedding-004' })]) {
      fake.server.clearRequests();
      fake.fault({ hang: true, times: 1 });
      const controller = new AbortController();
      const reason = new UpstreamTimeoutError('first token took too long', 'first_token');
      const pending = run(call('gemini-2.5-flash', controller.signal));
      while (fake.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
      const abortedAt = Date.now();
      controller.abort(reason);
      await assert.rejects(pending, (err: unknown) => err === reason);
      while (fake.requests[0]!.abortedAt === undefined && Date.now() - abortedAt < 1000) await new Promise((r) => setTimeout(r, 5));
      assert.ok(fake.requests[0]!.abortedAt! - abortedAt < 1000, 'the fake saw the connection close');
    }
  });

  test('a consumer that stops reading ends the upstream stream', async () => {
    fake.reply({ text: 'x'.repeat(200), chunkSize: 2 }).fault({ chunkDelayMs: 20 });
    for await (const _ of suite.provider().chatStream(ask('x'), call())) break;
    const deadline = Date.now() + 1000;
    while (fake.requests[0]!.abortedAt === undefined && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    assert.ok(fake.requests[0]!.abortedAt !== undefined, 'the fake saw the connection close');
  });
});

describe('google provider: models and probe', () => {
  test('listModels pages through the list, strips models/, leaves out what it cannot serve', async () => {
    const saved = fake.models;
    fake.models = [...Array.from({ length: 1500 }, (_, i) => `gemini-fake-${i}`), 'text-embedding-004', 'imagen-4.0-generate-001'];
    try {
      const models = await suite.provider().listModels(AbortSignal.timeout(5000));
      assert.equal(fake.requests.length, 2);
      assert.equal(fake.requests[0]!.path, '/v1beta/models?pageSize=1000');
      assert.equal(models.length, 1501);
      assert.deepEqual(models[0], { id: 'gemini-fake-0', object: 'model', created: 0, owned_by: 'google', display_name: 'gemini-fake-0', context_length: 1048576, max_output_tokens: 65536 });
      assert.ok(models.some((m) => m.id === 'text-embedding-004') && !models.some((m) => m.id.startsWith('imagen')), 'embedding models listed, Imagen left out');
    } finally {
      fake.models = saved;
    }
  });

  test('probe is one GET /v1beta/models?pageSize=1; failures are mapped', async () => {
    await suite.provider().probe(AbortSignal.timeout(2000));
    assert.deepEqual(fake.requests.map((r) => `${r.method} ${r.path}`), ['GET /v1beta/models?pageSize=1']);
    fake.fault({ status: 503 });
    await assert.rejects(suite.provider().probe(AbortSignal.timeout(2000)), (err: any) => err instanceof UpstreamHttpError && err.retryable);
  });
});
