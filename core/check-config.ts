import { readdirSync, realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { loadProfile, type Profile } from './config/profile.ts';
import { readSettings, SettingsError, type Settings } from './config/settings.ts';
import { StartupError } from './config/startup-error.ts';
import { createEventBus } from './events/event-bus.ts';
import { PROJECT_ROOT } from './gateway.ts';
import { createLogger } from './log/logger.ts';
import type { PluginKind } from './plugin/define-plugin.ts';
import { loadPlugins, resolveSpecifier } from './plugin/loader.ts';
import type { PluginRegistry } from './plugin/registry.ts';
import { readAliasFile, type AliasSet } from './routing/alias-file.ts';

// `npm run check-config`: everything the gateway checks at start, and what it would only log — without
// listening on a port or calling an upstream (the plugins are created, which opens no connection, and
// closed again). CI runs it with --all so a profile that cannot start never reaches a host.

export interface CheckOptions {
  /** The folder with config/ and aliases.yaml; the gateway's own root when absent. */
  root?: string;
  /** The profile name; MANA_LLM_PROFILE (or `default`) when absent. */
  profile?: string;
  env?: Record<string, string | undefined>;
}

export interface PluginStatus {
  name: string;
  kind: PluginKind;
  use: string;
  /** Providers are configured or unconfigured; other kinds are loaded or unconfigured. */
  status: 'configured' | 'unconfigured' | 'loaded';
  reason?: string;
}

export type EntryStatus = 'configured' | 'unconfigured' | 'not in profile';

export interface AliasStatus {
  name: string;
  chain: Array<{ entry: string; provider: string; status: EntryStatus }>;
}

export interface ConfigReport {
  profile: string;
  /** The profile file, relative to the root when inside it. */
  path: string;
  plugins: PluginStatus[];
  configured: string[];
  unconfigured: Array<{ name: string; reason: string }>;
  aliasesPath: string;
  defaultAlias: string | null;
  aliases: AliasStatus[];
  warnings: string[];
  errors: string[];
}

/** Loads one profile, its plugins and the alias file the way the gateway would, and reports what it found. */
export async function checkConfig(options: CheckOptions = {}): Promise<ConfigReport> {
  const root = options.root ?? PROJECT_ROOT;
  const env = options.env ?? process.env;
  const errors: string[] = [];
  const warnings: string[] = [];
  let settings: Settings;
  try {
    settings = readSettings(env);
  } catch (err) {
    if (!(err instanceof SettingsError)) throw err;
    errors.push(err.message);
    settings = readSettings({});
  }
  const name = options.profile ?? settings.profile;
  const aliasesPath = isAbsolute(settings.aliasesPath) ? settings.aliasesPath : resolve(root, settings.aliasesPath);
  const report: ConfigReport = {
    profile: name,
    path: shown(root, resolve(root, 'config', `${name}.yaml`)),
    plugins: [],
    configured: [],
    unconfigured: [],
    aliasesPath: shown(root, aliasesPath),
    defaultAlias: null,
    aliases: [],
    warnings,
    errors,
  };

  let aliasSet: AliasSet | undefined;
  try {
    aliasSet = await readAliasFile(aliasesPath);
  } catch (err) {
    errors.push((err as Error).message);
  }
  let profile: Profile;
  try {
    profile = await loadProfile(root, name, env);
  } catch (err) {
    if (!(err instanceof StartupError)) throw err;
    errors.push(err.message);
    return report;
  }

  // The loader reports unconfigured non-provider plugins and plugin warnings only through its log.
  const skipped = new Map<string, string>();
  const log = createLogger('info', lineSink((line) => {
    const plugin = typeof line.plugin === 'string' ? line.plugin : undefined;
    if (plugin && typeof line.reason === 'string') skipped.set(plugin, line.reason);
    if (line.level === 'warn' || line.level === 'error') warnings.push(`${plugin ? `plugin "${plugin}": ` : ''}${String(line.msg)}`);
  }));
  const gateway = { providers: () => [], aliasNames: () => [...(aliasSet?.aliases.keys() ?? [])] };
  let registry: PluginRegistry;
  try {
    registry = await loadPlugins(profile, { root, settings, log, events: createEventBus(() => undefined), gateway });
  } catch (err) {
    if (!(err instanceof StartupError)) throw err;
    errors.push(err.message);
    return report;
  }
  try {
    report.plugins = await describePlugins(profile, root, registry, skipped);
  } finally {
    await registry.close((plugin, err) => warnings.push(`plugin "${plugin}": close failed: ${(err as Error).message}`));
  }
  report.configured = [...registry.providers.keys()];
  report.unconfigured = [...registry.unconfigured].map(([provider, reason]) => ({ name: provider, reason }));

  const unprefixed = profile.routing.unprefixedProvider;
  if (unprefixed && !registry.knows(unprefixed)) {
    errors.push(`profile ${report.path}: routing.unprefixedProvider "${unprefixed}" names no provider of the profile`);
  }
  if (aliasSet) {
    report.defaultAlias = aliasSet.default;
    report.aliases = checkChains(aliasSet, registry, warnings);
  }
  return report;
}

async function describePlugins(profile: Profile, root: string, registry: PluginRegistry, skipped: Map<string, string>): Promise<PluginStatus[]> {
  const plugins: PluginStatus[] = [];
  for (const entry of profile.plugins) {
    // Already imported by the loader: this only reads the module cache for the name and kind.
    const definition = ((await import(resolveSpecifier(entry.use, root))) as { default: { name: string; kind: PluginKind } }).default;
    const name = entry.name ?? definition.name;
    const reason = registry.unconfigured.get(name) ?? skipped.get(name);
    const status = reason !== undefined ? 'unconfigured' : definition.kind === 'provider' ? 'configured' : 'loaded';
    plugins.push({ name, kind: definition.kind, use: entry.use, status, ...(reason !== undefined ? { reason } : {}) });
  }
  return plugins;
}

/** Chain entries the gateway would always skip are warnings: the alias still works, with fewer fallbacks. */
function checkChains(aliasSet: AliasSet, registry: PluginRegistry, warnings: string[]): AliasStatus[] {
  const aliases: AliasStatus[] = [];
  for (const alias of aliasSet.aliases.values()) {
    const chain = alias.chain.map((entry) => {
      const provider = entry.slice(0, entry.indexOf('/'));
      const reason = registry.unconfigured.get(provider);
      const status: EntryStatus = registry.providers.has(provider) ? 'configured' : reason !== undefined ? 'unconfigured' : 'not in profile';
      if (status === 'unconfigured') warnings.push(`alias ${alias.name}: ${entry} will be skipped: provider "${provider}" is unconfigured: ${reason}`);
      if (status === 'not in profile') warnings.push(`alias ${alias.name}: ${entry} will be skipped: provider "${provider}" is not in the profile`);
      return { entry, provider, status };
    });
    if (!chain.some((e) => e.status === 'configured')) {
      warnings.push(`alias ${alias.name}: no entry of its chain has a configured provider; every request to it will fail (503 no_healthy_provider)`);
    }
    aliases.push({ name: alias.name, chain });
  }
  return aliases;
}

/** The summary a person reads: what loaded, what is skipped and why, every chain, then problems. */
export function formatReport(report: ConfigReport): string {
  const out: string[] = [`profile ${report.profile} (${report.path})`];
  if (report.plugins.length > 0) {
    out.push(`  plugins (${report.plugins.length}):`);
    const width = Math.max(...report.plugins.map((p) => p.name.length));
    const useWidth = Math.max(...report.plugins.map((p) => p.use.length));
    for (const p of report.plugins) {
      const status = p.reason !== undefined ? `${p.status}: ${p.reason}` : p.status;
      out.push(`    ${p.name.padEnd(width)}  ${p.kind.padEnd(8)}  ${p.use.padEnd(useWidth)}  ${status}`);
    }
    out.push(`  providers configured (${report.configured.length}): ${report.configured.join(', ') || 'none'}`);
    out.push(`  providers unconfigured (${report.unconfigured.length}): ${report.unconfigured.map((u) => u.name).join(', ') || 'none'}`);
  }
  if (report.aliases.length > 0) {
    out.push(`  aliases (${report.aliases.length}) from ${report.aliasesPath}, default ${report.defaultAlias ?? 'none'}:`);
    const width = Math.max(...report.aliases.map((a) => a.name.length));
    for (const alias of report.aliases) {
      const chain = alias.chain.map((e) => (e.status === 'configured' ? e.entry : `${e.entry} [${e.status}]`)).join(' → ');
      out.push(`    ${alias.name.padEnd(width)}  ${chain}`);
    }
  }
  if (report.warnings.length > 0) out.push(`  warnings (${report.warnings.length}):`, ...report.warnings.map((w) => `    ! ${w}`));
  if (report.errors.length > 0) out.push(`  errors (${report.errors.length}):`, ...report.errors.map((e) => `    ✗ ${e}`));
  const warned = report.warnings.length === 1 ? '1 warning' : `${report.warnings.length} warnings`;
  out.push(report.errors.length > 0 ? `  FAILED: ${report.errors.length} error(s), ${warned}` : `  OK (${warned})`);
  return out.join('\n');
}

/** Every `config/*.yaml` of the root, by profile name. */
export function profileNames(root: string = PROJECT_ROOT): string[] {
  return readdirSync(resolve(root, 'config'))
    .filter((file) => file.endsWith('.yaml'))
    .map((file) => file.slice(0, -'.yaml'.length))
    .sort();
}

const USAGE = `usage: npm run check-config -- [--profile NAME]... [--all] [--root DIR]
  --profile NAME  check config/NAME.yaml (default: $MANA_LLM_PROFILE, else default); may be repeated
  --all           check every config/*.yaml
  --root DIR      the project folder holding config/ and aliases.yaml (default: this checkout)
Exits 0 when every profile checked has no error (warnings allowed), 1 otherwise, 2 on a usage error.`;

/** The CLI: prints one summary per profile to stdout; returns the exit code. */
export async function main(argv: string[], env: Record<string, string | undefined> = process.env): Promise<number> {
  const profiles: string[] = [];
  let all = false;
  let root = PROJECT_ROOT;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--all') {
      all = true;
      continue;
    }
    const option = /^--(profile|root)(?:=(.*))?$/.exec(arg);
    const value = option ? (option[2] ?? argv[++i]) : undefined;
    if (option && value) {
      if (option[1] === 'profile') profiles.push(value);
      else root = resolve(value);
      continue;
    }
    const help = arg === '--help' || arg === '-h';
    process.stderr.write(`${help ? '' : `check-config: unknown or incomplete argument "${arg}"\n`}${USAGE}\n`);
    return help ? 0 : 2;
  }
  const names = all ? profileNames(root) : profiles.length > 0 ? profiles : [undefined];
  let failed = 0;
  for (const [index, name] of names.entries()) {
    const report = await checkConfig({ root, env, ...(name !== undefined ? { profile: name } : {}) });
    process.stdout.write(`${index > 0 ? '\n' : ''}${formatReport(report)}\n`);
    if (report.errors.length > 0) failed++;
  }
  if (failed > 0) process.stderr.write(`check-config: ${failed} of ${names.length} profile(s) cannot start\n`);
  return failed > 0 ? 1 : 0;
}

function shown(root: string, path: string): string {
  const inside = relative(root, path);
  return inside.startsWith('..') || isAbsolute(inside) ? path : inside;
}

/** A log destination that hands each JSON line to `onLine`. */
function lineSink(onLine: (line: Record<string, unknown>) => void): Writable {
  return new Writable({
    write(chunk, _encoding, done) {
      for (const text of String(chunk).split('\n')) if (text.trim()) onLine(JSON.parse(text) as Record<string, unknown>);
      done();
    },
  });
}

function isEntry(): boolean {
  if (!process.argv[1]) return false;
  try {
    return realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntry()) process.exitCode = await main(process.argv.slice(2));
