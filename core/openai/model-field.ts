// Streams from OpenAI-speaking upstreams are forwarded without a JSON.parse/JSON.stringify per chunk; only
// the top-level `model` value is swapped in the text. Finding it needs a little scanning, because
// `"model":"..."` may also appear inside content (escaped, but a naive search could still be fooled by a
// nested object's key).

import type { SerializedChunk } from '../contracts/provider.ts';

const QUOTE = 34;
const BACKSLASH = 92;
const COLON = 58;

/**
 * An upstream's chunk text as a SerializedChunk with the caller's model in it (`quotedModel` is
 * `JSON.stringify(call.resolved)`, made once per stream). The core writes the text as it is, so this is
 * the only place the model is set. Undefined when the text is not an object with a top-level string
 * `model`: the provider parses that one instead.
 */
export function serializedChunk(json: string, quotedModel: string): SerializedChunk | undefined {
  const serialized = rewriteModelField(json, quotedModel);
  return serialized === undefined ? undefined : { serialized };
}

/**
 * Replaces the value of the top-level `"model"` key of a JSON object text with `quotedModel` (an already
 * JSON-encoded string). Returns undefined when the text is not an object with a top-level string `model`,
 * so the caller can fall back to a parse.
 */
export function rewriteModelField(json: string, quotedModel: string): string | undefined {
  let i = skipWhitespace(json, 0);
  if (json.charCodeAt(i) !== 123 /* { */) return undefined;
  let depth = 0;
  for (; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (c === QUOTE) {
      const end = stringEnd(json, i);
      if (end === -1) return undefined;
      if (depth === 1 && end - i === 6 && json.startsWith('model', i + 1)) {
        let j = skipWhitespace(json, end + 1);
        // A string at depth 1 followed by a colon is a key; otherwise it was a value that reads "model".
        if (json.charCodeAt(j) === COLON) {
          j = skipWhitespace(json, j + 1);
          if (json.charCodeAt(j) !== QUOTE) return undefined;
          const valueEnd = stringEnd(json, j);
          if (valueEnd === -1) return undefined;
          return json.slice(0, j) + quotedModel + json.slice(valueEnd + 1);
        }
      }
      i = end;
    } else if (c === 123 || c === 91) {
      depth++;
    } else if (c === 125 || c === 93) {
      depth--;
      if (depth === 0) return undefined;
    }
  }
  return undefined;
}

/** The index of the quote that closes the string opened at `open`, or -1. */
function stringEnd(text: string, open: number): number {
  let k = open;
  for (;;) {
    k = text.indexOf('"', k + 1);
    if (k === -1) return -1;
    let backslashes = 0;
    for (let b = k - 1; text.charCodeAt(b) === BACKSLASH; b--) backslashes++;
    if (backslashes % 2 === 0) return k;
  }
}

function skipWhitespace(text: string, from: number): number {
  let i = from;
  for (;;) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) return i;
    i++;
  }
}
