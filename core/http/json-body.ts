import type { Context } from 'koa';
import { InvalidRequestError } from '../errors/invalid-request-error.ts';
import { readJsonBody, type BodyLimit } from './read-json-body.ts';
import type { RouteHandler } from './route-table.ts';

declare module 'koa' {
  interface Request {
    /** The parsed JSON body of a route that takes one (json-body.ts). */
    body?: unknown;
  }
}

const JSON_TYPE = /^\s*application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/**
 * Wraps a route that takes a JSON body: the body is read (up to the limit, 413 beyond) and parsed only
 * once the route table has matched the path and method, so a wrong method is a 405 whatever the body, and
 * an unknown path a 404. A body without a JSON content type gets a 400 that says what to send.
 */
export function jsonBody(limit: BodyLimit): (handler: RouteHandler) => RouteHandler {
  return (handler) => (ctx: Context) => {
    if (!JSON_TYPE.test(ctx.req.headers['content-type'] ?? '')) {
      throw new InvalidRequestError('Send the request body as JSON with the header "Content-Type: application/json".');
    }
    return readJsonBody(ctx.req, limit).then((body) => {
      ctx.request.body = body;
      return handler(ctx);
    });
  };
}
