import type { Capabilities } from '../../core/index.ts';

const NONE: Capabilities = { chat: false, stream: false, embeddings: false, vision: false, tools: false, json: false, jsonSchema: false };

/** What a Gemini API model can do, from its name (the API's model list says nothing about tools or JSON). */
export function capabilitiesOf(model: string): Capabilities {
  const name = bareName(model);
  if (name.includes('embedding')) return { ...NONE, embeddings: true };
  if (name.startsWith('gemini-')) {
    return { chat: true, stream: true, embeddings: false, vision: true, tools: true, json: true, jsonSchema: true };
  }
  // Gemma on the Gemini API reads images but has no function calling, JSON mode or system instruction.
  if (name.startsWith('gemma-')) return { ...NONE, chat: true, stream: true, vision: true };
  return { ...NONE, chat: true, stream: true };
}

/** Gemma answers 400 "Developer instruction is not enabled" to a `systemInstruction`. */
export function acceptsSystemInstruction(model: string): boolean {
  return !bareName(model).startsWith('gemma-');
}

/**
 * Gemini 3 refuses a replayed function call without its thought signature. When the caller's history
 * lost it (an OpenAI client that drops `extra_content`), Google documents this placeholder to skip the check.
 */
export function missingThoughtSignature(model: string): string | undefined {
  return bareName(model).startsWith('gemini-3') ? 'skip_thought_signature_validator' : undefined;
}

function bareName(model: string): string {
  return model.replace(/^models\//, '').toLowerCase();
}
