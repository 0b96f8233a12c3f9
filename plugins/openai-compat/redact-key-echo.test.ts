import assert from 'node:assert/strict';
import { test } from 'node:test';
import { redactMaskedKeys } from './redact-key-echo.ts';

const cases: Array<[string, string, string]> = [
  ['OpenAI masked echo', 'Incorrect API key provided: sk-ab****cdef. You can find your API key at https://x.', 'Incorrect API key provided: [redacted]. You can find your API key at https://x.'],
  ['long mask', 'key sk-proj-********************Vg0A rejected', 'key [redacted] rejected'],
  ['quoted echo', 'Invalid API Key "gsk_****abcd"', 'Invalid API Key "[redacted]"'],
  ['no mask', 'The model `gpt-9` does not exist', 'The model `gpt-9` does not exist'],
  ['two stars are markdown, not a mask', 'this is **bold**', 'this is **bold**'],
];

for (const [name, input, expected] of cases) {
  test(`redactMaskedKeys: ${name}`, () => assert.equal(redactMaskedKeys(input), expected));
}
