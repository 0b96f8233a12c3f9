import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  InvalidRequestError,
  UpstreamHttpError,
  UpstreamNetworkError,
  UpstreamProtocolError,
  type ChatCompletionRequest,
} from '../../core/index.ts';
import { fakeEmbedding, defaultReply } from '../helpers/scripted-reply.ts';
import { ask, call, collect, collectFailure, create, fake, googleProviderSuite, KEY, lastBody, text, weatherTool } from './google-harness.ts';

// The Google provider through the real SDK: chat, streaming, vision, embeddings, tools.

const suite = googleProviderSuite();

describe('google provider: chat', () => {
  test('sends system instruction, alternating roles, generation config and the key; answers in OpenAI shape', async () => {
    const completion = await suite.provider().chat({
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
    const completion = await suite.provider().chat(ask('?'), call());
    assert.equal(completion.choices[0]!.message.reasoning_content, 'Let me think.');
    assert.deepEqual(completion.usage, { prompt_tokens: 5, completion_tokens: 31, total_tokens: 36, completion_tokens_details: { reasoning_tokens: 30 } });
  });

  test('Gemma gets its system text in the first user turn (it refuses systemInstruction)', async () => {
    const completion = await suite.provider().chat({ messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }] }, call('gemma-3-27b-it'));
    assert.equal(completion.choices[0]!.finish_reason, 'stop');
    assert.deepEqual(lastBody().contents, [{ role: 'user', parts: [{ text: 'Be brief.' }, { text: 'Hi' }] }]);
    assert.equal(lastBody().systemInstruction, undefined);
  });

  test('json_object and json_schema set the response MIME type and schema', async () => {
    await suite.provider().chat(ask('json', { response_format: { type: 'json_object' } }), call());
    assert.deepEqual(lastBody().generationConfig, { responseMimeType: 'application/json' });
    const schema = { $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object', properties: { n: { type: 'integer' } }, required: ['n'], additionalProperties: false };
    await suite.provider().chat(ask('json', { response_format: { type: 'json_schema', json_schema: { name: 'n', strict: true, schema } } }), call());
    assert.deepEqual(lastBody().generationConfig, { responseMimeType: 'application/json', responseJsonSchema: { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'], additionalProperties: false } });
  });

  test('capabilities by model name', () => {
    assert.equal((suite.provider().capabilities('gemini-2.5-flash', { signal: AbortSignal.timeout(100) }) as any).jsonSchema, true);
    assert.deepEqual(suite.provider().capabilities('text-embedding-004', { signal: AbortSignal.timeout(100) }), { chat: false, stream: false, embeddings: true, vision: false, tools: false, json: false, jsonSchema: false });
  });
});

describe('google provider: streaming', () => {
  test('chunks in OpenAI shape: role first, one id, finish, then usage', async () => {
    fake.reply({ text: 'Streaming works fine.', usage: { prompt: 4, completion: 5 } });
    const chunks = await collect(suite.provider().chatStream(ask('Hi', { stream: true }), call()));
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
    const { chunks, error } = await collectFailure(suite.provider().chatStream(ask('Hi'), call()));
    assert.equal(chunks.length, 0);
    assert.ok(error instanceof UpstreamHttpError && error.retryable && /overloaded/.test(error.message), String(error));
  });

  test('a connection cut mid-stream throws after the text that arrived', async () => {
    fake.reply({ text: 'A long answer that will be cut.' }).fault({ cutAfterChunks: 3, chunkDelayMs: 30 });
    const { chunks, error } = await collectFailure(suite.provider().chatStream(ask('Hi'), call()));
    assert.equal(text(chunks), 'A long answe');
    assert.ok(error.retryable && (error instanceof UpstreamNetworkError || error instanceof UpstreamProtocolError), String(error));
  });

  test('a stream that ends cleanly without finishReason is a cut answer', async () => {
    fake.fault({ rawBody: 'data: {"candidates": [{"content": {"parts": [{"text": "Half"}], "role": "model"}, "index": 0}]}\r\n\r\n' });
    const { chunks, error } = await collectFailure(suite.provider().chatStream(ask('Hi'), call()));
    assert.equal(text(chunks), 'Half');
    assert.ok(error instanceof UpstreamProtocolError && /finishReason/.test(error.message), String(error));
  });

  test('an error event inside the stream is mapped by its code', async () => {
    fake.fault({ rawBody: 'data: {"candidates": [{"content": {"parts": [{"text": "Hi"}]}, "index": 0}]}\r\n\r\ndata: {"error": {"code": 503, "message": "overloaded", "status": "UNAVAILABLE"}}\r\n\r\n' });
    const { error } = await collectFailure(suite.provider().chatStream(ask('Hi'), call()));
    assert.ok(error instanceof UpstreamHttpError && error.retryable, String(error));
  });
});

describe('google provider: vision', () => {
  test('a data-URL image travels as inlineData', async () => {
    await suite.provider().chat({ messages: [{ role: 'user', content: [{ type: 'text', text: 'What is it?' }, { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,/9j/4AAQ' } }] }] }, call());
    assert.deepEqual(lastBody().contents[0].parts, [{ text: 'What is it?' }, { inlineData: { mimeType: 'image/jpeg', data: '/9j/4AAQ' } }]);
  });
  test('an http image URL is refused before any request, naming the param', async () => {
    const request: ChatCompletionRequest = { messages: [{ role: 'system', content: 's' }, { role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.com/a.png' } }] }] };
    await assert.rejects(suite.provider().chat(request, call()), (err: unknown) => err instanceof InvalidRequestError && err.param === 'messages[1].content[0].image_url.url');
    await assert.rejects(collect(suite.provider().chatStream(request, call())), InvalidRequestError);
    assert.equal(fake.requests.length, 0);
  });
});

describe('google provider: embeddings', () => {
  test('an array input is one batchEmbedContents request; floats come back in order', async () => {
    const response = await suite.provider().embed({ input: ['alpha', 'beta', 'gamma'], dimensions: 4 }, call('text-embedding-004'));
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
    const response = await suite.provider().embed({ input: 'solo' }, call('gemini-embedding-001'));
    assert.deepEqual(response.data, [{ object: 'embedding', index: 0, embedding: fakeEmbedding('solo', 8) }]);
    assert.equal(fake.requests.length, 1);
  });
});


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
      await suite.provider().chat(ask('Weather?', { tools: [weatherTool], tool_choice: choice }), call());
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
    const first = await suite.provider().chat(request, call());
    const message = first.choices[0]!.message;
    assert.equal(first.choices[0]!.finish_reason, 'tool_calls');
    assert.deepEqual(message.tool_calls!.map((c) => [c.function.name, JSON.parse(c.function.arguments)]), [['get_weather', { city: 'Paris' }], ['get_weather', { city: 'Rome' }]]);
    assert.ok(message.tool_calls!.every((c) => c.id.startsWith('call_')), 'tool call ids look like call_…');
    const [paris, rome] = message.tool_calls!;
    const second = await suite.provider().chat({
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
    const chunks = await collect(suite.provider().chatStream(ask('?', { tools: [weatherTool] }), call()));
    const deltas = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    assert.deepEqual(deltas.map((d) => [d.index, d.function?.name, d.function?.arguments]), [[0, 'get_weather', '{"city":"Paris"}'], [1, 'get_time', '{"zone":"CET"}']]);
    assert.equal(new Set(deltas.map((d) => d.id)).size, 2);
    assert.equal(chunks.find((c) => c.choices[0]?.finish_reason)!.choices[0]!.finish_reason, 'tool_calls');
  });
});

