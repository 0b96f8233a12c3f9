import { readdirSync, realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadProfile, NOT_PROFILES, profileLocation, type Profile } from './config/profile.ts';
import { readSettings, type Settings } from './config/settings.ts';
import { isStartupError, type StartupErrorCode } from './errors/startup-error.ts';
import { createEventBus } from './events/event-bus.ts';
import { createLogger } from './log/logger.ts';
import type { PluginKind } from './plugin/define-plugin.ts';
import { loadPlugins } from './plugin/loader.ts';
import type { PluginRegistry } from './plugin/registry.ts';
import { readShippedPrices } from './callers/price-table.ts';
import { PROJECT_ROOT } from './project-root.ts';
import type { AliasSet } from './routing/alias-file.ts';
import { checkChains, type AliasCheck } from './routing/chain-check.ts';
import { aliasesPath, callersFileContext, callersPath, checkRouting, readAliasesAtStart, readCallersAtStart } from './startup.ts';
import { gatewayView } from './gateway-view.ts';

// `npm run check-config`: everything the gateway checks at start, and what it would only log — without
// listening on a port or calling an upstream. It runs the gateway's own start-up steps (startup.ts, the
// loader, the chain check), so the two cannot disagree. CI runs it with --all so a profile that cannot
// start never reaches a host.

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

/** A problem that would stop the start: the gateway's own StartupError, code and message. */
export interface ConfigProblem {
  code: StartupErrorCode;
  message: string;
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
  aliases: AliasCheck[];
  /** The callers file (relative to the root when inside it), and the callers it names; none without a file. */
  callersPath: string;
  callers: string[];
  warnings: string[];
  errors: ConfigProblem[];
}

/**
 * Runs the gateway's own start-up steps for one profile — settings, alias file, profile, plugins (created,
 * which opens no connection, then closed again), routing, chains — without listening on a port or calling
 * an upstream, and reports every problem it meets instead of stopping at the first.
 */
export async function checkConfig(options: CheckOptions = {}): Promise<ConfigReport> {
  const root = options.root ?? PROJECT_ROOT;
  const env = options.env ?? process.env;
  const errors: ConfigProblem[] = [];
  const warnings: string[] = [];
  const problem = (err: unknown): void => {
    if (!isStartupError(err)) throw err;
    errors.push({ code: err.code, message: err.message });
  };
  let settings: Settings;
  try {
    settings = readSettings(env);
  } catch (err) {
    problem(err);
    settings = readSettings({});
  }
  const name = options.profile ?? settings.profile;
  const path = aliasesPath(settings, root);
  const report: ConfigReport = {
    profile: name,
    path: shown(root, profilePath(root, name)),
    plugins: [],
    configured: [],
    unconfigured: [],
    aliasesPath: shown(root, path),
    defaultAlias: null,
    aliases: [],
    callersPath: shown(root, callersPath(settings, root)),
    callers: [],
    warnings,
    errors,
  };

  let aliasSet: AliasSet | undefined;
  try {
    aliasSet = await readAliasesAtStart(path);
  } catch (err) {
    problem(err);
  }
  let profile: Profile;
  let registry: PluginRegistry;
  try {
    profile = await loadProfile(root, name, env);
    const log = createLogger('silent');
    const gateway = { ...gatewayView(settings.replicaId, () => undefined), aliasNames: () => [...(aliasSet?.aliases.keys() ?? [])] };
    registry = await loadPlugins(profile, { root, settings, log, events: createEventBus(() => undefined), gateway });
  } catch (err) {
    problem(err);
    return report;
  }
  await registry.close((plugin, err) => warnings.push(`plugin "${plugin}": close failed: ${(err as Error).message}`));
  report.plugins = registry.plugins.map((p) => ({ ...p, status: p.status === 'loaded' && p.kind === 'provider' ? 'configured' : p.status }));
  report.configured = [...registry.providers.keys()];
  report.unconfigured = [...registry.unconfigured].map(([provider, reason]) => ({ name: provider, reason }));
  try {
    checkRouting(profile, registry, report.path);
  } catch (err) {
    problem(err);
  }
  if (aliasSet) {
    report.defaultAlias = aliasSet.default;
    const chains = checkChains(aliasSet, registry);
    report.aliases = chains.aliases;
    warnings.push(...chains.findings.map((f) => f.message));
  }
  try {
    await readShippedPrices(PROJECT_ROOT);
  } catch (err) {
    problem(err);
  }
  try {
    const file = callersPath(settings, root);
    const callers = await readCallersAtStart(file, settings, callersFileContext(settings, aliasSet ?? { default: null, aliases: new Map() }, registry, env));
    report.callers = [...(callers?.callers.keys() ?? [])];
  } catch (err) {
    problem(err);
  }
  return report;
}

/** The profile file a name or path means, for the report (a name that is neither is reported by the load). */
function profilePath(root: string, value: string): string {
  try {
    return profileLocation(root, value).path;
  } catch {
    return resolve(root, 'config', `${value}.yaml`);
  }
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
  out.push(report.callers.length > 0 ? `  callers (${report.callers.length}) from ${report.callersPath}: ${report.callers.join(', ')}` : `  callers: none (no ${report.callersPath})`);
  if (report.warnings.length > 0) out.push(`  warnings (${report.warnings.length}):`, ...report.warnings.map((w) => `    ! ${w}`));
  if (report.errors.length > 0) out.push(`  errors (${report.errors.length}):`, ...report.errors.map((e) => `    ✗ ${e.message} (${e.code})`));
  const warned = report.warnings.length === 1 ? '1 warning' : `${report.warnings.length} warnings`;
  out.push(report.errors.length > 0 ? `  FAILED: ${report.errors.length} error(s), ${warned}` : `  OK (${warned})`);
  return out.join('\n');
}

/** Every `config/*.yaml` of the root, by profile name (the price table lives there too, and is none). */
export function profileNames(root: string = PROJECT_ROOT): string[] {
  return readdirSync(resolve(root, 'config'))
    .filter((file) => file.endsWith('.yaml') && !NOT_PROFILES.has(file))
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

function isEntry(): boolean {
  if (!process.argv[1]) return false;
  try {
    return realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntry()) process.exitCode = await main(process.argv.slice(2));
