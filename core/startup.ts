import { isAbsolute, resolve } from 'node:path';
import type { Profile } from './config/profile.ts';
import type { Settings } from './config/settings.ts';
import { AliasFileError } from './errors/alias-file-error.ts';
import { StartupError } from './errors/startup-error.ts';
import type { Logger } from './log/logger.ts';
import type { PluginRegistry } from './plugin/registry.ts';
import { readAliasFile, type AliasSet } from './routing/alias-file.ts';

// The start-up steps that are more than one call, shared by the gateway (which stops at the first
// problem) and `npm run check-config` (which reports every problem it can find): one copy of the rules.

/** Where the alias file is: `ALIASES_PATH`, relative to the project root. */
export function aliasesPath(settings: Settings, root: string): string {
  return isAbsolute(settings.aliasesPath) ? settings.aliasesPath : resolve(root, settings.aliasesPath);
}

/** Reads and validates the alias file; a problem is a `MANA_ERR_ALIAS_FILE`. */
export async function readAliasesAtStart(path: string): Promise<AliasSet> {
  try {
    return await readAliasFile(path);
  } catch (err) {
    if (err instanceof AliasFileError) throw new StartupError('MANA_ERR_ALIAS_FILE', err.message, { cause: err });
    throw err;
  }
}

/** The profile's routing must name providers it has. */
export function checkRouting(profile: Profile, registry: PluginRegistry, shownPath: string = profile.path): void {
  const unprefixed = profile.routing.unprefixedProvider;
  if (unprefixed && !registry.knows(unprefixed)) {
    throw new StartupError('MANA_ERR_PROFILE_ROUTING', `profile ${shownPath}: routing.unprefixedProvider "${unprefixed}" names no provider of the profile`);
  }
}

/** Logs what the chain check found, each at its level. */
export function logFindings(findings: Array<{ alias: string; level: 'warn' | 'info'; message: string }>, log: Logger): void {
  for (const finding of findings) log[finding.level]({ alias: finding.alias }, finding.message);
}
