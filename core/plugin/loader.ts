import { existsSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Ajv } from 'ajv';
import semver from 'semver';
import type { Settings } from '../config/settings.ts';
import type { PluginEntry, Profile } from '../config/profile.ts';
import type { EventBus } from '../contracts/events.ts';
import type { Provider } from '../contracts/provider.ts';
import { StartupError } from '../errors/startup-error.ts';
import type { Logger } from '../log/logger.ts';
import { codePath } from '../project-root.ts';
import { ConcurrencyLimiter } from '../routing/concurrency-limiter.ts';
import { PLUGIN_API_VERSION, type GatewayView, type PluginContext, type PluginDefinition, type PluginKind } from './define-plugin.ts';
import { PluginRegistry } from './registry.ts';
import { resolvePackage } from './resolve-package.ts';

const ajv = new Ajv({ allErrors: true, useDefaults: true, coerceTypes: true, strict: false });
const KINDS: PluginKind[] = ['provider', 'cache', 'usage', 'shared-state', 'observer'];

export interface LoadContext {
  root: string;
  settings: Settings;
  log: Logger;
  events: EventBus;
  gateway: GatewayView;
}

/**
 * Turns a profile into live plugin instances, in profile order. Each entry's module is imported, checked
 * (a plugin definition whose API version range this core satisfies), its options validated against its
 * schema, and created. Any problem stops the start with a StartupError that has a stable code and names the
 * plugin and the option; a plugin whose `unconfigured()` gives a reason (a missing key) is skipped and
 * recorded instead. What happened to each entry is in `registry.plugins`.
 */
export async function loadPlugins(profile: Profile, context: LoadContext): Promise<PluginRegistry> {
  const registry = new PluginRegistry();
  const names = new Set<string>();
  try {
    for (const [index, entry] of profile.plugins.entries()) {
      const definition = await importPlugin(entry, index, context.root);
      const name = entry.name ?? definition.name;
      if (names.has(name)) {
        throw new StartupError('MANA_ERR_PLUGIN_NAME_TAKEN', `plugin "${name}" (plugins[${index}]) is named twice in the profile; give each instance its own name`);
      }
      names.add(name);
      const options = validateOptions(definition, entry, name);
      await createInstance(definition, entry, name, options, registry, context);
    }
  } catch (err) {
    await registry.close(() => undefined);
    throw err;
  }
  return registry;
}

async function importPlugin(entry: PluginEntry, index: number, root: string): Promise<PluginDefinition> {
  const specifier = resolveSpecifier(entry.use, root);
  let module: { default?: unknown };
  try {
    module = (await import(specifier)) as { default?: unknown };
  } catch (err) {
    throw new StartupError('MANA_ERR_PLUGIN_LOAD', `plugin "${entry.use}" (plugins[${index}]) failed to load: ${(err as Error).message}`, { cause: err });
  }
  const definition = module.default as Partial<PluginDefinition> | undefined;
  if (!definition || typeof definition !== 'object' || typeof definition.create !== 'function' || typeof definition.name !== 'string') {
    throw new StartupError(
      'MANA_ERR_PLUGIN_INVALID',
      `plugin "${entry.use}" (plugins[${index}]) does not export a plugin: its default export must come from definePlugin({name, kind, optionsSchema, create})`,
    );
  }
  if (!KINDS.includes(definition.kind as PluginKind)) {
    throw new StartupError('MANA_ERR_PLUGIN_INVALID', `plugin "${definition.name}" declares kind "${String(definition.kind)}"; expected one of ${KINDS.join(', ')}`);
  }
  checkApiVersion(definition.name, definition.apiVersion);
  return definition as PluginDefinition;
}

/** The plugin's declared range must be satisfied by this core's plugin API version. */
export function checkApiVersion(plugin: string, declared: unknown): void {
  const range = typeof declared === 'number' && Number.isInteger(declared) ? `^${declared}` : declared;
  if (typeof range !== 'string' || semver.validRange(range) === null) {
    throw new StartupError(
      'MANA_ERR_PLUGIN_API_VERSION',
      `plugin "${plugin}" declares apiVersion ${JSON.stringify(declared)}, which is not a version range; declare the plugin API range it was written for, such as "^${semver.major(PLUGIN_API_VERSION)}" (or use definePlugin)`,
    );
  }
  if (!semver.satisfies(PLUGIN_API_VERSION, range)) {
    throw new StartupError(
      'MANA_ERR_PLUGIN_API_VERSION',
      `plugin "${plugin}" is written for plugin API ${range}, but this gateway speaks plugin API ${PLUGIN_API_VERSION}; upgrade the plugin or the gateway`,
    );
  }
}

