import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { FakeOllama } from '../helpers/fake-ollama.ts';
import { startProfileGateway, startTestGateway, upstreamEnv, type TestGateway } from '../helpers/test-gateway.ts';

// Stored responses: kept unless `store: false`, for their caller only; continued with
// previous_response_id (the whole conversation before the new input); read back and deleted; an
// unknown, deleted or another caller's id is a 404 that names the field, and sends nothing upstream.

const ollama = new FakeOllama();
let gateway: TestGateway;
const alice = () => new OpenAI({ baseURL: gateway.baseURL, apiKey: 'alice-key-0123456789', maxRetries: 0 });
const bob = () => new OpenAI({ baseURL: gateway.baseURL, apiKey: 'bob-key-0123456789', maxRetries: 0 });
const MODEL = 'ollama/gemma3:4b';

before(async () => {
  await ollama.start();
  gateway = await startTestGateway({ ...upstreamEnv({ ollama }), API_KEYS: 'alice-key-0123456789,bob-key-0123456789' }, { captureLog: true });
});
after(async () => {
  await gateway.close();
  await ollama.stop();
});

const chatCalls = () => ollama.requestsTo('/api/chat').length;
const lastMessages = () => (ollama.requestsTo('/api/chat').at(-1)!.body as { messages: Array<{ role: string; content: string }> }).messages.map((m) => [m.role, m.content]);

async function notFound(promise: Promise<unknown>, param: string | null): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof OpenAI.NotFoundError, `404: ${String(err)}`);
    assert.equal(err.code, 'model_not_found');
    assert.equal(err.param, param);
    return true;
  });
}

describe('stored responses', () => {
  test('a conversation of three turns: each continues the whole stored conversation before it', async () => {
    ollama.reply((body: { messages: unknown[] }) => ({ text: `answer ${body.messages.length}` }));
    const first = await alice().responses.create({ model: MODEL, instructions: 'Be brief.', input: 'one' });
    const second = await alice().responses.create({ model: MODEL, previous_response_id: first.id, input: 'two' });
    await alice().responses.create({ model: MODEL, previous_response_id: second.id, input: 'three' });
    // The instructions belong to their own turn only (as OpenAI has it); the rest is the whole conversation.
    assert.deepEqual(lastMessages(), [
      ['user', 'one'],
      ['assistant', 'answer 2'],
      ['user', 'two'],
      ['assistant', 'answer 3'],
      ['user', 'three'],
    ]);
  });

  test('read back and deleted by its caller; afterwards a 404, and no continuation', async () => {
    ollama.reply({ text: 'kept' });
    const made = await alice().responses.create({ model: MODEL, input: 'keep this' });
    const read = await alice().responses.retrieve(made.id);
    assert.equal(read.id, made.id);
    assert.equal(read.output_text, 'kept');
    await alice().responses.delete(made.id);
    await notFound(alice().responses.retrieve(made.id), null);
    const before = chatCalls();
    await notFound(alice().responses.create({ model: MODEL, previous_response_id: made.id, input: 'more' }), 'previous_response_id');
    assert.equal(chatCalls(), before, 'nothing went upstream');
  });

  test("another caller's response is not there for it: not readable, not deletable, not continuable", async () => {
    ollama.reply({ text: "alice's" });
    const made = await alice().responses.create({ model: MODEL, input: 'mine' });
    await notFound(bob().responses.retrieve(made.id), null);
    await notFound(bob().responses.delete(made.id), null);
    const before = chatCalls();
    await notFound(bob().responses.create({ model: MODEL, previous_response_id: made.id, input: 'steal' }), 'previous_response_id');
    assert.equal(chatCalls(), before, 'nothing went upstream');
    assert.equal((await alice().responses.retrieve(made.id)).id, made.id, 'it is still there for alice');
  });

  test('store: false keeps nothing; an unknown id is a 404 naming previous_response_id', async () => {
    ollama.reply({ text: 'forgotten' });
    const made = await alice().responses.create({ model: MODEL, input: 'do not keep', store: false });
    assert.equal((made as unknown as { store: boolean }).store, false);
    await notFound(alice().responses.retrieve(made.id), null);
    await notFound(alice().responses.create({ model: MODEL, previous_response_id: 'resp_00000000000000000000000000000000', input: 'x' }), 'previous_response_id');
  });

  test('a streamed response is stored too, and the request log names the route', async () => {
    ollama.reply({ text: 'streamed and kept' });
    const stream = alice().responses.stream({ model: MODEL, input: 'stream it' });
    const final = await stream.finalResponse();
    const read = await alice().responses.retrieve(final.id);
    assert.equal(read.status, 'completed');
    const line = gateway.logLines.find((l) => l.component === 'request' && l.route === 'responses' && l.stream === true);
    assert.ok(line, 'a request line with route responses');
    assert.equal(line!.resolved, MODEL);
    assert.equal(line!.status, 200);
  });
});

describe('stored responses without a store', () => {
  test('RESPONSE_STORE_TTL=0: answered, never stored', async () => {
    const unstored = await startTestGateway({ ...upstreamEnv({ ollama }), RESPONSE_STORE_TTL: '0' });
    try {
      ollama.reply({ text: 'ok' });
      const client = new OpenAI({ baseURL: unstored.baseURL, apiKey: 'x', maxRetries: 0 });
      const made = await client.responses.create({ model: MODEL, input: 'x' });
      await notFound(client.responses.retrieve(made.id), null);
    } finally {
      await unstored.close();
    }
  });
});

describe('the response cache', () => {
  test('the same Responses request again is answered from the cache, whole and streamed', async () => {
    const cached = await startProfileGateway(
      'routing:\n  unprefixedProvider: ollama\nplugins:\n  - use: ${PLUGINS}/ollama\n    name: ollama\n    options: { baseUrl: "${OLLAMA_URL}" }\n  - use: ${PLUGINS}/memory-cache\n',
      { OLLAMA_URL: ollama.url },
    );
    try {
      ollama.reply({ text: 'worth caching' });
      const client = new OpenAI({ baseURL: cached.baseURL, apiKey: 'x', maxRetries: 0 });
      const before = chatCalls();
      const first = await client.responses.create({ model: MODEL, input: 'cache me' }).withResponse();
      assert.equal(first.response.headers.get('x-mana-llm-cache'), 'miss');
      await new Promise((resolve) => setTimeout(resolve, 50)); // the store happens after the answer is on its way
      const again = await client.responses.create({ model: MODEL, input: 'cache me' }).withResponse();
      assert.equal(again.response.headers.get('x-mana-llm-cache'), 'hit');
      assert.equal(again.data.output_text, 'worth caching');
      assert.notEqual(again.data.id, first.data.id, 'a new response, not the old one replayed');
      const streamed = client.responses.stream({ model: MODEL, input: 'cache me' });
      assert.equal((await streamed.finalResponse()).output[0]?.type, 'message');
      assert.equal(chatCalls(), before + 1, 'the upstream answered once');
    } finally {
      await cached.close();
    }
  });
});
