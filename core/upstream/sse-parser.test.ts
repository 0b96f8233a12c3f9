import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LineSplitter } from './line-splitter.ts';
import { NdjsonParser } from './ndjson-parser.ts';
import { SseParser, type SseEvent } from './sse-parser.ts';

// The stream parsers are fed whatever chunks the socket gives: an event or a character may be split
// anywhere, and what comes out must not depend on where.

const bytes = (text: string) => new TextEncoder().encode(text);

/** Feeds `text` cut at every given offset, and once more as a whole. */
function feedings(text: string, cuts: number[]): Uint8Array[][] {
  const pieces: Uint8Array[] = [];
  let at = 0;
  const all = bytes(text);
  for (const cut of [...cuts, all.length]) {
    pieces.push(all.subarray(at, cut));
    at = cut;
  }
  return [pieces, [bytes(text)]];
}

const sseCases: Array<[string, string, number[], SseEvent[]]> = [
  ['two events', 'data: {"a":1}\n\ndata: [DONE]\n\n', [3, 15], [{ data: '{"a":1}' }, { data: '[DONE]' }]],
  ['CRLF line ends', 'data: x\r\n\r\ndata: y\r\n\r\n', [8, 9], [{ data: 'x' }, { data: 'y' }]],
  ['comments are dropped', ': keep-alive\n\n: OPENROUTER PROCESSING\n\ndata: z\n\n', [5], [{ data: 'z' }]],
  ['multi-line data and an event name', 'event: error\ndata: one\ndata: two\n\n', [14], [{ event: 'error', data: 'one\ntwo' }]],
  ['three data lines, one of them empty', 'data: a\ndata:\ndata: c\n\ndata: next\n\n', [5, 17], [{ data: 'a\n\nc' }, { data: 'next' }]],
  ['an empty data line alone is an event with empty data', 'data:\n\n', [3], [{ data: '' }]],
  ['no space after the colon; id and retry ignored', 'id: 7\nretry: 10\ndata:tight\n\n', [2], [{ data: 'tight' }]],
  ['a cut event still counts for what it completed', 'data: whole\n\ndata: cut', [4], [{ data: 'whole' }, { data: 'cut' }]],
  ['a multi-byte character split across chunks', 'data: é€😀\n\n', [7, 9, 12], [{ data: 'é€😀' }]],
  ['a byte-order mark opening the stream is dropped, even split', '\ufeffdata: first\n\n', [1, 2], [{ data: 'first' }]],
  ['a byte-order mark later on is text', 'data: a\ufeffb\n\n', [8], [{ data: 'a\ufeffb' }]],
];
for (const [what, text, cuts, expected] of sseCases) {
  test(`SSE: ${what}`, () => {
    for (const pieces of feedings(text, cuts)) {
      const parser = new SseParser();
      const events = [...pieces.flatMap((p) => parser.feed(p)), ...parser.end()];
      assert.deepEqual(events, expected);
    }
  });
}

test('NDJSON: values per line, blank lines skipped, a line that is not JSON is a protocol error', () => {
  const parser = new NdjsonParser('acme');
  assert.deepEqual([...parser.feed(bytes('{"n":1}\n\n{"n"')), ...parser.feed(bytes(':2}\n{"n":3}')), ...parser.end()], [{ n: 1 }, { n: 2 }, { n: 3 }]);
  const seen: unknown[] = [];
  assert.throws(
    () => {
      for (const value of new NdjsonParser('acme').feed(bytes('{"n":1}\nnot json\n{"n":2}\n'))) seen.push(value);
    },
    (err: unknown) => (err as { code?: string }).code === 'upstream_error' && /acme: the stream sent a line that is not JSON/.test((err as Error).message),
  );
  assert.deepEqual(seen, [{ n: 1 }], 'what came before the bad line, and nothing after it');
});

test('lines: a character cut by the end of the stream comes out as a replacement character', () => {
  const lines = new LineSplitter();
  const cut = bytes('data: é').subarray(0, 7); // the first of é's two bytes
  assert.deepEqual(lines.feed(cut), []);
  assert.deepEqual(lines.end(), ['data: \ufffd']);
});

test('lines: a last line without a newline comes out at the end, without its CR', () => {
  const lines = new LineSplitter();
  assert.deepEqual(lines.feed('a\nb'), ['a']);
  assert.deepEqual(lines.feed('c\r'), []);
  assert.deepEqual(lines.end(), ['bc']);
  assert.deepEqual(lines.end(), [], 'nothing twice');
});
