/**
 * Removes secrets from text that leaves the process (error messages copied from upstream bodies, logs).
 * Upstreams sometimes echo the key they rejected; that echo must not reach a caller.
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    out = out.split(secret).join('[redacted]');
    // A partly masked echo such as "sk-abc***xyz" still leaks a prefix; cut any 8+ char prefix too.
    const prefix = secret.slice(0, 8);
    if (secret.length >= 12 && out.includes(prefix)) out = out.split(prefix).join('[redacted]');
  }
  return out;
}
