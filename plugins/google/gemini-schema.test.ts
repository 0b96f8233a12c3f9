import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidRequestError } from '../../core/index.ts';
import { toGeminiSchema } from './gemini-schema.ts';

describe('toGeminiSchema', () => {
  const cases: Array<{ name: string; input: Record<string, unknown>; expected: Record<string, unknown> }> = [
    {
      name: 'keeps the documented keywords, drops $schema and the rest',
      input: {
        $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object', title: 'T', description: 'd',
        properties: { a: { type: 'string', pattern: '^x', default: 'x', format: 'date-time', minLength: 1 } },
        required: ['a'], additionalProperties: false, examples: [{}],
      },
      expected: { type: 'object', title: 'T', description: 'd', properties: { a: { type: 'string', format: 'date-time' } }, required: ['a'], additionalProperties: false },
    },
    {
      name: 'recurses into items, prefixItems, anyOf and additionalProperties',
      input: {
        type: 'array', minItems: 1, maxItems: 3, uniqueItems: true,
        items: { anyOf: [{ type: 'string', $comment: 'x' }, { type: 'null' }] },
        prefixItems: [{ type: 'integer', minimum: 0, maximum: 9, multipleOf: 3 }],
        additionalProperties: { type: 'number', exclusiveMinimum: 0 },
      },
      expected: {
        type: 'array', minItems: 1, maxItems: 3,
        items: { anyOf: [{ type: 'string' }, { type: 'null' }] },
        prefixItems: [{ type: 'integer', minimum: 0, maximum: 9 }],
        additionalProperties: { type: 'number' },
      },
    },
    {
      name: 'oneOf becomes anyOf, const becomes a one-value enum',
      input: { oneOf: [{ const: 'a' }, { type: 'string', enum: ['b', 'c'] }] },
      expected: { anyOf: [{ enum: ['a'] }, { type: 'string', enum: ['b', 'c'] }] },
    },
    {
      name: 'definitions become $defs and their references follow',
      input: { type: 'object', properties: { n: { $ref: '#/definitions/Node' } }, definitions: { Node: { type: 'object', properties: { next: { $ref: '#/definitions/Node' } } } } },
      expected: { type: 'object', properties: { n: { $ref: '#/$defs/Node' } }, $defs: { Node: { type: 'object', properties: { next: { $ref: '#/$defs/Node' } } } } },
    },
    {
      name: 'allOf is folded into its parent (properties merged, required joined)',
      input: { allOf: [{ type: 'object', properties: { a: { type: 'string' } }, required: ['a'] }, { properties: { b: { type: 'integer' } }, required: ['b', 'a'] }], description: 'x' },
      expected: { description: 'x', type: 'object', properties: { a: { type: 'string' }, b: { type: 'integer' } }, required: ['a', 'b'] },
    },
    {
      name: 'a property named like a keyword is still a property',
      input: { type: 'object', properties: { default: { type: 'string' }, $ref: { type: 'string' } } },
      expected: { type: 'object', properties: { default: { type: 'string' }, $ref: { type: 'string' } } },
    },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(toGeminiSchema(c.input, 'p'), c.expected));
  }

  const errors: Array<{ name: string; input: unknown; param: string }> = [
    { name: 'a remote $ref', input: { type: 'object', properties: { a: { $ref: 'https://example.com/s.json' } } }, param: 'tools[0].function.parameters.properties.a.$ref' },
    { name: 'a schema that is not an object', input: 'string', param: 'tools[0].function.parameters' },
    { name: 'an allOf member that is not an object', input: { allOf: [1] }, param: 'tools[0].function.parameters.allOf[0]' },
  ];
  for (const c of errors) {
    it(`refuses ${c.name}, naming the path`, () => {
      assert.throws(() => toGeminiSchema(c.input, 'tools[0].function.parameters'), (err: unknown) => err instanceof InvalidRequestError && err.param === c.param);
    });
  }

  it('does not change the caller\'s schema', () => {
    const input = { type: 'object', $schema: 'x', properties: { a: { type: 'string', default: 'q' } } };
    const copy = structuredClone(input);
    toGeminiSchema(input, 'p');
    assert.deepEqual(input, copy);
  });
});
