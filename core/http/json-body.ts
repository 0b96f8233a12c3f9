import type { Middleware } from 'koa';
import { HttpMethodEnum, koaBody } from 'koa-body';
import { InvalidRequestError } from '../errors/invalid-request-error.ts';

/**
 * Parses JSON bodies of POST requests up to `maxBytes` (413 beyond). A POST without a JSON content type
 * gets a 400 that says what to send, rather than being read as an empty body.
 */
export function jsonBody(maxBytes: number): Middleware {
  const parse = koaBody({
    json: true,
    urlencoded: false,
    text: false,
    multipart: false,
    jsonLimit: maxBytes,
    jsonStrict: true,
    parsedMethods: [HttpMethodEnum.POST],
    onError: (err) => {
      throw err;
    },
  });
  return async (ctx, next) => {
    if (ctx.method !== 'POST') return next();
    if (!ctx.is('application/json', '+json')) {
      throw new InvalidRequestError('Send the request body as JSON with the header "Content-Type: application/json".');
    }
    return parse(ctx, next);
  };
}
