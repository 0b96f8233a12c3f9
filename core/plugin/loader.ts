import { existsSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Ajv } from 'ajv';
import type { Settings } from '../config/settings.ts';
import type { PluginEntry, Profile } from '../config/profile.ts';
import { StartupError } from '../config/startup-error.ts';
import type { EventBus } from '../contracts/events.ts';
import type { Provider } from '../contracts/provider.ts';
import type { Logger } from '../log/logger.ts';
import { PLUGIN_API_VERSION, type GatewayView, type PluginContext, type PluginDefinition, type PluginKind } from './define-plugin.ts';
import { ConcurrencyLimiter } from '../routing/concurrency-limiter.ts';
import { PluginRegistry } from './registry.ts';
import { codePath } from '../project-root.ts';
import { resolvePackage } from './resolve-package.ts';

const ajv = new Ajv({ allErrors: true, useDefaults: true, coerceTypes: true, strict: false });
const KINDS: PluginKind[] = ['provider', 'cache', 'observer'];

export interface LoadContext {
  root: string;
  settings: Settings;
  log: Logger;
  events: EventBus;
  gateway: GatewayView;
}

/**
 * Turns a profile into live plugin instances, in profile order. Each entry's module is imported, checked
 * (a plugin definition of a supported API version), its options validated against its schema, and
 * created. Any problem stops the start with a StartupError that names the plugin and the option; a
 * provider whose `unconfigured()` gives a reason (a missing key) is skipped and logged instead.
 */
export async function loadPlugins(profile: Profile, context: LoadContext): Promise<PluginRegistry> {
  const registry = new PluginRegistry();
  const names = new Set<string>();
  try {
    for (const [index, entry] of profile.plugins.entries()) {
      const definition = await importPlugin(entry, index, context.root);
      const name = entry.name ?? definition.name;
      if (names.has(name)) throw new StartupError(`plugin "${name}" (plugins[${index}]) is named twice in the profile; give each instance its own name`);
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
    throw new StartupError(`plugin "${entry.use}" (plugins[${index}]) failed to load: ${(err as Error).message}`);
  }
  const definition = module.default as Partial<PluginDefinition> | undefined;
  if (!definition || typeof definition !== 'object' || typeof definition.create !== 'function' || typeof definition.name !== 'string') {
    throw new StartupError(`plugin "${entry.use}" (plugins[${index}]) does not export a plugin: its default export must come from definePlugin({name, kind, optionsSchema, create})`);
  }
  if (!KINDS.includes(definition.kind as PluginKind)) {
    throw new StartupError(`plugin "${definition.name}" declares kind "${String(definition.kind)}"; expected one of ${KINDS.join(', ')}`);
  }
  if (definition.apiVersion !== PLUGIN_API_VERSION) {
    throw new StartupError(
      `plugin "${definition.name}" is written for plugin API version ${String(definition.apiVersion)}, but this gateway supports version ${PLUGIN_API_VERSION}; upgrade the plugin or the gateway`,
    );
  }
  return definition as PluginDefinition;
}

/**
 * `./plugins/x` and absolute paths are files of the project (a folder means its index); anything else is
 * an npm package, taken from the project root's node_modules (see resolve-package.ts for why not Node's own
 * lookup). Exported for the config check, which names each plugin the way the loader found it.
 */
export function resolveSpecifier(use: string, root: string): string {
  if (!use.startsWith('.') && !isAbsolute(use)) return pathToFileURL(resolvePackage(use, root)).href;
  let path = isAbsolute(use) ? use : codePath(root, use);
  if (existsSync(path) && statSync(path).isDirectory()) {
    const index = ['index.ts', 'index.js', 'index.mjs'].map((f) => join(path, f)).find((f) => existsSync(f));
    if (!index) throw new StartupError(`plugin "${use}": folder ${path} has no index.ts or index.js`);
    path = index;
  }
  return pathToFileURL(path).href;
}

function validateOptions(definition: PluginDefinition, entry: PluginEntry, name: string): Record<string, unknown> {
  let validate;
  try {
    validate = ajv.compile(definition.optionsSchema ?? { type: 'object' });
  } catch (err) {
    throw new StartupError(`plugin "${name}" (${definition.name}) has an invalid optionsSchema: ${(err as Error).message}`);
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
    throw new StartupError(`plugin "${name}" (${definition.name}): ${detail}`);
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
  if (definition.kind === 'provider') registry.providerNames.push(name);
  const unconfigured = definition.unconfigured?.(options);
  if (unconfigured !== undefined) {
    if (definition.kind === 'provider') registry.unconfigured.set(name, unconfigured);
    log.info({ reason: unconfigured }, `${name} is unconfigured and skipped: ${unconfigured}`);
    return;
  }
  const pluginContext: PluginContext = {
    name,
    log,
    events: context.events,
    onClose: (closer) => registry.addCloser(name, closer),
    addRoute: (route) => void registry.routes.push(route),
    gateway: context.gateway,
  };
  let instance: unknown;
  try {
    instance = await definition.create(pluginContext, options);
  } catch (err) {
    throw new StartupError(`plugin "${name}" (${definition.name}) failed to start: ${(err as Error).message}`);
  }
  if (definition.kind === 'provider') {
    const provider = instance as Provider;
    if (!provider || provider.name !== name) {
      throw new StartupError(`plugin "${name}" (${definition.name}) must return a provider whose name is the instance name "${name}"`);
    }
    const t = context.settings.timeouts;
    registry.providers.set(name, {
      provider,
      timeouts: {
        firstTokenMs: secondsToMs(entry.timeouts?.firstToken) ?? t.firstTokenMs,
        stallMs: secondsToMs(entry.timeouts?.stall) ?? t.stallMs,
        attemptMs: secondsToMs(entry.timeouts?.attempt) ?? t.attemptMs,
      },
      limiter: entry.limits ? new ConcurrencyLimiter(name, entry.limits.maxConcurrent, entry.limits.maxQueue) : undefined,
      overflow: entry.limits?.overflow ?? 'fallback',
    });
    if (provider.close) registry.addCloser(name, () => provider.close!());
  } else if (definition.kind === 'cache') {
    registry.caches.push(instance as never);
  } else {
    registry.observers.push((instance ?? {}) as never);
  }
  log.info({ kind: definition.kind, module: entry.use }, `${name} loaded`);
}

function secondsToMs(value: number | undefined): number | undefined {
  return value === undefined ? undefined : Math.round(value * 1000);
}
