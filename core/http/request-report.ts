import type { Context, Middleware } from 'koa';
import type { EventBus, RequestEndEvent } from '../contracts/events.ts';
import type { Logger } from '../log/logger.ts';
import type { ModelRequest } from './request-vars.ts';

/**
 * Reports every request once, when it is over, whatever way it ended: a model request (its route set
 * `ctx.vars.model`) as `request.end` (and `alias.resolved`), which the request log and the metrics hear;
 * any other request (a 401, an unknown route, the listing and health routes) as an access line — errors
 * at info, the rest at debug so that health checks do not flood the log. It sits outside the error
 * middleware, so the status it reports is the one the caller got.
 */
export function requestReport(events: EventBus, accessLog: Logger): Middleware {
  return async (ctx, next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      const model = ctx.vars.model;
      if (model) reportModelRequest(ctx, events, model);
      else writeAccessLine(ctx, accessLog, started);
    }
  };
}

function reportModelRequest(ctx: Context, events: EventBus, model: ModelRequest): void {
  const { outcome, scope, resolution } = model;
  const clientAborted = scope?.clientClosed ?? false;
  const error = outcome.error ?? ctx.vars.error;
  const alias = resolution?.alias ? { alias: resolution.alias.name, target: outcome.resolved ?? 'none' } : undefined;
  const end: RequestEndEvent | undefined = events.has('request.end')
    ? // Every field written out: spreading another object into a literal with this many keys cost
      // several kilobytes of allocation per request (V8 grows the clone's property store key by key).
      {
        requestId: ctx.vars.requestId,
        caller: ctx.vars.caller.name,
        route: model.route,
        requestedModel: model.requestedModel,
        stream: model.stream,
        requestedProvider: resolution ? (resolution.requestedProvider ?? 'alias') : 'unknown',
        resolved: outcome.resolved,
        provider: outcome.provider,
        model: outcome.model,
        status: clientAborted ? 499 : (outcome.error?.status ?? ctx.status),
        errorCode: error?.code,
        durationMs: performance.now() - model.startedAt,
        ttftMs: outcome.ttftMs,
        usage: outcome.usage,
        attempts: scope?.attempts ?? [],
        clientAborted,
        cache: outcome.cache,
        costUsd: outcome.costNanoUsd === undefined ? undefined : outcome.costNanoUsd / 1e9,
        savedUsd: outcome.savedNanoUsd === undefined ? undefined : outcome.savedNanoUsd / 1e9,
        trace: outcome.trace,
      }
    : undefined;
  if (!alias && !end) return;
  const report = () => {
    if (alias) events.emit('alias.resolved', alias);
    if (end) events.emit('request.end', end);
  };
  // A whole answer (or an error) is written only after the middlewares return: metrics and the request
  // log hear of it once it is on its way, so the caller does not wait for the bookkeeping. A stream has
  // already been written; its report goes out at once.
  if (ctx.res.headersSent) report();
  else setImmediate(report);
}

function writeAccessLine(ctx: Context, log: Logger, started: number): void {
  const status = ctx.vars.error?.status ?? ctx.status;
  const level = status >= 400 ? 'info' : 'debug';
  if (!log.isLevelEnabled(level)) return;
  const line = { requestId: ctx.vars.requestId, method: ctx.method, path: ctx.path, status, durationMs: Math.round((performance.now() - started) * 10) / 10 };
  log[level](line, `${ctx.method} ${ctx.path} ${status}`);
}
