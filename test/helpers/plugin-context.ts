import { createEventBus } from '../../core/events/event-bus.ts';
import { createLogger } from '../../core/log/logger.ts';
import type { PluginContext, PluginRoute } from '../../core/plugin/define-plugin.ts';
import { gatewayView } from '../../core/gateway-view.ts';

/** A real plugin context for tests that create a plugin instance directly, without a gateway around it. */
export function testPluginContext(name: string): PluginContext & { routes: PluginRoute[]; close(): Promise<void> } {
  const closers: Array<() => Promise<void> | void> = [];
  const routes: PluginRoute[] = [];
  return {
    name,
    log: createLogger((process.env.TEST_LOG_LEVEL as 'debug') ?? 'silent').child({ plugin: name }),
    events: createEventBus((event, err) => {
      throw new Error(`listener of ${event} failed: ${String(err)}`);
    }),
    onClose: (closer) => void closers.push(closer),
    addRoute: (route) => void routes.push(route),
    gateway: gatewayView('test-replica', () => undefined),
    routes,
    /** Runs the registered closers once, newest first, as the gateway's shutdown does. */
    async close() {
      for (const closer of closers.splice(0).reverse()) await closer();
    },
  };
}
