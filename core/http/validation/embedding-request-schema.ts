// The JSON Schema of `POST /v1/embeddings`, after the OpenAI API reference.
export const embeddingRequestSchema = {
  type: 'object',
  // Unlike chat, embeddings have no default model: vectors of different models are not comparable, so the
  // caller must say which one (as OpenAI requires too).
  required: ['model', 'input'],
  properties: {
    model: { type: 'string', minLength: 1, description: 'an embedding model name, provider/model or a mana/ alias' },
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
    dimensions: { type: 'integer', minimum: 1, maximum: 16384, description: 'an integer from 1 to 16384' },
    user: { type: 'string', description: 'a string' },
  },
} as const;
