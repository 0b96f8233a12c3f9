import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fakeEmbedding } from '../helpers/scripted-reply.ts';
import { ask, contentChunks } from './answer.ts';
import { PNG_BASE64, PNG_DATA_URL, user } from './fixtures.ts';
import type { Conformance } from './suite.ts';

/** Simple chat, parameters, streaming, vision: whole (`stream` false) or streamed. */
export function chatCases(ctx: Conformance, stream: boolean): void {
  test('simple chat: text, finish_reason stop, the scripted usage, the resolved model in body and header', async () => {
    const text = 'Paris is the capital of France.';
    ctx.upstream.fake.reply({ text, usage: { prompt: 11, completion: 7 }, chunkSize: 4 });
    const answer = await ask(ctx.client, { model: ctx.model('chat'), messages: [user('Capital of France?')] }, stream);
    assert.equal(answer.content, text);
    assert.equal(answer.finish, 'stop');
    assert.equal(answer.model, ctx.model('chat'));
    assert.equal(answer.resolvedHeader, ctx.model('chat'));
    assert.deepEqual(
      { prompt: answer.usage?.prompt_tokens, completion: answer.usage?.completion_tokens, total: answer.usage?.total_tokens },
      { prompt: 11, completion: 7, total: 18 },
    );
    if (stream) {
      assert.ok(contentChunks(answer) >= 4, `the text arrived in pieces (${contentChunks(answer)} content chunks)`);
      const last = answer.chunks.at(-1)!;
      assert.ok(last.usage && last.choices.length === 0, `include_usage: the last chunk is a usage chunk: ${JSON.stringify(last)}`);
    }
  });

  test('parameters: temperature, top_p, max_tokens, stop and seed reach the upstream in its own terms', async () => {
    ctx.upstream.fake.reply({ text: 'ok' });
    await ask(
      ctx.client,
      { model: ctx.model('chat'), messages: [user('x')], temperature: 0.3, top_p: 0.85, max_tokens: 77, stop: ['END', '###'], seed: 42 },
      stream,
    );
    const received = ctx.upstream.chatRequests();
    assert.equal(received.length, 1, 'one upstream chat request');
    assert.deepEqual(ctx.entry.received.params(received[0]!.body), { temperature: 0.3, topP: 0.85, maxTokens: 77, stop: ['END', '###'], seed: 42 });
  });

  test('vision: a data: URL PNG reaches the upstream as its image form', async () => {
    ctx.upstream.fake.reply({ text: 'A single pixel.' });
    const answer = await ask(
      ctx.client,
      { model: ctx.model('vision'), messages: [user([{ type: 'text', text: 'What is this?' }, { type: 'image_url', image_url: { url: PNG_DATA_URL } }])] },
      stream,
    );
    assert.equal(answer.content, 'A single pixel.');
    const images = ctx.entry.received.images(ctx.upstream.chatRequests()[0]?.body);
    assert.equal(images.length, 1, `one image reached the upstream: ${JSON.stringify(images)}`);
    assert.equal(images[0]!.base64, PNG_BASE64);
    if (images[0]!.mimeType !== undefined) assert.equal(images[0]!.mimeType, 'image/png');
  });

  test('an answer cut by max_tokens: finish_reason length, the text kept', async () => {
    ctx.upstream.fake.reply({ text: 'The beginning of a long', finish: 'length', usage: { prompt: 5, completion: 6 } });
    const answer = await ask(ctx.client, { model: ctx.model('chat'), messages: [user('Tell a long story.')], max_tokens: 6 }, stream);
    assert.equal(answer.content, 'The beginning of a long');
    assert.equal(answer.finish, 'length');
  });

  if (stream) {
    test('streaming: chunks are passed on as the upstream sends them, not held back until the end', async () => {
      const delayMs = 120;
      ctx.upstream.fake.reply({ text: 'one two three four five six', chunkSize: 4 });
      ctx.upstream.fake.fault({ path: ctx.upstream.chatPath, chunkDelayMs: delayMs, times: 1 });
      const chunks = await ctx.client.chat.completions.create({ model: ctx.model('chat'), messages: [user('count')], stream: true });
      const arrivals: number[] = [];
      let text = '';
      for await (const chunk of chunks) {
        const piece = chunk.choices[0]?.delta.content;
        if (piece) {
          arrivals.push(Date.now());
          text += piece;
        }
      }
      assert.equal(text, 'one two three four five six');
      const spread = arrivals.at(-1)! - arrivals[0]!;
      assert.ok(arrivals.length >= 4 && spread >= delayMs * 3, `${arrivals.length} pieces over ${spread} ms, as the upstream paced them`);
    });

    test('streaming without include_usage: no usage chunk', async () => {
      ctx.upstream.fake.reply({ text: 'Short answer here.', usage: { prompt: 3, completion: 4 } });
      const answer = await ask(ctx.client, { model: ctx.model('chat'), messages: [user('x')] }, true, { includeUsage: false });
      assert.equal(answer.content, 'Short answer here.');
      for (const chunk of answer.chunks) {
        assert.equal(chunk.usage ?? undefined, undefined, `no usage: ${JSON.stringify(chunk)}`);
        assert.ok(chunk.choices.length > 0, `no usage-only chunk: ${JSON.stringify(chunk)}`);
      }
    });
  }
}

/** Embeddings: array input, base64 (the client's default) and float, vectors in input order. */
export function embeddingCases(ctx: Conformance): void {
  const inputs = ['alpha', 'beta gamma', 'the third input'];
  for (const encoding of ['base64 (the client default)', 'float'] as const) {
    test(`embeddings, ${encoding}: the fake's vectors in input order`, async () => {
      const params = { model: ctx.model('embedding'), input: inputs, ...(encoding === 'float' ? { encoding_format: 'float' as const } : {}) };
      const { data, response } = await ctx.client.embeddings.create(params).withResponse();
      assert.equal(data.model, ctx.model('embedding'));
      assert.equal(response.headers.get('x-mana-llm-resolved'), ctx.model('embedding'));
      assert.equal(data.data.length, inputs.length);
      data.data.forEach((item, i) => {
        assert.equal(item.index, i);
        const expected = fakeEmbedding(inputs[i]!);
        assert.equal(item.embedding.length, expected.length, `vector ${i} has the fake's dimensions`);
        item.embedding.forEach((v, j) => assert.ok(Math.abs(v - expected[j]!) < 1e-6, `vector ${i}[${j}]: ${v} ≈ ${expected[j]}`));
      });
      assert.equal(data.usage.prompt_tokens, ctx.entry.embeddingTokens(inputs));
    });
  }
}
