import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import {
  isSerializedChunk,
  ModelNotFoundError,
  ProviderAuthError,
  ProviderRateLimitError,
  UpstreamHttpError,
  UpstreamNetworkError,
  UpstreamProtocolError,
  type ChatCompletionChunk,
  type ChatCompletionRequest,
  type Provider,
  type ProviderCall,
  type StreamItem,
} from '../../core/index.ts';
import { FakeOpenAI } from '../helpers/fake-openai.ts';
import { testPluginContext } from '../helpers/plugin-context.ts';
import { defaultReply, fakeEmbedding } from '../helpers/scripted-reply.ts';

const KEY = 'sk-test-0123456789abcdefWXYZ';
const plugin = (await import('../../plugins/openai-compat/index.ts')).default;

const fake = new FakeOpenAI({ apiKey: KEY });
const contexts: Array<ReturnType<typeof testPluginContext>> = [];

async function create(options: Record<string, unknown> = {}): Promise<Provider> {
  const ctx = testPluginContext('groq');
  contexts.push(ctx);
  return plugin.create(ctx, { baseUrl: fake.baseUrl, apiKey: KEY, ...options } as never);
}

function call(model = 'llama-3.1-8b-instant', signal: AbortSignal = AbortSignal.timeout(5000)): ProviderCall {
  return { model, resolved: `groq/${model}`, signal };
}

const hello: ChatCompletionRequest = { model: 'groq/llama-3.1-8b-instant', messages: [{ role: 'user', content: 'Hi' }] };

async function collect(items: AsyncIterable<StreamItem>): Promise<{ raw: StreamItem[]; chunks: ChatCompletionChunk[] }> {
  const raw: StreamItem[] = [];
  for await (const item of items) raw.push(item);
  return { raw, chunks: raw.map((item) => (isSerializedChunk(item) ? JSON.parse(item.serialized) : item)) };
}

async function until(condition: () => boolean, ms = 1000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms}ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

let provider: Provider;
before(async () => {
  await fake.start();
  provider = await create({ headers: { 'X-Title': 'mana-llm' } });
});
after(async () => {
  for (const ctx of contexts) await ctx.close();
  await fake.stop();
});
beforeEach(() => {
  fake.clearFaults().reply(defaultReply);
  fake.server.clearRequests();
  fake.midStreamError = undefined;
  fake.comments = false;
});

describe('chat', () => {
  test('passes the caller body through with only model and stream set, and the key and extra headers', async () => {
    const request: ChatCompletionRequest = {
      model: 'mana/fast-text',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'low' } }] },
      ],
      tools: [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object', properties: { q: { type: 'string' } } } } }],
      tool_choice: 'auto',
      parallel_tool_calls: false,
      response_format: { type: 'json_schema', json_schema: { name: 'x', schema: { type: 'object' }, strict: true } },
      temperature: 0.2,
      x_vendor_field: { keep: ['me'] },
    };
    const answer = await provider.chat(request, call());
    const [received] = fake.requestsTo('/v1/chat/completions');
    assert.deepEqual(received!.body, { ...request, model: 'llama-3.1-8b-instant', stream: false });
    assert.equal(received!.headers.authorization, `Bearer ${KEY}`);
    assert.equal(received!.headers['x-title'], 'mana-llm');
    assert.equal(answer.model, 'groq/llama-3.1-8b-instant');
    assert.equal(answer.choices[0]!.message.content, defaultReply.text);
    assert.deepEqual([answer.usage?.prompt_tokens, answer.usage?.completion_tokens, answer.usage?.total_tokens], [12, 7, 19]);
  });

  test('drops stream_options, which OpenAI refuses without stream', async () => {
    const answer = await provider.chat({ ...hello, stream_options: { include_usage: true } }, call());
    assert.equal(answer.choices[0]!.finish_reason, 'stop');
    assert.equal('stream_options' in fake.requests[0]!.body, false);
  });

  test('tool calls, reasoning usage and finish length come back as the upstream sent them', async () => {
    fake.reply({ toolCalls: [{ name: 'lookup', arguments: { q: 'x' } }], usage: { prompt: 5, completion: 3, reasoning: 4 } });
    const answer = await provider.chat(hello, call());
    const message = answer.choices[0]!.message;
    assert.equal(answer.choices[0]!.finish_reason, 'tool_calls');
    assert.equal(message.tool_calls![0]!.function.name, 'lookup');
    assert.deepEqual(JSON.parse(message.tool_calls![0]!.function.arguments), { q: 'x' });
    assert.equal(answer.usage!.completion_tokens_details!.reasoning_tokens, 4);
    fake.reply({ text: 'cut', finish: 'length' });
    assert.equal((await provider.chat(hello, call())).choices[0]!.finish_reason, 'length');
  });
});

