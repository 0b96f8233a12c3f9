import type { CoreEventName, CoreEvents, EventBus } from '../contracts/events.ts';

type Listener = (payload: never) => void;

/**
 * A synchronous, typed event bus. A listener that throws is reported through `onListenerError` and never
 * reaches the request that emitted the event: a metrics bug must not fail an answer.
 */
export function createEventBus(onListenerError: (event: string, err: unknown) => void): EventBus {
  const listeners = new Map<CoreEventName, Listener[]>();

  return {
    on(event, listener) {
      const list = listeners.get(event) ?? [];
      list.push(listener as Listener);
      listeners.set(event, list);
      return () => {
        const current = listeners.get(event);
        if (current) listeners.set(event, current.filter((l) => l !== listener));
      };
    },
    emit<E extends CoreEventName>(event: E, payload: CoreEvents[E]) {
      const list = listeners.get(event);
      if (!list) return;
      for (const listener of list) {
        try {
          (listener as (p: CoreEvents[E]) => void)(payload);
        } catch (err) {
          onListenerError(event, err);
        }
      }
    },
    has(event) {
      const list = listeners.get(event);
      return list !== undefined && list.length > 0;
    },
  };
}
