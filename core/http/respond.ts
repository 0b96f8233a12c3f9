import type { Context } from 'koa';

/** Sends a JSON answer: one serialization, the content type set once. */
export function sendJson(ctx: Context, body: unknown, status = 200): void {
  ctx.status = status;
  ctx.type = 'application/json';
  ctx.body = JSON.stringify(body);
}
