import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import {
  InvalidRequestError,
  ModelNotFoundError,
  ProviderCapabilityError,
  ProviderRateLimitError,
  UpstreamHttpError,
  UpstreamNetworkError,
  UpstreamProtocolError,
  type ChatCompletionChunk,
  type Provider,
  type ProviderCall,
  type StreamItem,
} from '../../core/index.ts';
import type { OllamaOptions } from '../../plugins/ollama/options.ts';
import { FakeOllama } from '../helpers/fake-ollama.ts';
import { testPluginContext } from '../helpers/plugin-context.ts';
import { defaultReply, fakeEmbedding } from '../helpers/scripted-reply.ts';

const fake = new FakeOllama();
const contexts: Array<ReturnType<typeof testPluginContext>> = [];
let provider: Provider;

async function createProvider(options: OllamaOptions = {}): Promise<Provider> {
  const ctx = testPluginContext('ollama');
  contexts.push(ctx);
  const plugin = (await import('../../plugins/ollama/index.ts')).default;
  return plugin.create(ctx, { baseUrl: fake.url, ...options });
}
const call = (model = 'gemma3:4b', signal: AbortSignal = AbortSignal.timeout(5000)): ProviderCall => ({ model, resolved: `ollama/${model}`, signal });
const ask = (content = 'hi') => ({ messages: [{ role: 'user' as const, content }] });

async function drain(items: AsyncIterable<StreamItem>, into: ChatCompletionChunk[] = []): Promise<ChatCompletionChunk[]> {
  for await (const item of items) into.push(item as ChatCompletionChunk);
  return into;
}
function lastBody(path = '/api/chat'): any {
  const requests = fake.requestsTo(path);
  return requests[requests.length - 1]?.body;
}

before(async () => {
  await fake.start();
  provider = await createProvider({ keepAlive: '5m', numCtx: 8192 });
});
after(async () => {
  for (const ctx of contexts) await ctx.close();
  await fake.stop();
});
beforeEach(() => {
  fake.clearFaults().reply(defaultReply);
  fake.knownModels = false;
  fake.requests.length = 0;
});

describe('ollama provider: chat', () => {
  test('translates the request and the answer', async () => {
    fake.reply({ text: 'A cat.', finish: 'stop', usage: { prompt: 30, completion: 3 } });
    const schema = { type: 'object', properties: { animal: { type: 'string' } } };
    const tools = [{ type: 'function' as const, function: { name: 'look', parameters: { type: 'object' } } }];
    const answer = await provider.chat(
      {
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } }] },
        ],
        temperature: 0.1, top_p: 0.8, max_tokens: 64, stop: 'END', seed: 7, frequency_penalty: 0.2, presence_penalty: 0.3,
        response_format: { type: 'json_schema', json_schema: { name: 'a', schema } },
        tools,
      },
      call('gemma3:4b'),
    );
    const sent = lastBody();
    assert.equal(sent.model, 'gemma3:4b');
    assert.equal(sent.stream, false);
    assert.deepEqual(sent.messages, [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'What is this?', images: ['AAAA'] },
    ]);
    assert.deepEqual(sent.options, { temperature: 0.1, top_p: 0.8, num_predict: 64, stop: ['END'], seed: 7, frequency_penalty: 0.2, presence_penalty: 0.3, num_ctx: 8192 });
    assert.deepEqual(sent.format, schema);
    assert.deepEqual(sent.tools, tools);
    assert.equal(sent.keep_alive, '5m');

    assert.equal(answer.object, 'chat.completion');
    assert.match(answer.id, /^chatcmpl-/);
    assert.equal(answer.model, 'ollama/gemma3:4b');
    assert.equal(typeof answer.created, 'number');
    assert.deepEqual(answer.choices, [{ index: 0, message: { role: 'assistant', content: 'A cat.' }, finish_reason: 'stop' }]);
    assert.deepEqual(answer.usage, { prompt_tokens: 30, completion_tokens: 3, total_tokens: 33 });
  });

  test('tool calls come back with ids and JSON-string arguments; tool results carry tool_name', async () => {
    fake.reply({ toolCalls: [{ name: 'weather', arguments: { city: 'Paris' } }], finish: 'tool_calls' });
    const answer = await provider.chat({ ...ask(), response_format: { type: 'json_object' } }, call('llama3.1:8b'));
    const [toolCall] = answer.choices[0]!.message.tool_calls!;
    assert.match(toolCall!.id, /^call_/);
    assert.deepEqual(toolCall!.function, { name: 'weather', arguments: '{"city":"Paris"}' });
    assert.equal(answer.choices[0]!.finish_reason, 'tool_calls');
    assert.equal(lastBody().format, 'json');

    fake.reply({ text: 'Sunny.' });
    await provider.chat({ messages: [...ask().messages, answer.choices[0]!.message, { role: 'tool', tool_call_id: toolCall!.id, content: '25C' }] }, call('llama3.1:8b'));
    const sent = lastBody().messages;
    assert.deepEqual(sent[1].tool_calls, [{ function: { name: 'weather', arguments: { city: 'Paris' } } }]);
    assert.deepEqual(sent[2], { role: 'tool', content: '25C', tool_name: 'weather' });
  });

  test('finish length', async () => {
    fake.reply({ text: 'Cut', finish: 'length' });
    assert.equal((await provider.chat(ask(), call())).choices[0]!.finish_reason, 'length');
  });

  test('an http image URL is refused before anything is sent', async () => {
    const request = { messages: [{ role: 'user' as const, content: [{ type: 'image_url' as const, image_url: { url: 'https://example.com/a.png' } }] }] };
    await assert.rejects(provider.chat(request, call()), (err: unknown) => err instanceof InvalidRequestError && err.param === 'messages[0].content[0].image_url.url');
    assert.equal(fake.requests.length, 0);
  });
});

