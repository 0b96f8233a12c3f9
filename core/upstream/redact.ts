/**
 * Removes secrets from text that leaves the process (error messages copied from upstream bodies, logs).
 * Upstreams echo the key they rejected, whole or half-masked (OpenAI: `sk-ab****cdef`): the key, its long
 * prefixes, and any word holding a run of mask stars are replaced, so not even a prefix or the last
 * characters reach a caller.
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    out = out.split(secret).join('[redacted]');
    const prefix = secret.slice(0, 8);
    if (secret.length >= 12 && out.includes(prefix)) out = out.split(prefix).join('[redacted]');
  }
  return out.includes('***') ? out.replace(MASKED_WORD, '[redacted]') : out;
}

/** A word with three or more stars in it: a masked key (two stars are Markdown bold, not a mask). */
const MASKED_WORD = /[^\s"'`,;().]*\*{3,}[^\s"'`,;().]*/g;
