import type { Context } from 'koa';
import type { AttemptRecord, CacheResult, RequestEndEvent, Route } from '../../contracts/events.ts';
import type { Usage } from '../../contracts/openai.ts';
import { isGatewayError } from '../../errors/gateway-error.ts';
import type { Resolution } from '../../routing/model-resolver.ts';
import { RequestScope } from '../../routing/request-scope.ts';
import type { GatewayServices } from '../services.ts';

/** What a route learns while it serves a request, reported once at the end as `request.end`. */
export interface RequestOutcome {
  resolved?: string;
  provider?: string;
  model?: string;
  ttftMs?: number;
  usage?: Usage;
  cache?: CacheResult;
}

/**
 * Runs a model route inside a request scope: the scope's abort fires when the caller disconnects (so the
 * upstream call stops) or the deadline passes, and `request.start` / `request.end` frame the work whatever
 * way it ends. `serve` fills in the outcome as it learns it.
 */
export async function withRequestScope(
  ctx: Context,
  services: GatewayServices,
  route: Route,
  resolution: Resolution,
  stream: boolean,
  serve: (scope: RequestScope, outcome: RequestOutcome) => Promise<void>,
): Promise<void> {
  const { events, settings } = services;
  const scope = new RequestScope(ctx.state.requestId as string, settings.timeouts.requestMs);
  const onClose = () => {
    if (!ctx.res.writableFinished) scope.clientClose();
  };
  ctx.res.once('close', onClose);
  services.inFlight.add(scope);
  ctx.state.requestLogged = true;
  const start = { requestId: scope.requestId, route, requestedModel: resolution.requested, stream };
  events.emit('request.start', start);
  const outcome: RequestOutcome = {};
  let status = 200;
  let errorCode: string | undefined;
  try {
    await serve(scope, outcome);
  } catch (err) {
    status = isGatewayError(err) ? err.status : scope.clientClosed ? 499 : 500;
    errorCode = isGatewayError(err) ? err.code : undefined;
    throw err;
  } finally {
    services.inFlight.delete(scope);
    scope.finish();
    ctx.res.off('close', onClose);
    const alias = resolution.alias ? { alias: resolution.alias, target: outcome.resolved ?? 'none' } : undefined;
    const end: RequestEndEvent | undefined = events.has('request.end')
      ? // Every field written out: spreading `start` into a literal with this many more keys cost several
        // kilobytes of allocation per request (V8 grows the clone's property store key by key).
        {
          requestId: start.requestId,
          route,
          requestedModel: start.requestedModel,
          stream,
          requestedProvider: resolution.requestedProvider ?? 'alias',
          resolved: outcome.resolved,
          provider: outcome.provider,
          model: outcome.model,
          status: scope.clientClosed ? 499 : status,
          errorCode,
          durationMs: performance.now() - scope.startedAt,
          ttftMs: outcome.ttftMs,
          usage: outcome.usage,
          attempts: scope.attempts as AttemptRecord[],
          clientAborted: scope.clientClosed,
          cache: outcome.cache,
        }
      : undefined;
    const report = () => {
      if (alias) events.emit('alias.resolved', alias);
      if (end) events.emit('request.end', end);
    };
    // A whole answer (or an error) is written only after this function returns: metrics and the request
    // log hear of it once it is on its way, so the caller does not wait for the bookkeeping. A stream has
    // already been written; its report goes out at once.
    if (ctx.res.headersSent) report();
    else if (alias || end) setImmediate(report);
  }
}

/**
 * Reports a model request that was refused before it had a scope (an invalid body, an unknown alias), so
 * that the request log and the metrics see every request, not only the ones that reached a provider.
 */
export function reportRejected(ctx: Context, services: GatewayServices, route: Route, stream: boolean, err: unknown): void {
  const { events } = services;
  ctx.state.requestLogged = true;
  const body = ctx.request.body as { model?: unknown } | undefined;
  const requestedModel = typeof body?.model === 'string' ? body.model : '';
  const start = { requestId: ctx.state.requestId as string, route, requestedModel, stream };
  events.emit('request.start', start);
  events.emit('request.end', {
    requestId: start.requestId,
    route,
    requestedModel,
    stream,
    requestedProvider: 'unknown',
    status: isGatewayError(err) ? err.status : 500,
    errorCode: isGatewayError(err) ? err.code : undefined,
    durationMs: 0,
    attempts: [],
    clientAborted: false,
  });
}
