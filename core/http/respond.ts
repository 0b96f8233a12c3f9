import type { Context } from 'koa';

/** Sends a JSON answer: one serialization, the content type set once. */
export function sendJson(ctx: Context, body: unknown, status = 200): void {
  sendJsonText(ctx, JSON.stringify(body), status);
}

/** Sends JSON that is already serialized (a Response whose text is also what the store keeps). */
export function sendJsonText(ctx: Context, json: string, status = 200): void {
  ctx.status = status;
  ctx.type = 'application/json';
  ctx.body = json;
}
