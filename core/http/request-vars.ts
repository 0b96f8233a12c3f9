import type { Caller } from '../callers/caller.ts';
import type { Route } from '../contracts/events.ts';
import type { GatewayError } from '../errors/gateway-error.ts';
import type { Resolution } from '../routing/model-resolver.ts';
import type { RequestOutcome } from '../routing/request-outcome.ts';
import type { RequestScope } from '../routing/request-scope.ts';

export type { Caller } from '../callers/caller.ts';
export { DEFAULT_CALLER } from '../callers/caller.ts';

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
