import type { IncomingMessage } from 'node:http';
import type { EventBus } from '../contracts/events.ts';
import type { Provider } from '../contracts/provider.ts';
import type { ResponseCache } from '../contracts/response-cache.ts';
import type { Logger } from '../log/logger.ts';

/** The plugin API this core speaks. A plugin that declares another version is refused at start. */
export const PLUGIN_API_VERSION = 1;

/** An observer (metrics, logs) subscribes to events in `create`; it may hand back a closer. */
export interface Observer {
  close?(): Promise<void> | void;
}

export interface PluginInstances {
  provider: Provider;
  cache: ResponseCache;
  observer: Observer;
}

export type PluginKind = keyof PluginInstances;

export interface PluginRouteResult {
  status?: number;
  headers?: Record<string, string>;
  body: string | Buffer;
}

/** A route a plugin adds to the gateway's HTTP surface, such as `GET /metrics`. */
export interface PluginRoute {
  method: 'GET' | 'POST';
  path: string;
  /**
   * Skip the gateway's API-key check for this route (the plugin may check its own credential, as the
   * metrics plugin does with its own token). Default: the route needs a gateway key like every other.
   */
  public?: boolean;
  handler(request: IncomingMessage): Promise<PluginRouteResult> | PluginRouteResult;
}

/** A read-only view of the running gateway, for observers (bounded metric labels, initial gauges). */
export interface GatewayView {
  /** Every provider the profile names, with whether it is configured and healthy now. */
  providers(): Array<{ name: string; configured: boolean; healthy: boolean }>;
  /** The alias names in force now (they change on SIGHUP); the same array until they do. */
  aliasNames(): string[];
}

export interface PluginContext {
  /** The instance name from the profile (`groq`); one plugin module may run under several names. */
  name: string;
  /** A child logger bound to `{plugin: name}`. */
  log: Logger;
  events: EventBus;
  /** Runs at shutdown, in the reverse order of plugin creation. */
  onClose(closer: () => Promise<void> | void): void;
  addRoute(route: PluginRoute): void;
  /** Answers once the gateway is assembled (after every plugin was created); empty before that. */
  gateway: GatewayView;
}

export interface PluginDefinition<K extends PluginKind = PluginKind, Options = Record<string, unknown>> {
  /** The module's own name, used in messages (`openai-compat`). */
  name: string;
  kind: K;
  /** Defaults to the `PLUGIN_API_VERSION` of the core the plugin was written against. */
  apiVersion?: number;
  /** JSON Schema of the options; checked with ajv at start (strings from `${VAR}` are coerced to numbers and booleans). */
  optionsSchema: Record<string, unknown>;
  /**
   * Why these options leave the plugin unconfigured (a missing API key), or `undefined` when it can run.
   * An unconfigured provider is skipped at start and reported as `configured: false`.
   */
  unconfigured?(options: Options): string | undefined;
  create(context: PluginContext, options: Options): PluginInstances[K] | Promise<PluginInstances[K]>;
}

/** Declares a plugin; the identity function with the types filled in and the API version stamped. */
export function definePlugin<K extends PluginKind, Options = Record<string, unknown>>(
  definition: PluginDefinition<K, Options>,
): PluginDefinition<K, Options> & { apiVersion: number } {
  return { ...definition, apiVersion: definition.apiVersion ?? PLUGIN_API_VERSION };
}
