import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { FakeOllama } from '../helpers/fake-ollama.ts';
import { FakeOpenAI } from '../helpers/fake-openai.ts';
import { fakeEmbedding } from '../helpers/scripted-reply.ts';
import { aliasFile, startTestGateway, upstreamEnv, type TestGateway } from '../helpers/test-gateway.ts';

// The official `openai` client, unchanged, against the gateway in front of an Ollama fake and an
// OpenAI-compatible fake (the `groq` instance of the default profile).

const ollama = new FakeOllama();
const groq = new FakeOpenAI();
let gateway: TestGateway;
let client: OpenAI;

before(async () => {
  await ollama.start();
  await groq.start();
  groq.models = ['llama-3.1-8b-instant', 'nomic-embed'];
  gateway = await startTestGateway({
    ...upstreamEnv({ ollama, groq }),
    ALIASES_PATH: aliasFile('default: mana/fast\naliases:\n  mana/fast:\n    description: fast\n    chain: [ollama/gemma3:4b, groq/llama-3.1-8b-instant]\n'),
  });
  client = new OpenAI({ baseURL: gateway.baseURL, apiKey: 'not-needed', maxRetries: 0 });
});

after(async () => {
  await gateway?.close();
  await ollama.stop();
  await groq.stop();
});

const providers = [
  { name: 'ollama', model: 'gemma3:4b', resolved: 'ollama/gemma3:4b', fake: () => ollama },
  { name: 'groq (openai-compat)', model: 'groq/llama-3.1-8b-instant', resolved: 'groq/llama-3.1-8b-instant', fake: () => groq },
];

for (const provider of providers) {
  describe(`openai client → ${provider.name}`, () => {
    test('chat: the answer, its usage and the model that answered', async () => {
      provider.fake().reply({ text: 'Paris is the capital.', usage: { prompt: 11, completion: 5 } });
      const { data, response } = await client.chat.completions
        .create({ model: provider.model, messages: [{ role: 'user', content: 'Capital of France?' }], temperature: 0.2, max_tokens: 50 })
        .withResponse();
      assert.equal(data.choices[0]!.message.content, 'Paris is the capital.');
      assert.equal(data.choices[0]!.finish_reason, 'stop');
      assert.equal(data.model, provider.resolved);
      assert.equal(response.headers.get('x-mana-llm-resolved'), provider.resolved);
      assert.ok(response.headers.get('x-request-id'), 'the response has an x-request-id header');
      assert.deepEqual(
        { p: data.usage?.prompt_tokens, c: data.usage?.completion_tokens, t: data.usage?.total_tokens },
        { p: 11, c: 5, t: 16 },
      );
    });

    test('stream: chunks in order, every chunk names the resolved model, usage when asked', async () => {
      provider.fake().reply({ text: 'One two three four five.', usage: { prompt: 4, completion: 6 }, chunkSize: 3 });
      const stream = await client.chat.completions.create({
        model: provider.model,
        messages: [{ role: 'user', content: 'Count' }],
        stream: true,
        stream_options: { include_usage: true },
      });
      let text = '';
      let finish: string | null = null;
      let usage: OpenAI.CompletionUsage | undefined | null;
      let chunks = 0;
      for await (const chunk of stream) {
        chunks += 1;
        assert.equal(chunk.model, provider.resolved);
        text += chunk.choices[0]?.delta.content ?? '';
        finish = chunk.choices[0]?.finish_reason ?? finish;
        if (chunk.usage) usage = chunk.usage;
      }
      assert.equal(text, 'One two three four five.');
      assert.equal(finish, 'stop');
      assert.ok(chunks >= 8, `arrived in pieces (${chunks} chunks)`);
      assert.equal(usage?.prompt_tokens, 4);
      assert.equal(usage?.completion_tokens, 6);
    });

    test('stream without include_usage carries no usage chunk', async () => {
      provider.fake().reply({ text: 'Short.', usage: { prompt: 1, completion: 1 } });
      const stream = await client.chat.completions.create({ model: provider.model, messages: [{ role: 'user', content: 'x' }], stream: true });
      for await (const chunk of stream) {
        assert.equal(chunk.usage ?? undefined, undefined);
        assert.ok(chunk.choices.length > 0, 'no empty usage-only chunk');
      }
    });
  });
}

