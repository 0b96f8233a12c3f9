/**
 * Whether a model name matches a list of name patterns, for the capability guess used when Ollama cannot
 * tell (older servers without `capabilities` in `/api/show`, or `/api/show` failing).
 *
 * - A pattern without `:` matches the name's base (before `:`) by prefix: `qwen2.5` matches `qwen2.5:7b`
 *   and `qwen2.5-coder:14b`.
 * - A pattern with `:` matches the whole name by prefix: `gemma3:1b` matches `gemma3:1b-it-qat`.
 * - A leading `!` excludes, whatever else matched: `!gemma3:1b` keeps the text-only size out of `gemma3`.
 * - The namespace (`library/`, `hf.co/org/`) is ignored unless the pattern itself contains `/`.
 * Matching ignores case.
 */
export function matchesModel(model: string, patterns: readonly string[]): boolean {
  const name = model.trim().toLowerCase();
  // Tags never contain `/`, so the last `/` ends the namespace.
  const withoutNamespace = name.slice(name.lastIndexOf('/') + 1);
  let matched = false;
  for (const raw of patterns) {
    const negated = raw.startsWith('!');
    const pattern = (negated ? raw.slice(1) : raw).trim().toLowerCase();
    if (pattern === '') continue;
    let subject = pattern.includes('/') ? name : withoutNamespace;
    if (!pattern.includes(':')) subject = subject.split(':')[0]!;
    if (!subject.startsWith(pattern)) continue;
    if (negated) return false;
    matched = true;
  }
  return matched;
}
