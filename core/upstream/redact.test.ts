import assert from 'node:assert/strict';
import { test } from 'node:test';
import { redactSecrets } from './redact.ts';

const KEY = 'sk-test-abcdefgh-0123456789';
const cases: Array<[string, string, string]> = [
  ['the key itself', `bad key ${KEY}!`, 'bad key [redacted]!'],
  ['a long prefix of the key', 'key sk-test-ab… rejected', 'key [redacted]ab… rejected'],
  ['OpenAI masked echo', 'Incorrect API key provided: sk-ab****cdef. You can find your API key at https://x.', 'Incorrect API key provided: [redacted]. You can find your API key at https://x.'],
  ['long mask', 'key sk-proj-********************Vg0A rejected', 'key [redacted] rejected'],
  ['quoted echo', 'Invalid API Key "gsk_****abcd"', 'Invalid API Key "[redacted]"'],
  ['no secret, no mask', 'The model `gpt-9` does not exist', 'The model `gpt-9` does not exist'],
  ['two stars are markdown, not a mask', 'this is **bold**', 'this is **bold**'],
];
for (const [name, input, expected] of cases) test(name, () => assert.equal(redactSecrets(input, [KEY]), expected));
