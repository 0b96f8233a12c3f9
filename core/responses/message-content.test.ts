import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { InputContentPart } from '../contracts/responses.ts';
import { chatContent, outputText } from './message-content.ts';

test('message content becomes chat content', () => {
  const text = (t: string): InputContentPart => ({ type: 'input_text', text: t });
  const image = (detail?: 'auto' | 'low' | 'high' | 'original'): InputContentPart => ({ type: 'input_image', image_url: 'data:image/png;base64,AA==', ...(detail ? { detail } : {}) });
  const cases: Array<[string, Parameters<typeof chatContent>[0], string, ReturnType<typeof chatContent>]> = [
    ['a string stays a string', 'hi', 'user', 'hi'],
    ['one input_text is a string', [text('hi')], 'user', 'hi'],
    ['one output_text is a string', [{ type: 'output_text', text: 'done', annotations: [] }], 'assistant', 'done'],
    ['a replayed refusal is text', [{ type: 'refusal', refusal: 'I cannot.' }], 'assistant', 'I cannot.'],
    ['several texts of a system message join', [text('a'), text('b')], 'system', 'a\nb'],
    ['several texts of a user message stay parts', [text('a'), text('b')], 'user', [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }]],
    ['text and an image', [text('what?'), image('low')], 'user', [{ type: 'text', text: 'what?' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AA==', detail: 'low' } }]],
    ['an image without detail', [image()], 'user', [{ type: 'image_url', image_url: { url: 'data:image/png;base64,AA==' } }]],
    ['detail "original" is chat\'s "high"', [image('original')], 'user', [{ type: 'image_url', image_url: { url: 'data:image/png;base64,AA==', detail: 'high' } }]],
    ['no parts is an empty string', [], 'assistant', ''],
  ];
  for (const [what, content, role, expected] of cases) assert.deepEqual(chatContent(content, role), expected, what);
});

test('a function output is a string', () => {
  const cases: Array<[Parameters<typeof outputText>[0], string]> = [
    ['{"temp":15}', '{"temp":15}'],
    [[{ type: 'input_text', text: 'a' }, { type: 'output_text', text: 'b' }], 'a\nb'],
    [[], ''],
  ];
  for (const [output, expected] of cases) assert.equal(outputText(output), expected);
});
