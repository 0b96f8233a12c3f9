// The JSON Schema of `POST /v1/embeddings`, after the OpenAI API reference.
export const embeddingRequestSchema = {
  type: 'object',
  required: ['input'],
  properties: {
    model: { type: 'string', description: 'a model name, provider/model or a mana/ alias' },
    input: {
      anyOf: [
        { type: 'string' },
        { type: 'array', minItems: 1, items: { type: 'string' } },
        { type: 'array', minItems: 1, items: { type: 'integer' } },
        { type: 'array', minItems: 1, items: { type: 'array', minItems: 1, items: { type: 'integer' } } },
      ],
      description: 'a string, a non-empty array of strings, or token arrays',
    },
    encoding_format: { enum: ['float', 'base64'] },
    dimensions: { type: 'integer', minimum: 1, description: 'a positive integer' },
    user: { type: 'string', description: 'a string' },
  },
} as const;
