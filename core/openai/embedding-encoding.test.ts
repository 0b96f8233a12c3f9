import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EmbeddingResponse } from '../contracts/openai.ts';
import { base64ToFloats, encodeEmbeddings, floatsToBase64 } from './embedding-encoding.ts';

const floats = [0.5, -1.25, 3, 0];
const response = (embedding: number[] | string): EmbeddingResponse => ({
  object: 'list',
  model: 'm',
  usage: { prompt_tokens: 1, total_tokens: 1 },
  data: [{ object: 'embedding', index: 0, embedding }],
});

test('float32 little-endian base64 round-trips exactly for representable values', () => {
  assert.equal(floatsToBase64(floats), 'AAAAPwAAoL8AAEBAAAAAAA==');
  assert.deepEqual(base64ToFloats(floatsToBase64(floats)), floats);
});

const cases: Array<[string, number[] | string, 'float' | 'base64', number[] | string]> = [
  ['floats for a base64 caller', floats, 'base64', 'AAAAPwAAoL8AAEBAAAAAAA=='],
  ['base64 for a float caller', 'AAAAPwAAoL8AAEBAAAAAAA==', 'float', floats],
  ['floats for a float caller stay', floats, 'float', floats],
  ['base64 for a base64 caller stays', 'AAAAPwAAoL8AAEBAAAAAAA==', 'base64', 'AAAAPwAAoL8AAEBAAAAAAA=='],
];
for (const [what, given, format, expected] of cases) {
  test(what, () => assert.deepEqual(encodeEmbeddings(response(given), format).data[0]!.embedding, expected));
}