/**
 * `./plugins/x` and absolute paths are files of the project (a folder means its index); anything else is
 * an npm package, taken from the project root's node_modules (see resolve-package.ts for why not Node's own
 * lookup).
 */
function resolveSpecifier(use: string, root: string): string {
  if (!use.startsWith('.') && !isAbsolute(use)) return pathToFileURL(resolvePackage(use, root)).href;
  let path = isAbsolute(use) ? use : codePath(root, use);
  if (existsSync(path) && statSync(path).isDirectory()) {
    const index = ['index.ts', 'index.js', 'index.mjs'].map((f) => join(path, f)).find((f) => existsSync(f));
    if (!index) throw new StartupError('MANA_ERR_PLUGIN_LOAD', `plugin "${use}": folder ${path} has no index.ts or index.js`);
    path = index;
  }
  return pathToFileURL(path).href;
}

function validateOptions(definition: PluginDefinition, entry: PluginEntry, name: string): Record<string, unknown> {
  let validate;
  try {
    validate = ajv.compile(definition.optionsSchema ?? { type: 'object' });
  } catch (err) {
    throw new StartupError('MANA_ERR_PLUGIN_OPTIONS', `plugin "${name}" (${definition.name}) has an invalid optionsSchema: ${(err as Error).message}`);
  }
  const options = structuredClone(entry.options ?? {});
  if (!validate(options)) {
    const detail = (validate.errors ?? [])
      .map((e) => {
        const field = e.instancePath ? `option "${e.instancePath.slice(1).replaceAll('/', '.')}"` : 'options';
        const extra = e.keyword === 'additionalProperties' ? ` ("${String(e.params.additionalProperty)}")` : '';
        return `${field} ${e.message}${extra}`;
      })
      .join('; ');
    throw new StartupError('MANA_ERR_PLUGIN_OPTIONS', `plugin "${name}" (${definition.name}): ${detail}`);
  }
  return options;
}

async function createInstance(
  definition: PluginDefinition,
  entry: PluginEntry,
  name: string,
  options: Record<string, unknown>,
  registry: PluginRegistry,
  context: LoadContext,
): Promise<void> {
  const log = context.log.child({ plugin: name });
  const kind = definition.kind;
  const unconfigured = definition.unconfigured?.(options);
  if (unconfigured !== undefined) {
    if (kind === 'provider') registry.unconfigured.set(name, unconfigured);
    registry.plugins.push({ name, kind, use: entry.use, status: 'unconfigured', reason: unconfigured });
    log.info({ reason: unconfigured }, `${name} is unconfigured and skipped: ${unconfigured}`);
    return;
  }
  const pluginContext: PluginContext = {
    name,
    log,
    events: context.events,
    onClose: (closer) => registry.addCloser(name, closer),
    addRoute: (route) => void registry.routes.push({ ...route, plugin: name }),
    gateway: context.gateway,
  };
  let instance: unknown;
  try {
    instance = await definition.create(pluginContext, options);
  } catch (err) {
    throw new StartupError('MANA_ERR_PLUGIN_CREATE', `plugin "${name}" (${definition.name}) failed to start: ${(err as Error).message}`, { cause: err });
  }
  if (kind === 'provider') registerProvider(instance, entry, name, definition.name, registry, context.settings);
  else if (kind === 'cache') registry.caches.push(instance as never);
  else if (kind === 'usage') registry.usageLedgers.push(instance as never);
  else if (kind === 'shared-state') registry.sharedStates.push(instance as never);
  registry.plugins.push({ name, kind, use: entry.use, status: 'loaded' });
  log.info({ kind, module: entry.use }, `${name} loaded`);
}

function registerProvider(instance: unknown, entry: PluginEntry, name: string, module: string, registry: PluginRegistry, settings: Settings): void {
  const provider = instance as Provider;
  if (!provider || provider.name !== name) {
    throw new StartupError('MANA_ERR_PLUGIN_CREATE', `plugin "${name}" (${module}) must return a provider whose name is the instance name "${name}"`);
  }
  const t = settings.timeouts;
  registry.providers.set(name, {
    provider,
    timeouts: {
      firstTokenMs: secondsToMs(entry.timeouts?.firstToken) ?? t.firstTokenMs,
      stallMs: secondsToMs(entry.timeouts?.stall) ?? t.stallMs,
      attemptMs: secondsToMs(entry.timeouts?.attempt) ?? t.attemptMs,
    },
    limiter: entry.limits ? new ConcurrencyLimiter(name, entry.limits.maxConcurrent, entry.limits.maxQueue) : undefined,
    overflow: entry.limits?.overflow ?? 'fallback',
    probeIntervalMs: secondsToMs(entry.probeInterval),
  });
}

function secondsToMs(value: number | undefined): number | undefined {
  return value === undefined ? undefined : Math.round(value * 1000);
}
