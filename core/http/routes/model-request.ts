import type { Context } from 'koa';
import { formatUsd } from '../../callers/accounting.ts';
import type { RequestStartEvent, Route } from '../../contracts/events.ts';
import type { Resolution } from '../../routing/model-resolver.ts';
import { RequestScope } from '../../routing/request-scope.ts';
import { COST_HEADER } from '../headers.ts';
import type { ModelRequest } from '../request-vars.ts';
import type { GatewayServices } from '../services.ts';

/** A model request being served: resolved, with its scope. */
export interface ServedRequest extends ModelRequest {
  readonly resolution: Resolution;
  readonly scope: RequestScope;
}

/**
 * Marks the request as a model request the moment its route takes it (before validation, so a refused
 * body is reported like an answered one) and announces `request.start`.
 */
export function beginModelRequest(ctx: Context, services: GatewayServices, route: Route): ModelRequest {
  const body = ctx.request.body as Record<string, unknown> | undefined;
  const model: ModelRequest = {
    route,
    stream: body?.stream === true,
    requestedModel: typeof body?.model === 'string' ? body.model : '',
    startedAt: performance.now(),
    outcome: {},
  };
  ctx.vars.model = model;
  const { events } = services;
  if (!events.has('request.start')) return model;
  const start = requestStart(ctx, route, model, body);
  events.emit('request.start', start);
  if (start.trace) model.outcome.trace = start.trace;
  return model;
}

function requestStart(ctx: Context, route: Route, model: ModelRequest, body: Record<string, unknown> | undefined): RequestStartEvent {
  const { traceparent, tracestate } = ctx.req.headers;
  const maxTokens = body?.max_completion_tokens ?? body?.max_tokens ?? body?.max_output_tokens;
  return {
    requestId: ctx.vars.requestId,
    route,
    requestedModel: model.requestedModel,
    stream: model.stream,
    traceparent: typeof traceparent === 'string' ? traceparent : undefined,
    tracestate: typeof tracestate === 'string' ? tracestate : undefined,
    maxTokens: typeof maxTokens === 'number' ? maxTokens : undefined,
    temperature: typeof body?.temperature === 'number' ? body.temperature : undefined,
    body,
  };
}

/**
 * Serves a resolved model request inside its scope: the scope's abort fires when the caller disconnects
 * (so the upstream call stops) or the deadline passes, and a shutdown can wait for it or cut it. The
 * request report (request-report.ts) tells of it when it is over.
 */
export async function serveModelRequest(
  ctx: Context,
  services: GatewayServices,
  model: ModelRequest,
  resolution: Resolution,
  serve: (served: ServedRequest) => Promise<void>,
): Promise<void> {
  model.resolution = resolution;
  model.requestedModel = resolution.requested;
  const { caller } = ctx.vars;
  // The caller's own refusals (model, budget, limits) come before anything else can happen upstream.
  const endClaim = await services.admission.admit(caller, resolution);
  const scope = new RequestScope(ctx.vars.requestId, services.settings.timeouts.requestMs, model.outcome, model.startedAt, caller);
  model.scope = scope;
  if (model.route === 'embeddings') scope.operation = 'embeddings';
  const onClose = () => {
    if (!ctx.res.writableFinished) scope.clientClose();
  };
  ctx.res.once('close', onClose);
  services.inFlight.add(scope);
  try {
    await serve(model as ServedRequest);
    // A whole answer is still unsent here: its cost can go in a header. A stream's is booked at its end.
    if (!ctx.res.headersSent) {
      services.accounting.price(model.outcome);
      if (model.outcome.costNanoUsd !== undefined) ctx.set(COST_HEADER, formatUsd(model.outcome.costNanoUsd));
    }
  } finally {
    services.inFlight.delete(scope);
    scope.finish();
    ctx.res.off('close', onClose);
    endClaim();
    services.accounting.book(caller, model.outcome);
  }
}
