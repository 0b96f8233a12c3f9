import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidRequestError, type FunctionTool, type ToolChoice } from '../../core/index.ts';
import { toGeminiToolConfig, toGeminiTools } from './translate-tools.ts';

const weather: FunctionTool = {
  type: 'function',
  function: {
    name: 'get_weather', description: 'Weather for a city', strict: true,
    parameters: { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false },
  },
};
const now: FunctionTool = { type: 'function', function: { name: 'now', parameters: { type: 'object', properties: {} } } };
const bare: FunctionTool = { type: 'function', function: { name: 'ping' } };

describe('toGeminiTools', () => {
  const cases: Array<{ name: string; tools: FunctionTool[] | undefined; expected: unknown }> = [
    { name: 'no tools', tools: undefined, expected: undefined },
    { name: 'an empty list', tools: [], expected: undefined },
    {
      name: 'functions become one tool of declarations with a cleaned JSON schema',
      tools: [weather],
      expected: [{ functionDeclarations: [{ name: 'get_weather', description: 'Weather for a city', parametersJsonSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false } }] }],
    },
    { name: 'a function without arguments has no schema', tools: [now, bare], expected: [{ functionDeclarations: [{ name: 'now' }, { name: 'ping' }] }] },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(toGeminiTools(c.tools), c.expected));

  it('refuses a tool that is not a function, naming it', () => {
    assert.throws(() => toGeminiTools([weather, { type: 'retrieval' } as unknown as FunctionTool]), (err: unknown) => err instanceof InvalidRequestError && err.param === 'tools[1]');
  });
});

describe('toGeminiToolConfig', () => {
  const cases: Array<{ choice: ToolChoice | undefined; expected: unknown }> = [
    { choice: undefined, expected: undefined },
    { choice: 'auto', expected: { functionCallingConfig: { mode: 'AUTO' } } },
    { choice: 'none', expected: { functionCallingConfig: { mode: 'NONE' } } },
    { choice: 'required', expected: { functionCallingConfig: { mode: 'ANY' } } },
    { choice: { type: 'function', function: { name: 'get_weather' } }, expected: { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_weather'] } } },
  ];
  for (const c of cases) it(`tool_choice ${JSON.stringify(c.choice)}`, () => assert.deepEqual(toGeminiToolConfig(c.choice, [weather]), c.expected));

  it('refuses a named function that is not among the tools', () => {
    assert.throws(() => toGeminiToolConfig({ type: 'function', function: { name: 'nope' } }, [weather]), (err: unknown) => err instanceof InvalidRequestError && err.param === 'tool_choice.function.name');
  });
  it('refuses an unknown tool_choice word', () => {
    assert.throws(() => toGeminiToolConfig('sometimes' as ToolChoice, [weather]), (err: unknown) => err instanceof InvalidRequestError && err.param === 'tool_choice');
  });
});