describe('ollama provider: errors', () => {
  const statuses: Array<{ name: string; fault: object; check: (err: any) => void }> = [
    { name: '400 passes through with its message', fault: { status: 400, message: 'invalid option num_gpu' }, check: (e) => assert.ok(e instanceof UpstreamHttpError && e.status === 400 && !e.retryable && /invalid option num_gpu/.test(e.message), `a non-retryable 400 UpstreamHttpError with the upstream message (got ${String(e)})`) },
    { name: '404 → model not found', fault: { status: 404, message: "model 'nope' not found" }, check: (e) => assert.ok(e instanceof ModelNotFoundError && e.status === 404, `a 404 ModelNotFoundError (got ${String(e)})`) },
    { name: '429 → rate limited with Retry-After', fault: { status: 429, message: 'busy', headers: { 'Retry-After': '7' } }, check: (e) => assert.ok(e instanceof ProviderRateLimitError && e.retryable && e.retryAfterSeconds === 7, `a retryable ProviderRateLimitError with retryAfterSeconds 7 (got ${String(e)})`) },
    { name: '500 → retryable', fault: { status: 500, message: 'out of memory' }, check: (e) => assert.ok(e instanceof UpstreamHttpError && e.retryable && e.status === 502 && /out of memory/.test(e.message), `a retryable 502 UpstreamHttpError with the upstream message (got ${String(e)})`) },
    { name: 'reset → network error', fault: { reset: true }, check: (e) => assert.ok(e instanceof UpstreamNetworkError && e.retryable, `a retryable UpstreamNetworkError (got ${String(e)})`) },
    { name: 'malformed 200 → protocol error', fault: { rawBody: '<html>proxy</html>' }, check: (e) => assert.ok(e instanceof UpstreamProtocolError && e.retryable, `a retryable UpstreamProtocolError (got ${String(e)})`) },
    { name: '200 without a message → protocol error', fault: { rawBody: '{"done":true}' }, check: (e) => assert.ok(e instanceof UpstreamProtocolError, `an UpstreamProtocolError (got ${String(e)})`) },
  ];
  for (const c of statuses) {
    test(`chat: ${c.name}`, async () => {
      fake.fault({ path: '/api/chat', ...c.fault });
      await assert.rejects(provider.chat(ask(), call()), (err) => (c.check(err), true));
    });
    test(`stream: ${c.name}`, async () => {
      if ('rawBody' in c.fault) return; // a raw 200 body is a stream case of its own below
      fake.fault({ path: '/api/chat', ...c.fault });
      const got: ChatCompletionChunk[] = [];
      await assert.rejects(drain(provider.chatStream(ask(), call()), got), (err) => (c.check(err), true));
      assert.equal(got.length, 0);
    });
  }

  test('unknown model on a real-like server → model not found', async () => {
    fake.knownModels = true;
    await assert.rejects(provider.chat(ask(), call('nope:1b')), ModelNotFoundError);
  });

  test('tools on a model without them → capability error', async () => {
    fake.knownModels = true;
    const tools = [{ type: 'function' as const, function: { name: 'f' } }];
    await assert.rejects(provider.chat({ ...ask(), tools }, call('gemma3:4b')), ProviderCapabilityError);
  });
});

