import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { InvalidRequestError, UpstreamProtocolError, type EmbeddingRequest } from '../../core/index.ts';
import { fromOllamaEmbed, toOllamaEmbedRequest } from './translate-embeddings.ts';

describe('toOllamaEmbedRequest', () => {
  const cases: Array<{ name: string; in: EmbeddingRequest; keepAlive?: string; out: object }> = [
    { name: 'string', in: { input: 'a' }, out: { model: 'm', input: 'a' } },
    { name: 'array', in: { input: ['a', 'b'] }, out: { model: 'm', input: ['a', 'b'] } },
    { name: 'dimensions', in: { input: 'a', dimensions: 256 }, out: { model: 'm', input: 'a', dimensions: 256 } },
    { name: 'keep_alive', in: { input: 'a' }, keepAlive: '1h', out: { model: 'm', input: 'a', keep_alive: '1h' } },
  ];
  for (const c of cases) test(c.name, () => assert.deepEqual(toOllamaEmbedRequest(c.in, 'm', c.keepAlive), c.out));

  const invalid: Array<[string, EmbeddingRequest['input'], string]> = [
    ['token ids', [1, 2, 3], 'input[0]'],
    ['arrays of token ids', [[1, 2]], 'input[0]'],
    ['a number among strings', ['a', 3 as never], 'input[1]'],
    ['no input', undefined as never, 'input'],
  ];
  for (const [name, input, param] of invalid) {
    test(`rejects ${name}`, () => {
      assert.throws(() => toOllamaEmbedRequest({ input }, 'm'), (err: unknown) => err instanceof InvalidRequestError && err.param === param);
    });
  }
});

describe('fromOllamaEmbed', () => {
  test('floats in order with usage', () => {
    assert.deepEqual(fromOllamaEmbed({ embeddings: [[0.1, 0.2], [0.3, 0.4]], prompt_eval_count: 7 }, 2, 'ollama/nomic-embed-text', 'ollama'), {
      object: 'list',
      data: [
        { object: 'embedding', index: 0, embedding: [0.1, 0.2] },
        { object: 'embedding', index: 1, embedding: [0.3, 0.4] },
      ],
      model: 'ollama/nomic-embed-text',
      usage: { prompt_tokens: 7, total_tokens: 7 },
    });
  });
  test('missing prompt_eval_count → 0', () => assert.deepEqual(fromOllamaEmbed({ embeddings: [[1]] }, 1, 'm', 'o').usage, { prompt_tokens: 0, total_tokens: 0 }));
  for (const [name, body] of [['no embeddings', {}], ['wrong count', { embeddings: [[1]] }], ['not numbers', { embeddings: [['a'], [1]] }], ['not an object', 'x']] as const) {
    test(`${name} → UpstreamProtocolError`, () => assert.throws(() => fromOllamaEmbed(body, 2, 'm', 'o'), UpstreamProtocolError));
  }
});
