/**
 * A caller's `models` list: exact names (`mana/fast-text`, `ollama/gemma3:4b`) and prefixes ending in `*`
 * (`mana/*`, `ollama/*`: any suffix). Matched against the name a request resolves to: the alias's own
 * name, or `provider/model` of a direct model — so `gemma3:4b` is checked as `ollama/gemma3:4b`, and an
 * alias grants its whole chain without listing each entry.
 */
export class ModelAllowList {
  private readonly exact: ReadonlySet<string>;
  private readonly prefixes: readonly string[];

  constructor(readonly patterns: readonly string[]) {
    this.exact = new Set(patterns.filter((p) => !p.endsWith('*')));
    this.prefixes = patterns.filter((p) => p.endsWith('*')).map((p) => p.slice(0, -1));
  }

  allows(name: string): boolean {
    if (this.exact.has(name)) return true;
    for (const prefix of this.prefixes) if (name.startsWith(prefix)) return true;
    return false;
  }
}

/**
 * Why a pattern names nothing the gateway has, or undefined when it names an alias or a provider of the
 * profile (a pattern for a provider names any of its models: the provider decides which exist).
 */
export function patternProblem(pattern: string, aliasNames: readonly string[], providerNames: readonly string[]): string | undefined {
  if (pattern.endsWith('*')) {
    const prefix = pattern.slice(0, -1);
    if (prefix.includes('*')) return `"${pattern}": "*" may only end a pattern`;
    if (aliasNames.some((a) => a.startsWith(prefix))) return undefined;
    const slash = prefix.indexOf('/');
    if (slash > 0 && providerNames.includes(prefix.slice(0, slash))) return undefined;
    if (slash === -1 && providerNames.some((p) => p.startsWith(prefix))) return undefined;
    return `"${pattern}" matches no alias and no provider of the profile`;
  }
  if (pattern.includes('*')) return `"${pattern}": "*" may only end a pattern`;
  if (aliasNames.includes(pattern)) return undefined;
  const slash = pattern.indexOf('/');
  if (pattern.startsWith('mana/')) return `"${pattern}" names no alias of the alias file`;
  if (slash > 0 && slash < pattern.length - 1 && providerNames.includes(pattern.slice(0, slash))) return undefined;
  return `"${pattern}" names no alias and no provider of the profile (use mana/<alias>, <provider>/<model> or a prefix ending in *)`;
}
