import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rewriteModelField } from './model-field.ts';

const to = JSON.stringify('groq/llama-3.1-8b-instant');

const cases: Array<{ name: string; input: string; expected: unknown }> = [
  {
    name: 'plain chunk',
    input: '{"id":"c1","object":"chat.completion.chunk","model":"llama-3.1-8b-instant","choices":[]}',
    expected: { id: 'c1', object: 'chat.completion.chunk', model: 'groq/llama-3.1-8b-instant', choices: [] },
  },
  {
    name: 'whitespace around the colon',
    input: '{ "model" :  "x" , "choices": [] }',
    expected: { model: 'groq/llama-3.1-8b-instant', choices: [] },
  },
  {
    name: 'escaped quotes in the model value',
    input: '{"model":"we\\"ird\\\\","choices":[]}',
    expected: { model: 'groq/llama-3.1-8b-instant', choices: [] },
  },
  {
    name: '"model" inside content text before the real key',
    input: '{"id":"a","choices":[{"delta":{"content":"say \\"model\\":\\"evil\\" now"}}],"model":"real"}',
    expected: { id: 'a', choices: [{ delta: { content: 'say "model":"evil" now' } }], model: 'groq/llama-3.1-8b-instant' },
  },
  {
    name: 'content ending in a backslash before the key',
    input: '{"c":"path\\\\","model":"m"}',
    expected: { c: 'path\\', model: 'groq/llama-3.1-8b-instant' },
  },
  {
    name: 'a nested object with its own model key',
    input: '{"meta":{"model":"inner"},"model":"outer"}',
    expected: { meta: { model: 'inner' }, model: 'groq/llama-3.1-8b-instant' },
  },
  {
    name: 'the word model as a value',
    input: '{"role":"model","model":"m"}',
    expected: { role: 'model', model: 'groq/llama-3.1-8b-instant' },
  },
  { name: 'no model field', input: '{"id":"a","choices":[]}', expected: undefined },
  { name: 'model only nested', input: '{"x":{"model":"inner"}}', expected: undefined },
  { name: 'model is not a string', input: '{"model":null,"choices":[]}', expected: undefined },
  { name: 'not an object', input: '[{"model":"m"}]', expected: undefined },
  { name: 'not JSON', input: 'OPENROUTER PROCESSING', expected: undefined },
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