describe('ollama provider: stream', () => {
  test('chunks in order: role first, text, finish, usage', async () => {
    fake.reply({ text: 'Hello there!', chunkSize: 4, usage: { prompt: 5, completion: 3 } });
    const chunks = await drain(provider.chatStream(ask(), call()));
    assert.equal(lastBody().stream, true);
    for (const c of chunks) {
      assert.deepEqual(JSON.parse(JSON.stringify(c)), c);
      assert.equal(c.object, 'chat.completion.chunk');
      assert.equal(c.id, chunks[0]!.id);
      assert.equal(c.created, chunks[0]!.created);
    }
    const choices = chunks.filter((c) => c.choices.length > 0);
    assert.deepEqual(choices.map((c) => c.choices[0]!.delta.role), ['assistant', undefined, undefined, undefined]);
    assert.equal(choices.map((c) => c.choices[0]!.delta.content ?? '').join(''), 'Hello there!');
    assert.deepEqual(choices.map((c) => c.choices[0]!.finish_reason), [null, null, null, 'stop']);
    const last = chunks[chunks.length - 1]!;
    assert.deepEqual(last.choices, []);
    assert.deepEqual(last.usage, { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 });
  });

  test('tool calls and reasoning', async () => {
    fake.reply({ reasoning: 'think', toolCalls: [{ name: 'a', arguments: { x: 1 } }, { name: 'b', arguments: {} }] });
    const chunks = await drain(provider.chatStream(ask(), call('llama3.1:8b')));
    const deltas = chunks.flatMap((c) => c.choices.map((ch) => ch.delta));
    assert.equal(deltas[0]!.reasoning_content, 'thin');
    const calls = deltas.flatMap((d) => d.tool_calls ?? []);
    assert.deepEqual(calls.map((t) => [t.index, t.function?.name, t.function?.arguments]), [[0, 'a', '{"x":1}'], [1, 'b', '{}']]);
    assert.ok(calls.every((t) => /^call_/.test(t.id!)), `every tool call id starts with call_ (got ${calls.map((t) => t.id).join(', ')})`);
    assert.equal(chunks.find((c) => c.choices[0]?.finish_reason)!.choices[0]!.finish_reason, 'tool_calls');
  });

  test('a cut mid-stream throws after the first chunks', async () => {
    // The delay lets the first lines flush before the socket is destroyed.
    fake.fault({ path: '/api/chat', cutAfterChunks: 2, chunkDelayMs: 20 });
    const got: ChatCompletionChunk[] = [];
    await assert.rejects(drain(provider.chatStream(ask(), call()), got), (err: any) => err instanceof UpstreamNetworkError && err.retryable);
    assert.equal(got.length, 2);
  });

  test('a body that ends without done throws', async () => {
    fake.fault({ path: '/api/chat', rawBody: '{"message":{"role":"assistant","content":"Hi"},"done":false}\n' });
    const got: ChatCompletionChunk[] = [];
    await assert.rejects(drain(provider.chatStream(ask(), call()), got), (err: unknown) => err instanceof UpstreamProtocolError && /before done/.test(err.message));
    assert.equal(got.length, 1);
  });

  test('an error line mid-stream throws a retryable error', async () => {
    fake.failStreamAfter(2, 'llama runner process has terminated');
    const got: ChatCompletionChunk[] = [];
    await assert.rejects(drain(provider.chatStream(ask(), call()), got), (err: unknown) => err instanceof UpstreamHttpError && err.retryable && /terminated/.test(err.message));
    assert.equal(got.length, 2);
  });

  for (const [name, fault] of [['before the answer', { hang: true }], ['mid-stream', { stallAfterChunks: 1 }]] as const) {
    test(`aborting ${name} closes the upstream connection`, async () => {
      fake.fault({ path: '/api/chat', ...fault });
      const controller = new AbortController();
      const reason = new Error('caller went away');
      const done = drain(provider.chatStream(ask(), call('gemma3:4b', controller.signal)));
      while (fake.requestsTo('/api/chat').length === 0) await new Promise((r) => setTimeout(r, 10));
      await new Promise((r) => setTimeout(r, 50));
      const abortedAt = Date.now();
      controller.abort(reason);
      await assert.rejects(done, (err) => err === reason);
      const record = fake.requestsTo('/api/chat')[0]!;
      for (let i = 0; i < 100 && record.abortedAt === undefined; i++) await new Promise((r) => setTimeout(r, 10));
      assert.ok(record.abortedAt !== undefined && record.abortedAt - abortedAt < 1000, 'the fake saw the connection close');
    });
  }
});