describe('chatStream', () => {
  test('yields chunks with the resolved model, tool deltas by index, no comments, and usage as an object', async () => {
    fake.comments = true;
    const text = 'A "model":"evil" \\ quote';
    fake.reply({ text, toolCalls: [{ name: 'a', arguments: { x: 1 } }, { name: 'b', arguments: { y: 'two' } }], usage: { prompt: 9, completion: 5, reasoning: 2 } });
    const { raw, chunks } = await collect(provider.chatStream({ ...hello, stream: true }, call()));

    const [received] = fake.requests;
    assert.equal(received!.body.model, 'llama-3.1-8b-instant');
    assert.equal(received!.body.stream, true);
    assert.deepEqual(received!.body.stream_options, { include_usage: true });
    assert.ok(raw.some(isSerializedChunk), 'ordinary chunks travel serialized');
    for (const item of raw) if (isSerializedChunk(item)) assert.ok(!item.serialized.includes('keep-alive'), 'no serialized chunk carries a keep-alive');
    for (const chunk of chunks) {
      assert.equal(chunk.model, 'groq/llama-3.1-8b-instant');
      assert.equal(chunk.object, 'chat.completion.chunk');
    }
    assert.equal(chunks[0]!.choices[0]!.delta.role, 'assistant');
    assert.equal(chunks.map((c) => c.choices[0]?.delta.content ?? '').join(''), text);

    const toolDeltas = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    for (const index of [0, 1]) {
      const deltas = toolDeltas.filter((d) => d.index === index);
      assert.ok(deltas[0]!.id && deltas[0]!.function?.name, 'first delta of a call carries id and name');
      assert.ok(deltas.slice(1).every((d) => d.id === undefined && d.function?.name === undefined), 'later deltas of a call carry neither id nor name');
      assert.deepEqual(JSON.parse(deltas.map((d) => d.function?.arguments ?? '').join('')), index === 0 ? { x: 1 } : { y: 'two' });
    }
    assert.equal(chunks.at(-2)!.choices[0]!.finish_reason, 'tool_calls');
    const last = raw.at(-1)!;
    assert.ok(!isSerializedChunk(last), 'the usage chunk is an object');
    assert.deepEqual(last.choices, []);
    assert.deepEqual([last.usage?.prompt_tokens, last.usage?.completion_tokens, last.usage?.completion_tokens_details?.reasoning_tokens], [9, 7, 2]);
  });

  test('finish length arrives as finish_reason length', async () => {
    fake.reply({ text: 'abcdefgh', finish: 'length' });
    const { chunks } = await collect(provider.chatStream(hello, call()));
    assert.equal(chunks.find((c) => c.choices[0]?.finish_reason)!.choices[0]!.finish_reason, 'length');
  });

  test('a stream cut mid-way throws after what arrived', async () => {
    // The delay lets the two chunks reach the client before the socket is destroyed.
    fake.fault({ cutAfterChunks: 2, chunkDelayMs: 20 });
    const seen: StreamItem[] = [];
    await assert.rejects(async () => {
      for await (const item of provider.chatStream(hello, call())) seen.push(item);
    }, (err: UpstreamNetworkError | UpstreamProtocolError) => err.retryable === true);
    assert.equal(seen.length, 2);
  });

  test('a stream that ends cleanly without [DONE] throws a protocol error', async () => {
    const chunk = { id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content: 'Hi' }, finish_reason: 'stop' }] };
    fake.fault({ rawBody: `data: ${JSON.stringify(chunk)}\n\n` });
    await assert.rejects(collect(provider.chatStream(hello, call())), UpstreamProtocolError);
  });

  test('a mid-stream error event throws the mapped error', async () => {
    fake.midStreamError = { afterChunks: 2 };
    await assert.rejects(collect(provider.chatStream(hello, call())), (err: Error) => err instanceof UpstreamHttpError && err.message.includes('The server had an error'));
    fake.midStreamError = { afterChunks: 1, error: { code: 429, message: 'Rate limit exceeded upstream' } };
    await assert.rejects(collect(provider.chatStream(hello, call())), ProviderRateLimitError);
  });

  test('a consumer that stops early releases the upstream request', async () => {
    fake.fault({ chunkDelayMs: 100 });
    for await (const _item of provider.chatStream(hello, call())) break;
    await until(() => fake.requests[0]!.abortedAt !== undefined);
  });
});

