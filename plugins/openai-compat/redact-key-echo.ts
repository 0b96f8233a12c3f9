/**
 * Providers echo a rejected key half-masked (OpenAI: `Incorrect API key provided: sk-ab****cdef`). The
 * core's redactSecrets removes the key and its long prefixes, but a short prefix and the last characters
 * would still reach a caller; any word that contains a run of mask stars is dropped whole.
 */
export function redactMaskedKeys(text: string): string {
  return text.replace(/[^\s"'`,;().]*\*{3,}[^\s"'`,;().]*/g, '[redacted]');
}
