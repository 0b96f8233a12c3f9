// What a span records of the conversation when OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true
// (the semantic conventions' opt-in `gen_ai.input.messages` / `gen_ai.output.messages`, as JSON text).
// Off, nothing of it is ever read.

/** The prompt of a chat, Responses or embeddings request body, as JSON text; undefined when it has none. */
export function inputMessages(body: unknown): string | undefined {
  const request = body as { messages?: unknown; input?: unknown; instructions?: unknown } | undefined;
  if (!request || typeof request !== 'object') return undefined;
  if (Array.isArray(request.messages)) return JSON.stringify(request.messages);
  if (request.input === undefined) return undefined;
  const input = typeof request.input === 'string' ? [{ role: 'user', content: request.input }] : request.input;
  const instructions = typeof request.instructions === 'string' ? [{ role: 'system', content: request.instructions }] : [];
  return JSON.stringify(Array.isArray(input) ? [...instructions, ...input] : [...instructions, input]);
}

/** The messages of a whole chat answer, as JSON text; undefined for an answer without choices (embeddings). */
export function outputMessages(answer: unknown): string | undefined {
  const choices = (answer as { choices?: Array<{ message?: unknown; finish_reason?: unknown }> } | undefined)?.choices;
  if (!Array.isArray(choices)) return undefined;
  return JSON.stringify(choices.map((c) => ({ ...(c.message as object), finish_reason: c.finish_reason })));
}
