import { isAbsolute, resolve } from 'node:path';
import type { Profile } from './config/profile.ts';
import type { Settings } from './config/settings.ts';
import { exists } from './callers/caller-book.ts';
import { CallersFileError, readCallersFile, type CallerSet, type CallersFileContext } from './callers/callers-file.ts';
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

/** Where the callers file is: `CALLERS_PATH`, relative to the project root. */
export function callersPath(settings: Settings, root: string): string {
  return isAbsolute(settings.callersPath) ? settings.callersPath : resolve(root, settings.callersPath);
}

/** What a callers file is checked against: the aliases in force, the profile's providers, the keys of `default`. */
export function callersFileContext(settings: Settings, aliases: AliasSet, registry: PluginRegistry, env: Record<string, string | undefined>): CallersFileContext {
  return {
    aliasNames: [...aliases.aliases.keys()],
    providerNames: [...registry.providers.keys(), ...registry.unconfigured.keys()],
    defaultKeys: settings.apiKeys,
    env,
  };
}

/**
 * Reads and validates the callers file; a problem is a `MANA_ERR_CALLERS_FILE`. No file at the default
 * path means no callers (undefined); a `CALLERS_PATH` that names no file is a mistake, not an open gateway.
 */
export async function readCallersAtStart(path: string, settings: Settings, context: CallersFileContext): Promise<CallerSet | undefined> {
  if (!(await exists(path))) {
    if (!settings.callersPathSet) return undefined;
    throw new StartupError('MANA_ERR_CALLERS_FILE', `CALLERS_PATH names ${path}, which does not exist: fix the path, or unset CALLERS_PATH for no callers`);
  }
  try {
    return await readCallersFile(path, context);
  } catch (err) {
    if (err instanceof CallersFileError) throw new StartupError('MANA_ERR_CALLERS_FILE', err.message, { cause: err });
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
