import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import {
  InvalidRequestError,
  ModelNotFoundError,
  ProviderAuthError,
  ProviderBlockedError,
  ProviderRateLimitError,
  ProviderTruncatedError,
  UpstreamHttpError,
  UpstreamNetworkError,
  UpstreamProtocolError,
  UpstreamTimeoutError,
  type ChatCompletionChunk,
  type ChatCompletionRequest,
  type Provider,
  type ProviderCall,
  type StreamItem,
} from '../../core/index.ts';
import { FakeGemini } from '../helpers/fake-gemini.ts';
import { testPluginContext } from '../helpers/plugin-context.ts';
import { defaultReply, fakeEmbedding } from '../helpers/scripted-reply.ts';

const KEY = 'AIzaSy-test-key-0123456789abcdef';
const plugin = (await import('../../plugins/google/index.ts')).default;
const fake = new FakeGemini({ apiKey: KEY });
const contexts: Array<ReturnType<typeof testPluginContext>> = [];

async function create(options: Record<string, unknown> = {}): Promise<Provider> {
  const ctx = testPluginContext('google');
  contexts.push(ctx);
  return plugin.create(ctx, { apiKey: KEY, baseUrl: fake.url, ...options } as never);
}
const call = (model = 'gemini-2.5-flash', signal: AbortSignal = AbortSignal.timeout(5000)): ProviderCall => ({ model, resolved: `google/${model}`, signal });
const ask = (content: string, extra: Partial<ChatCompletionRequest> = {}): ChatCompletionRequest => ({ messages: [{ role: 'user', content }], ...extra });
async function collect(items: AsyncIterable<StreamItem>): Promise<ChatCompletionChunk[]> {
  const chunks: ChatCompletionChunk[] = [];
  for await (const item of items) chunks.push(item as ChatCompletionChunk);
  return chunks;
}
/** The chunks a stream gave before it threw, and the error. */
async function collectFailure(items: AsyncIterable<StreamItem>): Promise<{ chunks: ChatCompletionChunk[]; error: any }> {
  const chunks: ChatCompletionChunk[] = [];
  try {
    for await (const item of items) chunks.push(item as ChatCompletionChunk);
  } catch (error) {
    return { chunks, error };
  }
  throw new Error(`the stream ended without an error after ${chunks.length} chunks`);
}
const lastBody = () => fake.requests.at(-1)!.body;
const text = (chunks: ChatCompletionChunk[]) => chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');

let provider: Provider;
before(async () => {
  await fake.start();
  provider = await create();
});
after(async () => {
  for (const ctx of contexts) await ctx.close();
  await fake.stop();
});
beforeEach(() => {
  fake.clearFaults().reply(defaultReply);
  fake.server.clearRequests();
});

