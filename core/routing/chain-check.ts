import type { PluginRegistry } from '../plugin/registry.ts';
import type { AliasSet } from './alias-file.ts';

export type EntryStatus = 'configured' | 'unconfigured' | 'not in profile';

/** Something about the chains worth saying at start: `warn` for what an operator should fix, `info` for a provider left without its key. */
export interface ChainFinding {
  alias: string;
  level: 'warn' | 'info';
  message: string;
}

export interface AliasCheck {
  name: string;
  chain: Array<{ entry: string; provider: string; status: EntryStatus }>;
}

/**
 * What each alias can use with the providers of this profile: entries whose provider is unconfigured or
 * not in the profile will always be skipped (the alias still works, with fewer fallbacks), and an alias
 * with no usable entry will always fail. The gateway logs the findings at start; `check-config` prints them.
 */
export function checkChains(aliases: AliasSet, registry: PluginRegistry): { aliases: AliasCheck[]; findings: ChainFinding[] } {
  const checks: AliasCheck[] = [];
  const findings: ChainFinding[] = [];
  for (const alias of aliases.aliases.values()) {
    const chain = alias.chain.map((entry) => {
      const provider = entry.slice(0, entry.indexOf('/'));
      const reason = registry.unconfigured.get(provider);
      const status: EntryStatus = registry.providers.has(provider) ? 'configured' : reason !== undefined ? 'unconfigured' : 'not in profile';
      if (status === 'unconfigured') findings.push({ alias: alias.name, level: 'info', message: `alias ${alias.name}: ${entry} will be skipped: provider "${provider}" is unconfigured: ${reason}` });
      if (status === 'not in profile') findings.push({ alias: alias.name, level: 'warn', message: `alias ${alias.name}: ${entry} will be skipped: provider "${provider}" is not in the profile` });
      return { entry, provider, status };
    });
    if (!chain.some((e) => e.status === 'configured')) {
      findings.push({ alias: alias.name, level: 'warn', message: `alias ${alias.name}: no entry of its chain has a configured provider; every request to it will fail (503 no_healthy_provider)` });
    }
    checks.push({ name: alias.name, chain });
  }
  return { aliases: checks, findings };
}