describe('ollama provider: embeddings, models, probe', () => {
  test('embeddings come back in order as floats', async () => {
    const out = await provider.embed({ input: ['one', 'two'] }, call('nomic-embed-text'));
    assert.deepEqual(lastBody('/api/embed'), { model: 'nomic-embed-text', input: ['one', 'two'], keep_alive: '5m' });
    assert.equal(out.model, 'ollama/nomic-embed-text');
    assert.deepEqual(out.data, [
      { object: 'embedding', index: 0, embedding: fakeEmbedding('one') },
      { object: 'embedding', index: 1, embedding: fakeEmbedding('two') },
    ]);
    assert.ok(out.usage.prompt_tokens > 0 && out.usage.total_tokens === out.usage.prompt_tokens, `usage counts the prompt tokens only (got ${JSON.stringify(out.usage)})`);
  });

  test('token ids are refused', async () => {
    await assert.rejects(provider.embed({ input: [[1, 2]] }, call('nomic-embed-text')), InvalidRequestError);
  });

  test('listModels', async () => {
    const models = await provider.listModels(AbortSignal.timeout(5000));
    assert.deepEqual(models.map((m) => m.id), ['gemma3:4b', 'llama3.1:8b', 'qwen2.5vl:7b', 'nomic-embed-text:latest']);
    assert.ok(models.every((m) => m.object === 'model' && m.owned_by === 'ollama' && m.created === 1746093600), 'every model is owned by ollama with the upstream modified time');
  });

  test('probe: ok, 500, server down', async () => {
    await provider.probe(AbortSignal.timeout(5000));
    fake.fault({ path: '/api/tags', status: 500, message: 'broken', times: 1 });
    await assert.rejects(provider.probe(AbortSignal.timeout(5000)), (err: any) => err instanceof UpstreamHttpError && err.retryable);
    const down = await createProvider({ baseUrl: 'http://127.0.0.1:9' });
    await assert.rejects(down.probe(AbortSignal.timeout(5000)), UpstreamNetworkError);
  });
});

describe('ollama provider: capabilities', () => {
  test('from /api/show, asked once per model', async () => {
    const p = await createProvider();
    const [llama, gemma, nomic] = await Promise.all(['llama3.1:8b', 'gemma3:4b', 'nomic-embed-text'].map((m) => p.capabilities(m, { signal: AbortSignal.timeout(5000) })));
    assert.deepEqual([llama!.tools, llama!.vision, llama!.chat], [true, false, true]);
    assert.deepEqual([gemma!.tools, gemma!.vision], [false, true]);
    assert.deepEqual([nomic!.embeddings, nomic!.chat], [true, false]);
    await p.capabilities('llama3.1:8b', { signal: AbortSignal.timeout(5000) });
    assert.deepEqual(fake.requestsTo('/api/show').map((r) => r.body), [{ model: 'llama3.1:8b' }, { model: 'gemma3:4b' }, { model: 'nomic-embed-text' }]);
  });

  test('from the patterns when /api/show fails, hangs or sends no list', async () => {
    const p = await createProvider({ toolModels: ['gemma3'] });
    fake.fault({ path: '/api/show', status: 500, times: 1 });
    assert.equal((await p.capabilities('gemma3:4b', { signal: AbortSignal.timeout(5000) })).tools, true);
    fake.fault({ path: '/api/show', hang: true, times: 1 });
    const started = Date.now();
    assert.equal((await p.capabilities('llama3.1:8b', { signal: AbortSignal.timeout(5000) })).tools, false);
    assert.ok(Date.now() - started < 3000, `a hanging /api/show is given up within 3 s (took ${Date.now() - started} ms)`);
    fake.models = [{ name: 'old:7b', capabilities: null }];
    try {
      assert.equal((await p.capabilities('old:7b', { signal: AbortSignal.timeout(5000) })).tools, false);
      // A model the server does not have is not guessed: the caller hears model_not_found.
      await assert.rejects(async () => p.capabilities('gemma3:12b', { signal: AbortSignal.timeout(5000) }), { code: 'model_not_found' });
    } finally {
      fake.models = (await import('../helpers/fake-ollama.ts')).DEFAULT_FAKE_OLLAMA_MODELS;
    }
  });
});
