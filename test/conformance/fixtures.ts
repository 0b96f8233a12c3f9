import type OpenAI from 'openai';

// What the conformance cases send: tools, an image, a JSON schema. Provider-neutral, like the cases.

/** A 1×1 PNG (real PNG bytes: the gateway checks that an inline image is what it claims). */
export const PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
export const PNG_DATA_URL = `data:image/png;base64,${PNG_BASE64}`;

export const WEATHER_TOOL: OpenAI.ChatCompletionFunctionTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'The current weather in a city',
    parameters: {
      type: 'object',
      properties: {
        city: { type: 'string', description: 'City name' },
        unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
      },
      required: ['city'],
    },
  },
};

export const TIME_TOOL: OpenAI.ChatCompletionFunctionTool = {
  type: 'function',
  function: {
    name: 'get_time',
    description: 'The local time in a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};

export const WEATHER_CALL = { name: 'get_weather', arguments: { city: 'Paris', unit: 'celsius' } };
export const TIME_CALL = { name: 'get_time', arguments: { city: 'Tokyo' } };

export const PERSON_SCHEMA = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    age: { type: 'integer' },
    tags: { type: 'array', items: { type: 'string' } },
  },
  required: ['name', 'age', 'tags'],
  additionalProperties: false,
};

export const PERSON = { name: 'Ada', age: 36, tags: ['math', 'code'] };
/** How older models answer in JSON mode: the JSON inside a Markdown fence. */
export const FENCED_PERSON = `\`\`\`json\n${JSON.stringify(PERSON, null, 2)}\n\`\`\``;

export const user = (content: OpenAI.ChatCompletionUserMessageParam['content']): OpenAI.ChatCompletionUserMessageParam => ({ role: 'user', content });
