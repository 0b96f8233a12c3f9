import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rewriteModelField, serializedChunk } from './model-field.ts';

const to = JSON.stringify('acme/some-model');

const cases: Array<{ name: string; input: string; expected: unknown }> = [
  {
    name: 'plain chunk',
    input: '{"id":"c1","object":"chat.completion.chunk","model":"llama-3.1-8b-instant","choices":[]}',
    expected: { id: 'c1', object: 'chat.completion.chunk', model: 'acme/some-model', choices: [] },
  },
  {
    name: 'whitespace around the colon',
    input: '{ "model" :  "x" , "choices": [] }',
    expected: { model: 'acme/some-model', choices: [] },
  },
  {
    name: 'escaped quotes in the model value',
    input: '{"model":"we\\"ird\\\\","choices":[]}',
    expected: { model: 'acme/some-model', choices: [] },
  },
  {
    name: '"model" inside content text before the real key',
    input: '{"id":"a","choices":[{"delta":{"content":"say \\"model\\":\\"evil\\" now"}}],"model":"real"}',
    expected: { id: 'a', choices: [{ delta: { content: 'say "model":"evil" now' } }], model: 'acme/some-model' },
  },
  {
    name: 'content ending in a backslash before the key',
    input: '{"c":"path\\\\","model":"m"}',
    expected: { c: 'path\\', model: 'acme/some-model' },
  },
  {
    name: 'a nested object with its own model key',
    input: '{"meta":{"model":"inner"},"model":"outer"}',
    expected: { meta: { model: 'inner' }, model: 'acme/some-model' },
  },
  {
    name: 'the word model as a value',
    input: '{"role":"model","model":"m"}',
    expected: { role: 'model', model: 'acme/some-model' },
  },
  { name: 'no model field', input: '{"id":"a","choices":[]}', expected: undefined },
  { name: 'model only nested', input: '{"x":{"model":"inner"}}', expected: undefined },
  { name: 'model is not a string', input: '{"model":null,"choices":[]}', expected: undefined },
  { name: 'not an object', input: '[{"model":"m"}]', expected: undefined },
  { name: 'not JSON', input: 'PROCESSING', expected: undefined },
  { name: 'unterminated string', input: '{"model":"abc', expected: undefined },
];

for (const c of cases) {
  test(`rewriteModelField: ${c.name}`, () => {
    const out = rewriteModelField(c.input, to);
    if (c.expected === undefined) assert.equal(out, undefined);
    else {
      assert.ok(out !== undefined, 'expected a rewrite');
      assert.deepEqual(JSON.parse(out), c.expected);
    }
  });
}

test('rewriteModelField keeps every other byte as it was', () => {
  const input = '{"id":"x","created":1,"model":"m","choices":[{"delta":{"content":"é 😀"}}]}';
  assert.equal(rewriteModelField(input, '"p/q"'), input.replace('"m"', '"p/q"'));
});

test('serializedChunk carries the rewritten text, or nothing for text that is not a chunk object', () => {
  const input = '{"id":"x","model":"m","choices":[]}';
  assert.deepEqual(serializedChunk(input, to), { serialized: '{"id":"x","model":"acme/some-model","choices":[]}' });
  assert.equal(serializedChunk('[1]', to), undefined);
  assert.equal(serializedChunk('{"id":"x","choices":[]}', to), undefined);
});
