import type { IncomingMessage } from 'node:http';
import type { EventBus } from '../contracts/events.ts';
import type { Provider } from '../contracts/provider.ts';
import type { ResponseCache } from '../contracts/response-cache.ts';
import type { SharedState } from '../contracts/shared-state.ts';
import type { UsageLedger } from '../contracts/usage-ledger.ts';
import type { Logger } from '../log/logger.ts';
import type { AliasOutlook } from '../routing/chain-outlook.ts';

/**
 * The plugin API this core speaks, as a semantic version. A plugin declares the range it was written for
 * (`apiVersion: '^2'`, as `fastify-plugin` declares a Fastify range) and the loader refuses one whose range
 * this version does not satisfy. Major 2: capability lookups take a lookup context instead of a signal,
 * and `ctx.onClose` is the only way to release resources.
 */
export const PLUGIN_API_VERSION = '2.4.0';

/** The range `definePlugin` stamps on a plugin that declares none: the major it was compiled against. */
const OWN_RANGE = `^${PLUGIN_API_VERSION.split('.')[0]}`;

/** An observer subscribes to events (and may add routes) in `create`; it has nothing to hand back. */
export type Observer = Record<string, never>;

export interface PluginInstances {
  provider: Provider;
  cache: ResponseCache;
  /** A shared usage ledger (per day, caller and model), used instead of the process's own. */
  usage: UsageLedger;
  observer: Observer | void;
  /** What replicas count together (circuits, leases, callers' limits); the first one serves. */
  'shared-state': SharedState;
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
  /**
   * What the route shows is everyone's (the console's data): with a callers file in force, only an
   * `admin` caller may read it (others get a 403); without one, any key of the gateway may.
   */
  admin?: boolean;
  handler(request: IncomingMessage): Promise<PluginRouteResult> | PluginRouteResult;
}

/** A read-only view of the running gateway, for observers (bounded metric labels, initial gauges). */
export interface GatewayView {
  /** Every provider the profile names, with whether it is configured and healthy now. */
  providers(): Array<{ name: string; configured: boolean; healthy: boolean }>;
  /** The alias names in force now (they change on SIGHUP); the same array until they do. */
  aliasNames(): string[];
  /** This process among the gateway's replicas (`REPLICA_ID`, else `<hostname>-<pid>`); known from the start. */
  readonly replica: string;
  /** Every provider of the profile in detail (as `/v1/health` shows it, times in epoch ms), with its slots when capped. */
  providerStates(): ProviderState[];
  /** `shared` while the replicas' common store answers; `local` when there is none or it is away. */
  stateMode(): 'shared' | 'local';
  /** Every alias, with what each entry of its chain would do for a request arriving now. */
  aliasOutlook(): AliasOutlook[];
}

export interface ProviderState {
  name: string;
  configured: boolean;
  /** Served on the operator's own hardware (`local: true` in the profile). */
  local: boolean;
  healthy: boolean;
  state: 'closed' | 'open' | 'half_open' | 'unconfigured';
  consecutiveFailures: number;
  lastError: string | null;
  unhealthyUntil: number | null;
  lastProbeAt: number | null;
  /** A capped provider's requests in flight and waiting in this process. */
  slots?: { inFlight: number; max: number; queued: number; maxQueue: number };
}

export interface PluginContext {
  /** The instance name from the profile (`groq`); one plugin module may run under several names. */
  name: string;
  /** A child logger bound to `{plugin: name}`. */
  log: Logger;
  events: EventBus;
  /**
   * The one way to release what the instance holds (pools, connections, subscriptions): closers run once,
   * at shutdown (or when a later plugin fails to start), in the reverse order of plugin creation.
   */
  onClose(closer: () => Promise<void> | void): void;
  addRoute(route: PluginRoute): void;
  /** Answers once the gateway is assembled (after every plugin was created); empty before that. */
  gateway: GatewayView;
}

export interface PluginDefinition<K extends PluginKind = PluginKind, Options = Record<string, unknown>> {
  /** The module's own name, used in messages (`openai-compat`). */
  name: string;
  kind: K;
  /**
   * The plugin API versions this plugin works with, as a semver range (`^2`). A bare number `n` means
   * `^n`. `definePlugin` fills in the major of the core it was compiled against.
   */
  apiVersion?: string | number;
  /** JSON Schema of the options; checked with ajv at start (strings from `${VAR}` are coerced to numbers and booleans). */
  optionsSchema: Record<string, unknown>;
  /**
   * Why these options leave the plugin unconfigured (a missing API key), or `undefined` when it can run.
   * An unconfigured plugin is skipped at start (a provider is reported as `configured: false`).
   */
  unconfigured?(options: Options): string | undefined;
  create(context: PluginContext, options: Options): PluginInstances[K] | Promise<PluginInstances[K]>;
}

/** Declares a plugin; the identity function with the types filled in and the API version range stamped. */
export function definePlugin<K extends PluginKind, Options = Record<string, unknown>>(
  definition: PluginDefinition<K, Options>,
): PluginDefinition<K, Options> & { apiVersion: string | number } {
  return { ...definition, apiVersion: definition.apiVersion ?? OWN_RANGE };
}
