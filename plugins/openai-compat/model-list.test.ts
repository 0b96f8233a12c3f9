import assert from 'node:assert/strict';
import { test } from 'node:test';
import { modelInfosFromIds, modelInfosFromList } from './model-list.ts';

const cases: Array<{ name: string; body: unknown; expected: unknown }> = [
  {
    name: 'OpenAI list',
    body: { object: 'list', data: [{ id: 'gpt-4o-mini', object: 'model', created: 1721172741, owned_by: 'system' }] },
    expected: [{ id: 'gpt-4o-mini', object: 'model', created: 1721172741, owned_by: 'system' }],
  },
  {
    name: 'OpenRouter entries with extra fields and slashes in ids',
    body: { data: [{ id: 'meta-llama/llama-3.1-8b-instruct', name: 'Llama', created: 5, pricing: { prompt: '0' }, context_length: 131072 }] },
    expected: [{ id: 'meta-llama/llama-3.1-8b-instruct', object: 'model', created: 5, owned_by: 'groq' }],
  },
  {
    name: 'entries without id are skipped',
    body: { data: [{ object: 'model' }, null, 'x', { id: 'ok' }] },
    expected: [{ id: 'ok', object: 'model', created: 0, owned_by: 'groq' }],
  },
  { name: 'empty list', body: { data: [] }, expected: [] },
  { name: 'no data', body: { models: [] }, expected: undefined },
  { name: 'not an object', body: 'Not Found', expected: undefined },
];

for (const c of cases) {
  test(`modelInfosFromList: ${c.name}`, () => assert.deepEqual(modelInfosFromList(c.body, 'groq'), c.expected));
}

test('modelInfosFromIds', () => {
  assert.deepEqual(modelInfosFromIds(['a', 'b/c'], 'together'), [
    { id: 'a', object: 'model', created: 0, owned_by: 'together' },
    { id: 'b/c', object: 'model', created: 0, owned_by: 'together' },
  ]);
});
