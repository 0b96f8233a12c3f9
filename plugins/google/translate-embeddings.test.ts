import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidRequestError, UpstreamProtocolError, type EmbeddingRequest } from '../../core/index.ts';
import { toEmbedConfig, toEmbedContents, toEmbeddingResponse } from './translate-embeddings.ts';

describe('toEmbedContents', () => {
  const cases: Array<[EmbeddingRequest['input'], string[]]> = [
    ['one text', ['one text']],
    [['a', 'b', 'c'], ['a', 'b', 'c']],
  ];
  for (const [input, texts] of cases) {
    it(JSON.stringify(input), () => assert.deepEqual(toEmbedContents({ input }), texts.map((text) => ({ role: 'user', parts: [{ text }] }))));
  }
  const errors: Array<[string, unknown, string]> = [
    ['an empty list', [], 'input'],
    ['token ids', [1, 2, 3], 'input[0]'],
    ['token id arrays', [[1, 2]], 'input[0]'],
    ['an empty text', ['a', ''], 'input[1]'],
    ['a number', 5, 'input'],
  ];
  for (const [name, input, param] of errors) {
    it(`refuses ${name}`, () => assert.throws(() => toEmbedContents({ input } as EmbeddingRequest), (err: unknown) => err instanceof InvalidRequestError && err.param === param));
  }
});

describe('toEmbedConfig', () => {
  it('dimensions → outputDimensionality', () => assert.deepEqual(toEmbedConfig({ input: 'x', dimensions: 256 }), { outputDimensionality: 256 }));
  it('nothing else', () => assert.deepEqual(toEmbedConfig({ input: 'x', encoding_format: 'base64', user: 'u' }), {}));
});

describe('toEmbeddingResponse', () => {
  it('floats in request order', () => {
    assert.deepEqual(toEmbeddingResponse({ embeddings: [{ values: [0.1, 0.2] }, { values: [0.3, 0.4] }] }, 2, 'google', 'google/text-embedding-004'), {
      object: 'list',
      data: [{ object: 'embedding', index: 0, embedding: [0.1, 0.2] }, { object: 'embedding', index: 1, embedding: [0.3, 0.4] }],
      model: 'google/text-embedding-004',
      usage: { prompt_tokens: 0, total_tokens: 0 },
    });
  });
  for (const [name, response] of [['too few', { embeddings: [{ values: [1] }] }], ['none', {}], ['one without values', { embeddings: [{ values: [1] }, {}] }]] as const) {
    it(`refuses ${name}`, () => assert.throws(() => toEmbeddingResponse(response as never, 2, 'google', 'm'), UpstreamProtocolError));
  }
});