describe('errors', () => {
  type Expect = { type: Function; retryable: boolean; status?: number; includes?: string; retryAfterSeconds?: number };
  const cases: Array<{ name: string; fault: Record<string, unknown>; expect: Expect }> = [
    { name: '400 passes the upstream message', fault: { status: 400, message: "'temperature' must be at most 2" }, expect: { type: UpstreamHttpError, retryable: false, status: 400, includes: "'temperature' must be at most 2" } },
    { name: '404 is model not found', fault: { status: 404, message: 'The model `x` does not exist' }, expect: { type: ModelNotFoundError, retryable: false, status: 404 } },
    { name: '429 with Retry-After', fault: { status: 429, message: 'Rate limit reached', headers: { 'Retry-After': '7' } }, expect: { type: ProviderRateLimitError, retryable: true, retryAfterSeconds: 7 } },
    { name: '500 is retryable', fault: { status: 500 }, expect: { type: UpstreamHttpError, retryable: true, status: 502 } },
    { name: '503 is retryable', fault: { status: 503 }, expect: { type: UpstreamHttpError, retryable: true, status: 502 } },
    { name: 'reset is a network error', fault: { reset: true }, expect: { type: UpstreamNetworkError, retryable: true } },
    { name: 'malformed 200 is a protocol error', fault: { rawBody: '<html>oops</html>' }, expect: { type: UpstreamProtocolError, retryable: true } },
    { name: '200 with an error body (OpenRouter)', fault: { rawBody: '{"error":{"code":502,"message":"Provider returned error"}}' }, expect: { type: UpstreamHttpError, retryable: true, includes: 'Provider returned error' } },
    { name: '200 without choices is a protocol error', fault: { rawBody: '{"object":"chat.completion"}' }, expect: { type: UpstreamProtocolError, retryable: true } },
  ];
  const matches = (expect: Expect) => (err: any) => {
    assert.equal(err instanceof expect.type, true, `${err?.name} is not ${expect.type.name}`);
    assert.equal(err.retryable, expect.retryable);
    if (expect.status !== undefined) assert.equal(err.status, expect.status);
    if (expect.includes !== undefined) assert.ok(err.message.includes(expect.includes), err.message);
    if (expect.retryAfterSeconds !== undefined) assert.equal(err.retryAfterSeconds, expect.retryAfterSeconds);
    return true;
  };
  for (const c of cases) {
    test(`chat: ${c.name}`, async () => {
      fake.fault(c.fault);
      await assert.rejects(provider.chat(hello, call()), matches(c.expect));
    });
    if (!c.fault.rawBody) {
      test(`chatStream: ${c.name}, before any chunk`, async () => {
        fake.fault(c.fault);
        await assert.rejects(collect(provider.chatStream(hello, call())), matches(c.expect));
      });
    }
  }

  test('401 is a provider auth error that never shows the key', async () => {
    const wrongKey = 'sk-wrong-key-0123456789QRST';
    const wrong = await create({ apiKey: wrongKey });
    for (const attempt of [() => wrong.chat(hello, call()), () => collect(wrong.chatStream(hello, call())), () => wrong.probe(AbortSignal.timeout(2000))]) {
      await assert.rejects(attempt(), (err: Error) => {
        assert.ok(err instanceof ProviderAuthError, err.name);
        for (const fragment of [wrongKey, wrongKey.slice(0, 5), wrongKey.slice(-4), KEY]) assert.ok(!err.message.includes(fragment), err.message);
        return true;
      });
    }
  });

  test('aborting the call while the upstream hangs aborts the upstream request', async () => {
    fake.fault({ hang: true });
    const controller = new AbortController();
    const pending = provider.chat(hello, call(undefined, controller.signal));
    await until(() => fake.requests.length === 1);
    controller.abort();
    await assert.rejects(pending);
    await until(() => fake.requests[0]!.abortedAt !== undefined);
  });

  test('aborting mid-stream aborts the upstream request', async () => {
    fake.fault({ chunkDelayMs: 200 });
    const controller = new AbortController();
    const stream = provider.chatStream(hello, call(undefined, controller.signal))[Symbol.asyncIterator]();
    await stream.next();
    controller.abort();
    await assert.rejects(stream.next());
    await until(() => fake.requests[0]!.abortedAt !== undefined);
  });
});

