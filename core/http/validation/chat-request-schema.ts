// The JSON Schema of `POST /v1/chat/completions`, after the OpenAI API reference. Unknown top-level fields
// are allowed (providers add their own and OpenAI adds new ones); the fields the gateway reads are checked.
// A node's `description` is what a 400 says the field must be.

const nullable = (schema: Record<string, unknown>, description: string) => ({ anyOf: [schema, { type: 'null' }], description });

const textPart = {
  type: 'object',
  required: ['type', 'text'],
  properties: { type: { const: 'text' }, text: { type: 'string', description: 'a string' } },
};

const imagePart = {
  type: 'object',
  required: ['type', 'image_url'],
  properties: {
    type: { const: 'image_url' },
    image_url: {
      type: 'object',
      required: ['url'],
      description: 'an object with a `url` (a data: URL or an http(s) URL)',
      properties: {
        url: { type: 'string', minLength: 1, description: 'a data: URL or an http(s) URL' },
        detail: { enum: ['auto', 'low', 'high'] },
      },
    },
  },
};

const contentPart = {
  type: 'object',
  required: ['type'],
  description: 'a content part: {"type": "text", "text": …} or {"type": "image_url", "image_url": {"url": …}}',
  properties: { type: { type: 'string', description: 'a content part type such as "text" or "image_url"' } },
  allOf: [
    { if: { required: ['type'], properties: { type: { const: 'text' } } }, then: textPart },
    { if: { required: ['type'], properties: { type: { const: 'image_url' } } }, then: imagePart },
  ],
};

const toolCall = {
  type: 'object',
  required: ['id', 'type', 'function'],
  properties: {
    id: { type: 'string', description: 'the call id' },
    type: { const: 'function' },
    function: {
      type: 'object',
      required: ['name', 'arguments'],
      properties: {
        name: { type: 'string', description: 'the function name' },
        arguments: { type: 'string', description: 'the arguments as a JSON string' },
      },
    },
  },
};

const message = {
  type: 'object',
  required: ['role'],
  description: 'a message object with a `role` and `content`',
  properties: {
    role: { enum: ['system', 'developer', 'user', 'assistant', 'tool', 'function'] },
    content: {
      anyOf: [{ type: 'string' }, { type: 'array', items: contentPart }, { type: 'null' }],
      description: 'a string or an array of content parts',
    },
    name: { type: 'string', description: 'a string' },
    tool_call_id: { type: 'string', description: 'the id of the tool call this message answers' },
    tool_calls: { type: 'array', items: toolCall, description: 'an array of tool calls' },
  },
  allOf: [
    { if: { required: ['role'], properties: { role: { const: 'tool' } } }, then: { required: ['tool_call_id', 'content'] } },
    { if: { required: ['role'], properties: { role: { enum: ['system', 'developer', 'user'] } } }, then: { required: ['content'] } },
  ],
};

const tool = {
  type: 'object',
  required: ['type', 'function'],
  description: 'a tool: {"type": "function", "function": {"name", "description", "parameters"}}',
  properties: {
    type: { const: 'function' },
    function: {
      type: 'object',
      required: ['name'],
      properties: {
        name: { type: 'string', pattern: '^[a-zA-Z0-9_.-]{1,64}$', description: 'a function name of 1–64 letters, digits, _ . or -' },
        description: { type: 'string', description: 'a string' },
        parameters: { type: 'object', description: 'a JSON Schema object' },
        strict: { type: ['boolean', 'null'] },
      },
    },
  },
};

export const chatRequestSchema = {
  type: 'object',
  required: ['messages'],
  properties: {
    model: { type: 'string', description: 'a model name, provider/model or a mana/ alias' },
    messages: { type: 'array', minItems: 1, maxItems: 2048, items: message, description: 'a non-empty array of at most 2048 messages' },
    stream: nullable({ type: 'boolean' }, 'true or false'),
    stream_options: nullable({ type: 'object', properties: { include_usage: { type: 'boolean', description: 'true or false' } } }, 'an object such as {"include_usage": true}'),
    temperature: nullable({ type: 'number', minimum: 0, maximum: 2 }, 'a number from 0 to 2'),
    top_p: nullable({ type: 'number', minimum: 0, maximum: 1 }, 'a number from 0 to 1'),
    max_tokens: nullable({ type: 'integer', minimum: 1 }, 'a positive integer'),
    max_completion_tokens: nullable({ type: 'integer', minimum: 1 }, 'a positive integer'),
    n: nullable({ type: 'integer', minimum: 1, maximum: 16 }, 'an integer from 1 to 16'),
    stop: {
      anyOf: [{ type: 'string' }, { type: 'array', maxItems: 4, items: { type: 'string' } }, { type: 'null' }],
      description: 'a string or an array of up to 4 strings',
    },
    seed: nullable({ type: 'integer' }, 'an integer'),
    frequency_penalty: nullable({ type: 'number', minimum: -2, maximum: 2 }, 'a number from -2 to 2'),
    presence_penalty: nullable({ type: 'number', minimum: -2, maximum: 2 }, 'a number from -2 to 2'),
    response_format: {
      type: 'object',
      required: ['type'],
      description: 'an object such as {"type": "json_object"}',
      properties: { type: { enum: ['text', 'json_object', 'json_schema'] } },
      allOf: [
        {
          if: { required: ['type'], properties: { type: { const: 'json_schema' } } },
          then: {
            required: ['json_schema'],
            properties: {
              json_schema: {
                type: 'object',
                required: ['name'],
                description: 'an object with a `name` and a `schema`',
                properties: {
                  name: { type: 'string', pattern: '^[a-zA-Z0-9_-]{1,64}$', description: 'a name of 1–64 letters, digits, _ or -' },
                  schema: { type: 'object', description: 'a JSON Schema object' },
                  strict: { type: ['boolean', 'null'] },
                },
              },
            },
          },
        },
      ],
    },
    tools: { type: 'array', items: tool, description: 'an array of tools' },
    tool_choice: {
      anyOf: [
        { enum: ['none', 'auto', 'required'] },
        { type: 'object', required: ['type', 'function'], properties: { type: { const: 'function' }, function: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } } } },
      ],
      description: '"none", "auto", "required" or {"type": "function", "function": {"name": …}}',
    },
    parallel_tool_calls: { type: 'boolean', description: 'true or false' },
    user: { type: 'string', description: 'a string' },
  },
} as const;