describe('embeddings through the openai client', () => {
  test('ollama: the client default (base64) decodes to the upstream floats, in input order', async () => {
    const result = await client.embeddings.create({ model: 'ollama/nomic-embed-text', input: ['alpha', 'beta'] });
    assert.equal(result.model, 'ollama/nomic-embed-text');
    assert.equal(result.data.length, 2);
    result.data.forEach((item, i) => {
      const expected = fakeEmbedding(['alpha', 'beta'][i]!);
      item.embedding.forEach((v, j) => assert.ok(Math.abs(v - expected[j]!) < 1e-6, 'the embedding matches the upstream floats'));
    });
  });

  test('groq: float encoding when asked, for a single string', async () => {
    const result = await client.embeddings.create({ model: 'groq/nomic-embed', input: 'alpha', encoding_format: 'float' });
    assert.equal(result.data.length, 1);
    assert.equal(result.model, 'groq/nomic-embed');
    result.data[0]!.embedding.forEach((v, j) => assert.ok(Math.abs(v - fakeEmbedding('alpha')[j]!) < 1e-6, 'the embedding matches the upstream floats'));
  });
});

describe('models through the openai client', () => {
  test('the list holds every provider model as provider/model, and the aliases', async () => {
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    for (const id of ['ollama/gemma3:4b', 'ollama/llama3.1:8b', 'groq/llama-3.1-8b-instant', 'mana/fast']) assert.ok(ids.includes(id), `${id} listed`);
  });

  test('retrieve takes ids with slashes and colons', async () => {
    assert.equal((await client.models.retrieve('groq/llama-3.1-8b-instant')).id, 'groq/llama-3.1-8b-instant');
    assert.equal((await client.models.retrieve('ollama/gemma3:4b')).id, 'ollama/gemma3:4b');
    assert.equal((await client.models.retrieve('mana/fast')).id, 'mana/fast');
    await assert.rejects(client.models.retrieve('groq/nope'), OpenAI.NotFoundError);
  });
});

test('model ids with %2F, a literal % or broken percent-encoding are looked up, never a 500', async () => {
  const status = async (path: string) => (await fetch(`${gateway.baseURL}/models/${path}`)).status;
  assert.equal(await status('groq%2Fllama-3.1-8b-instant'), 200);
  assert.equal(await status('%E0%A4%A'), 404);
  assert.equal(await status('%25'), 404);
});

describe('bad requests get 4xx envelopes the client understands', () => {
  test('an invalid field is a 400 that names it', async () => {
    await assert.rejects(
      client.chat.completions.create({ model: 'gemma3:4b', messages: [{ role: 'user', content: 'x' }], temperature: 9 }),
      (err: unknown) => {
        assert.ok(err instanceof OpenAI.BadRequestError, `a BadRequestError (got ${String(err)})`);
        assert.equal(err.status, 400);
        assert.equal(err.code, 'invalid_request');
        assert.equal(err.param, 'temperature');
        assert.match(err.message, /from 0 to 2/);
        return true;
      },
    );
  });

  test('an unknown alias is a 404 model_not_found', async () => {
    await assert.rejects(client.chat.completions.create({ model: 'mana/nope', messages: [{ role: 'user', content: 'x' }] }), (err: unknown) => {
      assert.ok(err instanceof OpenAI.NotFoundError, `a NotFoundError (got ${String(err)})`);
      assert.equal(err.code, 'model_not_found');
      return true;
    });
  });

  test('a model the provider does not know is a 404 with the provider message', async () => {
    ollama.fault({ path: '/api/chat', status: 404, message: "model 'ghost:1b' not found", times: 1 });
    await assert.rejects(client.chat.completions.create({ model: 'ghost:1b', messages: [{ role: 'user', content: 'x' }] }), (err: unknown) => {
      assert.ok(err instanceof OpenAI.NotFoundError, `a NotFoundError (got ${String(err)})`);
      assert.match(err.message, /ghost:1b/);
      return true;
    });
  });

  test('a request without model uses the alias file default', async () => {
    ollama.reply({ text: 'default answer' });
    const { data, response } = await client.chat.completions.create({ messages: [{ role: 'user', content: 'x' }] } as never).withResponse();
    assert.equal((data as OpenAI.ChatCompletion).choices[0]!.message.content, 'default answer');
    assert.equal(response.headers.get('x-mana-llm-resolved'), 'ollama/gemma3:4b');
  });
});
