import type { Route } from '../contracts/events.ts';
import type { GatewayError } from '../errors/gateway-error.ts';
import type { Resolution } from '../routing/model-resolver.ts';
import type { RequestOutcome } from '../routing/request-outcome.ts';
import type { RequestScope } from '../routing/request-scope.ts';

/** Who is calling, as far as the gateway knows: the name logs and metrics show, never the key. */
export interface Caller {
  readonly name: string;
  /** A digest of the presented key, so callers with different keys do not share cached answers; undefined when the gateway is open. */
  readonly cacheScope: string | undefined;
}

/** The caller of a gateway without keys, and of a key from `API_KEYS` (the CONTRACT's caller `default`). */
export const DEFAULT_CALLER: Caller = Object.freeze({ name: 'default', cacheScope: undefined });

/**
 * A model request (chat, embeddings) from the moment its route takes it: what the request log and the
 * metrics report when it ends, whichever way it ends (refused by validation, answered, cut).
 */
export interface ModelRequest {
  readonly route: Route;
  readonly stream: boolean;
  /** As the caller named it, then (once resolved) the default that stood in for a missing one. */
  requestedModel: string;
  readonly startedAt: number;
  /** Set once the model is resolved: the alias object itself and its chain. */
  resolution?: Resolution;
  /** Set while the request is served: its deadline, abort and attempt log. */
  scope?: RequestScope;
  readonly outcome: RequestOutcome;
}

/**
 * The typed per-request context (in the spirit of Hono's `c.var`), set by the middlewares in the order a
 * request meets them and read by the later ones: no untyped `ctx.state`, no flags between middlewares.
 */
export interface RequestVars {
  readonly requestId: string;
  /** Set by the key check (the default caller when the gateway is open). */
  caller: Caller;
  /** Set by a model route; a request without it is reported by the access line instead. */
  model?: ModelRequest;
  /** The error the error middleware rendered. */
  error?: GatewayError;
}

declare module 'koa' {
  interface ExtendableContext {
    vars: RequestVars;
  }
}
