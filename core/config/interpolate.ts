/**
 * Replaces `${VAR}` and `${VAR:-default}` in every string of a parsed profile with values from the
 * environment. It runs on the parsed YAML, not on its text, so a value with YAML syntax in it (a `:` or a
 * `#` in a key) cannot change the document's structure. An unset `${VAR}` becomes the empty string, as in
 * shells and Compose files; `$${` escapes a literal `${`.
 */
export function interpolate(value: unknown, env: Record<string, string | undefined>): unknown {
  if (typeof value === 'string') return interpolateString(value, env);
  if (Array.isArray(value)) return value.map((item) => interpolate(item, env));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = interpolate(item, env);
    return out;
  }
  return value;
}

const PATTERN = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

export function interpolateString(text: string, env: Record<string, string | undefined>): string {
  return text.replace(PATTERN, (match, name: string | undefined, fallback: string | undefined) => {
    if (match === '$${') return '${';
    const current = env[name!];
    if (current !== undefined && current !== '') return current;
    return fallback ?? '';
  });
}
