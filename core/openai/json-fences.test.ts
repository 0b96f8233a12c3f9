import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { JsonFenceStripper, stripJsonFences } from './json-fences.ts';

const cases: Array<[string, string, string]> = [
  ['bare JSON stays', '{"a": 1}', '{"a": 1}'],
  ['a json fence', '```json\n{"a": 1}\n```', '{"a": 1}'],
  ['a plain fence', '```\n{"a": 1}\n```', '{"a": 1}'],
  ['whitespace around the fence', '  \n```json\n{"a": 1}\n```\n ', '{"a": 1}'],
  ['CRLF lines', '```json\r\n{"a": 1}\r\n```', '{"a": 1}'],
  ['a multi-line body', '```json\n{\n  "a": [1, 2]\n}\n```', '{\n  "a": [1, 2]\n}'],
  ['backticks inside a string are kept', '{"code": "```x```"}', '{"code": "```x```"}'],
  ['prose before a fence is not touched', 'Here:\n```json\n{}\n```', 'Here:\n```json\n{}\n```'],
  ['an unclosed fence is not touched', '```json\n{"a": 1}', '```json\n{"a": 1}'],
];

describe('stripJsonFences', () => {
  for (const [what, input, expected] of cases) test(what, () => assert.equal(stripJsonFences(input), expected));
});

/** Feeds `text` in pieces of every size from 1 to 7 and checks the stream gives the whole-text answer. */
function streamed(text: string, size: number): string {
  const stripper = new JsonFenceStripper();
  let out = '';
  for (let i = 0; i < text.length; i += size) out += stripper.push(text.slice(i, i + size));
  return out + stripper.end();
}

describe('JsonFenceStripper gives the same answer as the whole-text function, for every piece size', () => {
  const streamCases = cases.filter(([what]) => what !== 'an unclosed fence is not touched');
  for (const [what, input, expected] of streamCases) {
    test(what, () => {
      for (let size = 1; size <= 7; size++) assert.equal(streamed(input, size), expected, `piece size ${size}`);
    });
  }

  test('an unclosed fence loses only its opening line in a stream (it cannot be taken back once sent)', () => {
    assert.equal(streamed('```json\n{"a": 1}', 3), '{"a": 1}');
  });

  test('bare JSON is passed through without delay once it is clearly not a fence', () => {
    const stripper = new JsonFenceStripper();
    assert.equal(stripper.push('{"a"'), '{"a"');
    assert.equal(stripper.push(': 1}'), ': 1}');
  });
});
