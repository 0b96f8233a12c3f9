import type { Middleware } from 'koa';
import type { Logger } from '../log/logger.ts';

/**
 * One line for every request that no model route logged itself (a 401, an unknown route, the listing and
 * health routes): errors at info, the rest at debug so that health checks do not flood the log.
 */
export function accessLog(log: Logger): Middleware {
  return async (ctx, next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      if (!ctx.state.requestLogged) {
        const status = (ctx.state.error as { status?: number } | undefined)?.status ?? ctx.status;
        const line = { requestId: ctx.state.requestId, method: ctx.method, path: ctx.path, status, durationMs: Math.round((performance.now() - started) * 10) / 10 };
        if (status >= 400) log.info(line, `${ctx.method} ${ctx.path} ${status}`);
        else log.debug(line, `${ctx.method} ${ctx.path} ${status}`);
      }
    }
  };
}