describe('embeddings, models, probe, options', () => {
  test('embeddings as floats', async () => {
    const answer = await provider.embed({ model: 'groq/e', input: ['one', 'two'] }, call('text-embedding-3-small'));
    assert.deepEqual(fake.requests[0]!.body, { model: 'text-embedding-3-small', input: ['one', 'two'] });
    assert.equal(answer.model, 'groq/text-embedding-3-small');
    assert.deepEqual(answer.data.map((d) => d.embedding), [fakeEmbedding('one'), fakeEmbedding('two')]);
  });

  test('embeddings as base64 little-endian float32, as the upstream sent them', async () => {
    const answer = await provider.embed({ input: 'one', encoding_format: 'base64' }, call('text-embedding-3-small'));
    assert.equal(fake.requests[0]!.body.encoding_format, 'base64');
    const bytes = Buffer.from(answer.data[0]!.embedding as string, 'base64');
    const floats = Array.from({ length: bytes.length / 4 }, (_, i) => bytes.readFloatLE(i * 4));
    assert.deepEqual(floats, fakeEmbedding('one').map(Math.fround));
  });

  test('embeddings: malformed 200 is a protocol error', async () => {
    fake.fault({ rawBody: '{"object":"list"}' });
    await assert.rejects(provider.embed({ input: 'x' }, call()), UpstreamProtocolError);
  });

  test('listModels maps GET /models', async () => {
    fake.models = ['llama-3.1-8b-instant', 'meta-llama/llama-3.3-70b'];
    const models = await provider.listModels(AbortSignal.timeout(2000));
    assert.deepEqual(models, [
      { id: 'llama-3.1-8b-instant', object: 'model', created: 1_700_000_000, owned_by: 'system' },
      { id: 'meta-llama/llama-3.3-70b', object: 'model', created: 1_700_000_000, owned_by: 'system' },
    ]);
  });

  test('listModels falls back to the models option, and throws without one', async () => {
    const withList = await create({ models: ['fixed-a', 'fixed-b'] });
    fake.fault({ path: '/v1/models', status: 404, times: 2 });
    assert.deepEqual((await withList.listModels(AbortSignal.timeout(2000))).map((m) => m.id), ['fixed-a', 'fixed-b']);
    await assert.rejects(provider.listModels(AbortSignal.timeout(2000)), ModelNotFoundError);
  });

  test('probe passes on 200 and throws the mapped error otherwise', async () => {
    await provider.probe(AbortSignal.timeout(2000));
    assert.equal(fake.requests[0]!.path, '/v1/models');
    fake.fault({ status: 503 });
    await assert.rejects(provider.probe(AbortSignal.timeout(2000)), (err: UpstreamHttpError) => err.retryable);
  });

  test('unconfigured() reports an empty required key only', () => {
    assert.equal(plugin.unconfigured!({ baseUrl: fake.baseUrl, apiKey: '' }), 'no API key (apiKey is empty)');
    assert.equal(plugin.unconfigured!({ baseUrl: fake.baseUrl }), 'no API key (apiKey is empty)');
    assert.equal(plugin.unconfigured!({ baseUrl: fake.baseUrl, apiKey: KEY }), undefined);
    assert.equal(plugin.unconfigured!({ baseUrl: fake.baseUrl, apiKey: '', requireApiKey: false }), undefined);
  });

  test('no Authorization header without a key; capabilities follow the options', async () => {
    fake.apiKey = undefined;
    try {
      const open = await create({ apiKey: '', requireApiKey: false, capabilities: { vision: false, embeddings: false } });
      await open.chat(hello, call());
      assert.equal(fake.requests[0]!.headers.authorization, undefined);
      assert.deepEqual(await open.capabilities('m', { signal: AbortSignal.timeout(1000) }), {
        chat: true, stream: true, vision: false, embeddings: false, tools: true, json: true, jsonSchema: true,
      });
    } finally {
      fake.apiKey = KEY;
    }
  });
});
