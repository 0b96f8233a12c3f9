import Koa from 'koa';
import { RouteNotFoundError } from '../errors/route-not-found-error.ts';
import { auth } from './auth.ts';
import { corsFromOrigins } from './cors.ts';
import { errorMiddleware } from './error-middleware.ts';
import { jsonBody } from './json-body.ts';
import { requestId } from './request-id.ts';
import { requestReport } from './request-report.ts';
import { RouteTable } from './route-table.ts';
import { listAliases } from './routes/aliases.ts';
import { chatCompletions } from './routes/chat-completions.ts';
import { embeddings } from './routes/embeddings.ts';
import { health, healthDetail } from './routes/health.ts';
import { getModel, listModels } from './routes/models.ts';
import { mountPluginRoutes } from './routes/plugin-routes.ts';
import { createResponse } from './routes/responses.ts';
import { deleteStoredResponse, getStoredResponse } from './routes/stored-responses.ts';
import { usageReport } from './routes/usage.ts';
import type { GatewayServices } from './services.ts';

/**
 * The HTTP surface, in the order a request meets it: request id (the typed context) → report (the request
 * log line or `request.end`) → error envelope → CORS → API key → route table (404 / 405 before any body
 * is read) → JSON body → route. The model routes then validate, resolve the model to a chain and hand
 * it to the router.
 */
export function createApp(services: GatewayServices): Koa {
  const { settings, log } = services;
  const app = new Koa({ proxy: true });
  app.silent = true;

  const json = jsonBody({ maxBytes: settings.maxBodyBytes, label: settings.maxBodySize });
  const routes = new RouteTable()
    .post('/v1/chat/completions', json(chatCompletions(services)))
    .post('/v1/embeddings', json(embeddings(services)))
    .post('/v1/responses', json(createResponse(services)))
    .get('/v1/responses/*id', getStoredResponse(services))
    .delete('/v1/responses/*id', deleteStoredResponse(services))
    .get('/v1/models', listModels(services))
    .get('/v1/models/*id', getModel(services))
    .get('/v1/aliases', listAliases(services))
    .get('/v1/usage', usageReport(services))
    .get('/v1/health', healthDetail(services))
    .get('/health', health(services));
  mountPluginRoutes(routes, services.registry.routes, services.callers);

  app.use(requestId());
  app.use(requestReport(services.events, log.child({ component: 'access' })));
  app.use(errorMiddleware(log));
  app.use(corsFromOrigins(settings.corsOrigins));
  app.use(auth(services.callers, services.registry.routes.filter((r) => r.public).map((r) => r.path)));
  app.use(routes.middleware());
  app.use((ctx) => {
    throw new RouteNotFoundError(ctx.method, ctx.path);
  });
  return app;
}
