import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Model } from '@google/genai';
import { acceptsSystemInstruction, capabilitiesOf, missingThoughtSignature } from './capabilities.ts';
import { toModelInfos } from './translate-models.ts';

const chat = { chat: true, stream: true, embeddings: false, vision: true, tools: true, json: true, jsonSchema: true };
const embeddings = { chat: false, stream: false, embeddings: true, vision: false, tools: false, json: false, jsonSchema: false };

describe('capabilitiesOf', () => {
  const cases: Array<[string, object]> = [
    ['gemini-2.5-flash', chat],
    ['gemini-2.5-pro', chat],
    ['models/gemini-2.0-flash-lite', chat],
    ['gemini-3-pro-preview', chat],
    ['text-embedding-004', embeddings],
    ['gemini-embedding-001', embeddings],
    ['gemma-3-27b-it', { ...embeddings, embeddings: false, chat: true, stream: true, vision: true }],
    ['learnlm-2.0-flash-experimental', { ...embeddings, embeddings: false, chat: true, stream: true }],
  ];
  for (const [model, expected] of cases) it(model, () => assert.deepEqual(capabilitiesOf(model), expected));

  it('Gemma takes no system instruction; Gemini does', () => {
    assert.equal(acceptsSystemInstruction('gemma-3-27b-it'), false);
    assert.equal(acceptsSystemInstruction('gemini-2.5-flash'), true);
  });
  it('only Gemini 3 gets a placeholder thought signature', () => {
    assert.equal(missingThoughtSignature('gemini-3-pro-preview'), 'skip_thought_signature_validator');
    assert.equal(missingThoughtSignature('gemini-2.5-flash'), undefined);
  });
});

describe('toModelInfos', () => {
  it('strips models/, keeps what the gateway can serve, carries the limits', () => {
    const models: Model[] = [
      { name: 'models/gemini-2.5-flash', displayName: 'Gemini 2.5 Flash', inputTokenLimit: 1048576, outputTokenLimit: 65536, supportedActions: ['generateContent', 'countTokens'] },
      { name: 'models/text-embedding-004', supportedActions: ['embedContent'] },
      { name: 'models/imagen-4.0-generate-001', supportedActions: ['predict'] },
      { name: 'tunedModels/mine' },
      { displayName: 'nameless' },
    ];
    assert.deepEqual(toModelInfos(models), [
      { id: 'gemini-2.5-flash', object: 'model', created: 0, owned_by: 'google', display_name: 'Gemini 2.5 Flash', context_length: 1048576, max_output_tokens: 65536 },
      { id: 'text-embedding-004', object: 'model', created: 0, owned_by: 'google' },
      { id: 'tunedModels/mine', object: 'model', created: 0, owned_by: 'google' },
    ]);
  });
});
