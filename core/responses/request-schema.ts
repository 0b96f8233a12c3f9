// The JSON Schema of `POST /v1/responses`, after the OpenAI API reference and the `openai` SDK's
// `ResponseCreateParams`. Unknown top-level fields are allowed (clients send `include`, `service_tier`,
// `prompt_cache_key`, `safety_identifier`… that the gateway has no use for); the fields the gateway reads
// are checked. Item and tool types the gateway cannot serve pass the schema and are refused afterwards with
// a message that names them (see validate-request.ts). A node's `description` is what a 400 says it must be.

const nullable = (schema: Record<string, unknown>, description: string) => ({ anyOf: [schema, { type: 'null' }], description });

const isType = (type: string) => ({ required: ['type'], properties: { type: { const: type } } });

const textField = { type: 'string', description: 'a string' };

const contentPart = {
  type: 'object',
  required: ['type'],
  description: 'a content part such as {"type": "input_text", "text": …} or {"type": "input_image", "image_url": …}',
  properties: {
    type: { enum: ['input_text', 'input_image', 'input_file', 'output_text', 'refusal'] },
  },
  allOf: [
    { if: isType('input_text'), then: { required: ['text'], properties: { text: textField } } },
    { if: isType('output_text'), then: { required: ['text'], properties: { text: textField } } },
    { if: isType('refusal'), then: { required: ['refusal'], properties: { refusal: textField } } },
    {
      if: isType('input_image'),
      then: {
        properties: {
          image_url: nullable({ type: 'string', minLength: 1 }, 'a data: URL or an http(s) URL'),
          file_id: nullable({ type: 'string' }, 'a string'),
          detail: { enum: ['auto', 'low', 'high', 'original'] },
        },
      },
    },
  ],
};

const content = { anyOf: [{ type: 'string' }, { type: 'array', items: contentPart }], description: 'a string or an array of content parts' };

const messageItem = {
  required: ['role', 'content'],
  properties: {
    role: { enum: ['user', 'system', 'developer', 'assistant'] },
    content,
  },
};

const functionCallItem = {
  required: ['call_id', 'name', 'arguments'],
  properties: {
    call_id: { type: 'string', minLength: 1, description: 'the call id the function_call_output answers with' },
    name: { type: 'string', minLength: 1, description: 'the function name' },
    arguments: { type: 'string', description: 'the arguments as a JSON string' },
  },
};

const functionCallOutputItem = {
  required: ['call_id', 'output'],
  properties: {
    call_id: { type: 'string', minLength: 1, description: 'the call_id of the function_call this answers' },
    output: { anyOf: [{ type: 'string' }, { type: 'array', items: contentPart }], description: 'a string or an array of content parts' },
  },
};

const inputItem = {
  type: 'object',
  description: 'an input item: a message {"role", "content"}, a function_call, a function_call_output or an item_reference',
  properties: {
    type: { type: 'string', description: 'an item type such as "message", "function_call" or "function_call_output"' },
    id: { type: 'string', description: 'a string' },
  },
  allOf: [
    // An item without `type` is a message (the SDK's EasyInputMessage).
    { if: { not: { required: ['type'] } }, then: messageItem },
    { if: isType('message'), then: messageItem },
    { if: isType('function_call'), then: functionCallItem },
    { if: isType('function_call_output'), then: functionCallOutputItem },
    { if: isType('item_reference'), then: { required: ['id'], properties: { id: { type: 'string', minLength: 1, description: 'an item id' } } } },
    { if: isType('reasoning'), then: { properties: { summary: { type: 'array', description: 'an array of summary parts' } } } },
  ],
};

const tool = {
  type: 'object',
  required: ['type'],
  description: 'a tool such as {"type": "function", "name": …, "parameters": …}',
  properties: { type: { type: 'string', description: 'a tool type such as "function"' } },
  allOf: [
    {
      if: isType('function'),
      then: {
        required: ['name'],
        properties: {
          name: { type: 'string', pattern: '^[a-zA-Z0-9_.-]{1,64}$', description: 'a function name of 1–64 letters, digits, _ . or -' },
          description: nullable({ type: 'string' }, 'a string'),
          parameters: nullable({ type: 'object' }, 'a JSON Schema object'),
          strict: { type: ['boolean', 'null'] },
        },
      },
    },
  ],
};

const textFormat = {
  type: 'object',
  required: ['type'],
  description: 'an object such as {"type": "json_schema", "name": …, "schema": …}',
  properties: { type: { enum: ['text', 'json_object', 'json_schema'] } },
  allOf: [
    {
      if: isType('json_schema'),
      then: {
        required: ['name', 'schema'],
        properties: {
          name: { type: 'string', pattern: '^[a-zA-Z0-9_-]{1,64}$', description: 'a name of 1–64 letters, digits, _ or -' },
          schema: { type: 'object', description: 'a JSON Schema object' },
          description: textField,
          strict: { type: ['boolean', 'null'] },
        },
      },
    },
  ],
};

export const responsesRequestSchema = {
  type: 'object',
  required: ['input'],
  properties: {
    model: { type: 'string', description: 'a model name, provider/model or a mana/ alias' },
    input: {
      anyOf: [{ type: 'string' }, { type: 'array', maxItems: 2048, items: inputItem }],
      description: 'a string or an array of at most 2048 input items',
    },
    instructions: nullable({ type: 'string' }, 'a string'),
    tools: { type: 'array', items: tool, description: 'an array of tools' },
    tool_choice: {
      anyOf: [
        { enum: ['none', 'auto', 'required'] },
        { type: 'object', required: ['type'], properties: { type: { type: 'string' } }, allOf: [{ if: isType('function'), then: { required: ['name'], properties: { name: { type: 'string' } } } }] },
      ],
      description: '"none", "auto", "required" or {"type": "function", "name": …}',
    },
    text: nullable(
      {
        type: 'object',
        properties: { format: textFormat, verbosity: { enum: ['low', 'medium', 'high', null] } },
      },
      'an object such as {"format": {"type": "json_object"}}',
    ),
    max_output_tokens: nullable({ type: 'integer', minimum: 1 }, 'a positive integer'),
    temperature: nullable({ type: 'number', minimum: 0, maximum: 2 }, 'a number from 0 to 2'),
    top_p: nullable({ type: 'number', minimum: 0, maximum: 1 }, 'a number from 0 to 1'),
    parallel_tool_calls: nullable({ type: 'boolean' }, 'true or false'),
    metadata: nullable(
      { type: 'object', maxProperties: 16, propertyNames: { maxLength: 64 }, additionalProperties: { type: 'string', maxLength: 512 } },
      'an object of at most 16 string values (keys up to 64 characters, values up to 512)',
    ),
    user: { type: 'string', description: 'a string' },
    store: nullable({ type: 'boolean' }, 'true or false'),
    stream: nullable({ type: 'boolean' }, 'true or false'),
    background: nullable({ type: 'boolean' }, 'true or false'),
    previous_response_id: nullable({ type: 'string', minLength: 1 }, 'a response id (resp_…)'),
    reasoning: nullable(
      {
        type: 'object',
        properties: {
          effort: nullable({ type: 'string' }, 'a reasoning effort such as "low", "medium" or "high"'),
          summary: { enum: ['auto', 'concise', 'detailed', null] },
          generate_summary: { enum: ['auto', 'concise', 'detailed', null] },
        },
      },
      'an object such as {"effort": "low"}',
    ),
    truncation: { enum: ['auto', 'disabled', null] },
    include: nullable({ type: 'array', items: { type: 'string' } }, 'an array of strings'),
    stream_options: nullable({ type: 'object' }, 'an object'),
  },
} as const;