describe('google provider: chat', () => {
  test('sends system instruction, alternating roles, generation config and the key; answers in OpenAI shape', async () => {
    const completion = await provider.chat({
      messages: [
        { role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }, { role: 'user', content: 'there' },
        { role: 'assistant', content: 'Hello!' }, { role: 'user', content: 'Bye' },
      ],
      temperature: 0.3, top_p: 0.8, max_tokens: 64, stop: ['END'], seed: 1, presence_penalty: 0.1, frequency_penalty: 0.2, n: 1,
    }, call());
    const request = fake.requests.at(-1)!;
    assert.equal(request.path, '/v1beta/models/gemini-2.5-flash:generateContent');
    assert.equal(request.headers['x-goog-api-key'], KEY);
    assert.deepEqual(request.body.systemInstruction, { parts: [{ text: 'Be brief.' }] });
    assert.deepEqual(request.body.contents, [
      { role: 'user', parts: [{ text: 'Hi' }, { text: 'there' }] }, { role: 'model', parts: [{ text: 'Hello!' }] }, { role: 'user', parts: [{ text: 'Bye' }] },
    ]);
    assert.deepEqual(request.body.generationConfig, { temperature: 0.3, topP: 0.8, maxOutputTokens: 64, stopSequences: ['END'], seed: 1, presencePenalty: 0.1, frequencyPenalty: 0.2, candidateCount: 1 });
    assert.equal(completion.object, 'chat.completion');
    assert.deepEqual(completion.choices, [{ index: 0, message: { role: 'assistant', content: defaultReply.text }, finish_reason: 'stop' }]);
    assert.deepEqual(completion.usage, { prompt_tokens: 12, completion_tokens: 7, total_tokens: 19 });
  });

  test('uses defaultModel when the call names none, and the configured API version', async () => {
    const other = await create({ defaultModel: 'gemini-2.5-pro', apiVersion: 'v1' });
    await other.chat(ask('Hi'), call(''));
    assert.equal(fake.requests.at(-1)!.path, '/v1/models/gemini-2.5-pro:generateContent');
  });

  test('reasoning tokens count as completion tokens and as reasoning_tokens', async () => {
    fake.reply({ text: '42', reasoning: 'Let me think.', usage: { prompt: 5, completion: 1, reasoning: 30 } });
    const completion = await provider.chat(ask('?'), call());
    assert.equal(completion.choices[0]!.message.reasoning_content, 'Let me think.');
    assert.deepEqual(completion.usage, { prompt_tokens: 5, completion_tokens: 31, total_tokens: 36, completion_tokens_details: { reasoning_tokens: 30 } });
  });

  test('Gemma gets its system text in the first user turn (it refuses systemInstruction)', async () => {
    const completion = await provider.chat({ messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }] }, call('gemma-3-27b-it'));
    assert.equal(completion.choices[0]!.finish_reason, 'stop');
    assert.deepEqual(lastBody().contents, [{ role: 'user', parts: [{ text: 'Be brief.' }, { text: 'Hi' }] }]);
    assert.equal(lastBody().systemInstruction, undefined);
  });

  test('json_object and json_schema set the response MIME type and schema', async () => {
    await provider.chat(ask('json', { response_format: { type: 'json_object' } }), call());
    assert.deepEqual(lastBody().generationConfig, { responseMimeType: 'application/json' });
    const schema = { $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object', properties: { n: { type: 'integer' } }, required: ['n'], additionalProperties: false };
    await provider.chat(ask('json', { response_format: { type: 'json_schema', json_schema: { name: 'n', strict: true, schema } } }), call());
    assert.deepEqual(lastBody().generationConfig, { responseMimeType: 'application/json', responseJsonSchema: { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'], additionalProperties: false } });
  });

  test('capabilities by model name', () => {
    assert.equal((provider.capabilities('gemini-2.5-flash', AbortSignal.timeout(100)) as any).jsonSchema, true);
    assert.deepEqual(provider.capabilities('text-embedding-004', AbortSignal.timeout(100)), { chat: false, stream: false, embeddings: true, vision: false, tools: false, json: false, jsonSchema: false });
  });
});

describe('google provider: streaming', () => {
  test('chunks in OpenAI shape: role first, one id, finish, then usage', async () => {
    fake.reply({ text: 'Streaming works fine.', usage: { prompt: 4, completion: 5 } });
    const chunks = await collect(provider.chatStream(ask('Hi', { stream: true }), call()));
    assert.equal(fake.requests.at(-1)!.path, '/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse');
    assert.equal(chunks[0]!.choices[0]!.delta.role, 'assistant');
    assert.equal(text(chunks), 'Streaming works fine.');
    assert.ok(chunks.length >= 6, 'the text came in pieces');
    assert.equal(new Set(chunks.map((c) => c.id)).size, 1);
    assert.equal(new Set(chunks.map((c) => c.created)).size, 1);
    assert.equal(chunks.at(-2)!.choices[0]!.finish_reason, 'stop');
    assert.deepEqual(chunks.at(-1), { ...chunks.at(-1), choices: [], usage: { prompt_tokens: 4, completion_tokens: 5, total_tokens: 9 } });
  });

  test('an upstream error before the first event yields nothing (the router may fall back)', async () => {
    fake.fault({ status: 503, message: 'The model is overloaded. Please try again later.' });
    const { chunks, error } = await collectFailure(provider.chatStream(ask('Hi'), call()));
    assert.equal(chunks.length, 0);
    assert.ok(error instanceof UpstreamHttpError && error.retryable && /overloaded/.test(error.message), String(error));
  });

  test('a connection cut mid-stream throws after the text that arrived', async () => {
    fake.reply({ text: 'A long answer that will be cut.' }).fault({ cutAfterChunks: 3, chunkDelayMs: 30 });
    const { chunks, error } = await collectFailure(provider.chatStream(ask('Hi'), call()));
    assert.equal(text(chunks), 'A long answe');
    assert.ok(error.retryable && (error instanceof UpstreamNetworkError || error instanceof UpstreamProtocolError), String(error));
  });

  test('a stream that ends cleanly without finishReason is a cut answer', async () => {
    fake.fault({ rawBody: 'data: {"candidates": [{"content": {"parts": [{"text": "Half"}], "role": "model"}, "index": 0}]}\r\n\r\n' });
    const { chunks, error } = await collectFailure(provider.chatStream(ask('Hi'), call()));
    assert.equal(text(chunks), 'Half');
    assert.ok(error instanceof UpstreamProtocolError && /finishReason/.test(error.message), String(error));
  });

  test('an error event inside the stream is mapped by its code', async () => {
    fake.fault({ rawBody: 'data: {"candidates": [{"content": {"parts": [{"text": "Hi"}]}, "index": 0}]}\r\n\r\ndata: {"error": {"code": 503, "message": "overloaded", "status": "UNAVAILABLE"}}\r\n\r\n' });
    const { error } = await collectFailure(provider.chatStream(ask('Hi'), call()));
    assert.ok(error instanceof UpstreamHttpError && error.retryable, String(error));
  });
});

describe('google provider: vision', () => {
  test('a data-URL image travels as inlineData', async () => {
    await provider.chat({ messages: [{ role: 'user', content: [{ type: 'text', text: 'What is it?' }, { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,/9j/4AAQ' } }] }] }, call());
    assert.deepEqual(lastBody().contents[0].parts, [{ text: 'What is it?' }, { inlineData: { mimeType: 'image/jpeg', data: '/9j/4AAQ' } }]);
  });
  test('an http image URL is refused before any request, naming the param', async () => {
    const request: ChatCompletionRequest = { messages: [{ role: 'system', content: 's' }, { role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.com/a.png' } }] }] };
    await assert.rejects(provider.chat(request, call()), (err: unknown) => err instanceof InvalidRequestError && err.param === 'messages[1].content[0].image_url.url');
    await assert.rejects(collect(provider.chatStream(request, call())), InvalidRequestError);
    assert.equal(fake.requests.length, 0);
  });
});

describe('google provider: embeddings', () => {
  test('an array input is one batchEmbedContents request; floats come back in order', async () => {
    const response = await provider.embed({ input: ['alpha', 'beta', 'gamma'], dimensions: 4 }, call('text-embedding-004'));
    assert.equal(fake.requests.length, 1);
    const request = fake.requests[0]!;
    assert.equal(request.path, '/v1beta/models/text-embedding-004:batchEmbedContents');
    assert.deepEqual(request.body.requests.map((r: any) => [r.model, r.content.parts[0].text, r.outputDimensionality]), [
      ['models/text-embedding-004', 'alpha', 4], ['models/text-embedding-004', 'beta', 4], ['models/text-embedding-004', 'gamma', 4],
    ]);
    assert.deepEqual(response.data.map((d) => d.embedding), ['alpha', 'beta', 'gamma'].map((t) => fakeEmbedding(t, 4)));
    assert.equal(response.object, 'list');
  });
  test('a string input is one request too', async () => {
    const response = await provider.embed({ input: 'solo' }, call('gemini-embedding-001'));
    assert.deepEqual(response.data, [{ object: 'embedding', index: 0, embedding: fakeEmbedding('solo', 8) }]);
    assert.equal(fake.requests.length, 1);
  });
});

const weatherTool = { type: 'function' as const, function: { name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false } } };

describe('google provider: tools', () => {
  test('tools become function declarations; tool_choice becomes functionCallingConfig', async () => {
    const cases: Array<[ChatCompletionRequest['tool_choice'], unknown]> = [
      [undefined, undefined],
      ['auto', { functionCallingConfig: { mode: 'AUTO' } }],
      ['none', { functionCallingConfig: { mode: 'NONE' } }],
      ['required', { functionCallingConfig: { mode: 'ANY' } }],
      [{ type: 'function', function: { name: 'get_weather' } }, { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_weather'] } }],
    ];
    for (const [choice, expected] of cases) {
      await provider.chat(ask('Weather?', { tools: [weatherTool], tool_choice: choice }), call());
      assert.deepEqual(lastBody().tools, [{ functionDeclarations: [{ name: 'get_weather', description: 'Weather', parametersJsonSchema: weatherTool.function.parameters }] }]);
      assert.deepEqual(lastBody().toolConfig, expected, `tool_choice ${JSON.stringify(choice)}`);
    }
  });

  test('a two-turn tool conversation round-trips (names, arguments, results, thought signatures)', async () => {
    fake.reply((body) => {
      const last = body.contents.at(-1).parts;
      if (last.some((p: any) => p.functionResponse)) return { text: `It is ${last[0].functionResponse.response.temp} degrees in Paris and ${last[1].functionResponse.response.result} in Rome.` };
      return { toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }, { name: 'get_weather', arguments: { city: 'Rome' } }] };
    });
    const request = ask('Weather in Paris and Rome?', { tools: [weatherTool] });
    const first = await provider.chat(request, call());
    const message = first.choices[0]!.message;
    assert.equal(first.choices[0]!.finish_reason, 'tool_calls');
    assert.deepEqual(message.tool_calls!.map((c) => [c.function.name, JSON.parse(c.function.arguments)]), [['get_weather', { city: 'Paris' }], ['get_weather', { city: 'Rome' }]]);
    assert.ok(message.tool_calls!.every((c) => c.id.startsWith('call_')), 'tool call ids look like call_…');
    const [paris, rome] = message.tool_calls!;
    const second = await provider.chat({
      ...request,
      messages: [...request.messages, message, { role: 'tool', tool_call_id: paris!.id, content: '{"temp": 21}' }, { role: 'tool', tool_call_id: rome!.id, content: 'sunny' }],
    }, call());
    assert.equal(second.choices[0]!.message.content, 'It is 21 degrees in Paris and sunny in Rome.');
    const sent = lastBody().contents;
    assert.deepEqual(sent[1], { role: 'model', parts: [
      { functionCall: { name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: Buffer.from('sig:get_weather').toString('base64') },
      { functionCall: { name: 'get_weather', args: { city: 'Rome' } }, thoughtSignature: Buffer.from('sig:get_weather').toString('base64') },
    ] });
    assert.deepEqual(sent[2].parts.map((p: any) => p.functionResponse.name), ['get_weather', 'get_weather']);
  });

  test('two calls in one streamed turn keep distinct, stable indexes', async () => {
    fake.reply({ toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }, { name: 'get_time', arguments: { zone: 'CET' } }] });
    const chunks = await collect(provider.chatStream(ask('?', { tools: [weatherTool] }), call()));
    const deltas = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    assert.deepEqual(deltas.map((d) => [d.index, d.function?.name, d.function?.arguments]), [[0, 'get_weather', '{"city":"Paris"}'], [1, 'get_time', '{"zone":"CET"}']]);
    assert.equal(new Set(deltas.map((d) => d.id)).size, 2);
    assert.equal(chunks.find((c) => c.choices[0]?.finish_reason)!.choices[0]!.finish_reason, 'tool_calls');
  });
});

describe('google provider: finish reasons are errors, never empty successes', () => {
  for (const reason of ['SAFETY', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'RECITATION']) {
    test(`${reason} → 422 content_blocked (chat, and stream after text)`, async () => {
      fake.reply({ nativeFinish: reason, text: '' });
      await assert.rejects(provider.chat(ask('x'), call()), (err: any) => err instanceof ProviderBlockedError && err.status === 422 && err.message.includes(reason));
      fake.reply({ nativeFinish: reason, text: 'Sure, here is how' });
      const { chunks, error } = await collectFailure(provider.chatStream(ask('x'), call()));
      assert.ok(text(chunks).length > 0, 'text went out before the block');
      assert.ok(error instanceof ProviderBlockedError && error.message.includes(reason), String(error));
    });
  }

  test('promptFeedback.blockReason → 422 naming the reason (chat and stream)', async () => {
    fake.reply({ blockReason: 'PROHIBITED_CONTENT' });
    await assert.rejects(provider.chat(ask('x'), call()), (err: any) => err instanceof ProviderBlockedError && /PROHIBITED_CONTENT/.test(err.message));
    const { chunks, error } = await collectFailure(provider.chatStream(ask('x'), call()));
    assert.equal(chunks.length, 0);
    assert.ok(error instanceof ProviderBlockedError, String(error));
  });

  test('MAX_TOKENS without text → upstream_truncated; with text → length', async () => {
    fake.reply({ finish: 'length', text: '', reasoning: 'thinking…', usage: { prompt: 3, completion: 0, reasoning: 64 } });
    await assert.rejects(provider.chat(ask('x', { max_tokens: 64 }), call()), (err: any) => err instanceof ProviderTruncatedError && err.code === 'upstream_truncated');
    await assert.rejects(collect(provider.chatStream(ask('x', { max_tokens: 64 }), call())), ProviderTruncatedError);
    fake.reply({ finish: 'length', text: 'Once upon a time' });
    assert.equal((await provider.chat(ask('x'), call())).choices[0]!.finish_reason, 'length');
    const chunks = await collect(provider.chatStream(ask('x'), call()));
    assert.equal(chunks.find((c) => c.choices[0]?.finish_reason)!.choices[0]!.finish_reason, 'length');
  });

  test('MALFORMED_FUNCTION_CALL is an error, not a silent stop', async () => {
    fake.reply({ nativeFinish: 'MALFORMED_FUNCTION_CALL', text: '' });
    await assert.rejects(provider.chat(ask('x', { tools: [weatherTool] }), call()), (err: any) => err instanceof UpstreamProtocolError && /MALFORMED_FUNCTION_CALL/.test(err.message));
    await assert.rejects(collect(provider.chatStream(ask('x', { tools: [weatherTool] }), call())), UpstreamProtocolError);
  });
});

describe('google provider: upstream failures', () => {
  const statuses: Array<[number, new (...args: any[]) => Error, boolean]> = [
    [401, ProviderAuthError, false], [403, ProviderAuthError, false], [429, ProviderRateLimitError, true], [500, UpstreamHttpError, true], [404, ModelNotFoundError, false],
  ];
  for (const [status, type, retryable] of statuses) {
    test(`HTTP ${status} → ${type.name} (sent once: the SDK does not retry)`, async () => {
      fake.fault({ status, message: `failure ${status}` });
      await assert.rejects(provider.chat(ask('x'), call()), (err: any) => err.retryable === retryable && err instanceof type);
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
    await assert.rejects(provider.chat(ask('x'), call()), (err: any) => err instanceof ProviderRateLimitError && err.retryAfterSeconds === 21);
  });

  test('the API key never appears in an error message', async () => {
    fake.fault({ status: 400, message: `Bad request for key ${KEY}` });
    await assert.rejects(provider.chat(ask('x'), call()), (err: any) => !err.message.includes(KEY) && !err.message.includes(KEY.slice(0, 8)));
  });

  test('a reset connection → UpstreamNetworkError (chat, stream, embeddings)', async () => {
    fake.fault({ reset: true });
    await assert.rejects(provider.chat(ask('x'), call()), (err: any) => err instanceof UpstreamNetworkError && err.retryable);
    fake.fault({ reset: true });
    await assert.rejects(collect(provider.chatStream(ask('x'), call())), UpstreamNetworkError);
    fake.fault({ reset: true });
    await assert.rejects(provider.embed({ input: 'x' }, call('text-embedding-004')), UpstreamNetworkError);
  });

  test('a 200 that is not JSON → UpstreamProtocolError', async () => {
    fake.fault({ rawBody: '<html>proxy error</html>' });
    await assert.rejects(provider.chat(ask('x'), call()), (err: any) => err instanceof UpstreamProtocolError && err.retryable);
  });

  test('a refused connection → UpstreamNetworkError', async () => {
    const gone = await create({ baseUrl: 'http://127.0.0.1:9' });
    await assert.rejects(gone.chat(ask('x'), call()), UpstreamNetworkError);
    await assert.rejects(gone.probe(AbortSignal.timeout(2000)), UpstreamNetworkError);
  });

  test('aborting the call aborts the upstream request and rethrows the signal\'s reason', { timeout: 10_000 }, async () => {
    for (const run of [(c: ProviderCall) => provider.chat(ask('x'), c), (c: ProviderCall) => collect(provider.chatStream(ask('x'), c)), (c: ProviderCall) => provider.embed({ input: 'x' }, { ...c, model: 'text-embedding-004' })]) {
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
    for await (const _ of provider.chatStream(ask('x'), call())) break;
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
      const models = await provider.listModels(AbortSignal.timeout(5000));
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
    await provider.probe(AbortSignal.timeout(2000));
    assert.deepEqual(fake.requests.map((r) => `${r.method} ${r.path}`), ['GET /v1beta/models?pageSize=1']);
    fake.fault({ status: 503 });
    await assert.rejects(provider.probe(AbortSignal.timeout(2000)), (err: any) => err instanceof UpstreamHttpError && err.retryable);
  });
});
