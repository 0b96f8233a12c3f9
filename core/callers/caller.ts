import type { ModelAllowList } from './model-allow-list.ts';

/** The order of a caller's waiting requests in a capped provider's queue. */
export type Priority = 'high' | 'normal' | 'low';

export interface CallerLimits {
  /** Requests admitted per 60-second window. */
  readonly requestsPerMinute?: number;
  /** A request is admitted while the caller's tokens (prompt + completion of answers that ended) in the window are below this. */
  readonly tokensPerMinute?: number;
  /** Requests of this caller in flight at once. */
  readonly concurrent?: number;
}

/**
 * Who is calling, as far as the gateway knows: the name that logs, metrics and usage show (never the key),
 * and what the callers file lets it do. Immutable: a request keeps the caller it started with across a reload.
 */
export interface Caller {
  readonly name: string;
  /**
   * What the caller's cached answers and stored responses are kept under, so callers never see each
   * other's; undefined when the gateway is open (no keys at all).
   */
  readonly cacheScope: string | undefined;
  /** May read every caller's usage (and the console). */
  readonly admin: boolean;
  readonly priority: Priority;
  /** Never served by a cloud provider. */
  readonly localOnly: boolean;
  /** What it may use; undefined: everything. */
  readonly models: ModelAllowList | undefined;
  /** Undefined: no limits (the caller `default`). */
  readonly limits: CallerLimits | undefined;
  readonly budgetUsdPerDay: number | undefined;
}

/** The CONTRACT's caller `default`: the keys of `API_KEYS` / `GPU_API_KEY`, or anyone when the gateway is open. No limits. */
export const DEFAULT_CALLER: Caller = Object.freeze({
  name: 'default',
  cacheScope: undefined,
  admin: false,
  priority: 'normal',
  localOnly: false,
  models: undefined,
  limits: undefined,
  budgetUsdPerDay: undefined,
});

/** The caller `default` seen through one of its keys: callers with different keys never share cached answers. */
export function defaultCallerWithKey(keyScope: string): Caller {
  return { ...DEFAULT_CALLER, cacheScope: keyScope };
}

/** Whether the request needs a caller's admission at all (limits, budget, allow-list, policy). */
export function isRestricted(caller: Caller): boolean {
  return caller.limits !== undefined || caller.budgetUsdPerDay !== undefined || caller.models !== undefined || caller.localOnly;
}
