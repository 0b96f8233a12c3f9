import type { ChatCompletionChunk } from '../../core/index.ts';

/**
 * OpenAI sends usage in a chunk of its own (`choices: []`), but some compatible upstreams (Groq) put it
 * on the chunk that also carries the last delta and `finish_reason`. The core drops the usage chunk when
 * the caller did not ask for usage, so the two are separated here: dropping usage must never drop text
 * or the finish reason.
 */
export function splitUsageChunk(chunk: ChatCompletionChunk): ChatCompletionChunk[] {
  if (chunk.usage == null || !Array.isArray(chunk.choices) || chunk.choices.length === 0) return [chunk];
  const { usage, ...content } = chunk;
  return [content as ChatCompletionChunk, { ...content, choices: [], usage }];
}

/**
 * Whether a chunk's JSON text may carry usage counts: some `"usage"` key whose value is not `null`
 * (OpenAI sends `"usage":null` on every chunk but the last when `include_usage` is on). A false positive
 * only costs a parse; a false negative is impossible, since a real key is never escaped.
 */
export function mayCarryUsage(json: string): boolean {
  let at = json.indexOf('"usage"');
  while (at !== -1) {
    let i = skipWhitespace(json, at + 7);
    if (json.charCodeAt(i) === 58 /* : */) {
      i = skipWhitespace(json, i + 1);
      if (!json.startsWith('null', i)) return true;
    }
    at = json.indexOf('"usage"', at + 7);
  }
  return false;
}

function skipWhitespace(text: string, from: number): number {
  let i = from;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  return i;
}
