import type { Middleware } from 'koa';
import { InvalidRequestError } from '../errors/invalid-request-error.ts';
import { readJsonBody, type BodyLimit } from './read-json-body.ts';

declare module 'koa' {
  interface Request {
    /** The parsed JSON body of a POST (json-body.ts). */
    body?: unknown;
  }
}

const JSON_TYPE = /^\s*application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/**
 * Parses JSON bodies of POST requests up to the limit (413 beyond). A POST without a JSON content type
 * gets a 400 that says what to send, rather than being read as an empty body.
 */
export function jsonBody(limit: BodyLimit): Middleware {
  return (ctx, next) => {
    if (ctx.method !== 'POST') return next();
    if (!JSON_TYPE.test(ctx.req.headers['content-type'] ?? '')) {
      throw new InvalidRequestError('Send the request body as JSON with the header "Content-Type: application/json".');
    }
    return readJsonBody(ctx.req, limit).then((body) => {
      ctx.request.body = body;
      return next();
    });
  };
}
