import type { CacheResult, EventBus } from '../contracts/events.ts';
import type { ChatCompletion, EmbeddingResponse } from '../contracts/openai.ts';
import type { ResponseCache } from '../contracts/response-cache.ts';
import type { Logger } from '../log/logger.ts';
import type { CallerCacheControl } from './cache-control.ts';
import { cacheKey } from './cache-key.ts';
import { withDeadline } from './with-deadline.ts';

export type StoredAnswer =
  | { v: 1; kind: 'chat'; resolved: string; completion: ChatCompletion }
  | { v: 1; kind: 'embeddings'; resolved: string; response: EmbeddingResponse };

export interface CacheSettings {
  ttlSeconds: number;
  /** Whether callers with different gateway API keys may share entries. */
  shareAcrossKeys: boolean;
}

/** What the cache will do for one request. */
export interface CachePlan {
  key: string;
  lookup: boolean;
  store: boolean;
  ttlSeconds: number;
}

export interface PlanInput {
  route: 'chat' | 'embeddings';
  chain: readonly string[];
  body: Record<string, unknown>;
  /** A digest of the caller's API key, or undefined when the gateway is open. */
  callerScope: string | undefined;
  control: CallerCacheControl;
  /** The alias's own TTL; 0 turns caching off for it. */
  aliasTtlSeconds?: number;
}

/** A lookup slower than this is given up (the plugin has its own, shorter, command timeout). */
const LOOKUP_DEADLINE_MS = 1000;

/**
 * The response cache as the request path sees it: which key, whether to look up and to store, and the
 * lookups and stores themselves — which never fail a request. A store that is down counts as `error`, the
 * answer is served uncached, and stores happen after the answer is on its way.
 */
export class AnswerCache {
  constructor(
    private readonly store: ResponseCache | undefined,
    private readonly settings: CacheSettings,
    private readonly events: EventBus,
    private readonly log: Logger,
  ) {}

  get enabled(): boolean {
    return this.store !== undefined;
  }

  plan(input: PlanInput): CachePlan | undefined {
    if (!this.store) return undefined;
    const ttlSeconds = input.aliasTtlSeconds ?? this.settings.ttlSeconds;
    const off = ttlSeconds <= 0;
    const scope = this.settings.shareAcrossKeys || input.callerScope === undefined ? 'shared' : input.callerScope;
    return {
      key: cacheKey({ route: input.route, chain: input.chain, scope, body: input.body }),
      lookup: !off && !input.control.skipLookup,
      store: !off && !input.control.skipStore,
      ttlSeconds,
    };
  }

  /** Looks the plan up (when it says so), reports the result as a `cache.result` event, and returns it. */
  async lookup(plan: CachePlan, requestId: string): Promise<{ result: CacheResult; answer?: StoredAnswer }> {
    const report = (result: CacheResult) => this.events.emit('cache.result', { requestId, result });
    if (!plan.lookup || !this.store) {
      report('bypass');
      return { result: 'bypass' };
    }
    try {
      const value = await withDeadline(this.store.get(plan.key), LOOKUP_DEADLINE_MS, 'the cache lookup');
      if (value === undefined) {
        report('miss');
        return { result: 'miss' };
      }
      const answer = JSON.parse(value) as StoredAnswer;
      report('hit');
      return { result: 'hit', answer };
    } catch (err) {
      this.log.debug({ requestId, err: (err as Error).message }, 'cache lookup failed; answering uncached');
      report('error');
      return { result: 'error' };
    }
  }

  /** Stores an answer given as already-serialized JSON pieces; never awaited by the request. */
  save(plan: CachePlan, kind: StoredAnswer['kind'], resolved: string, serializedAnswer: string): void {
    if (!plan.store || !this.store) return;
    const field = kind === 'chat' ? 'completion' : 'response';
    const value = `{"v":1,"kind":${JSON.stringify(kind)},"resolved":${JSON.stringify(resolved)},"${field}":${serializedAnswer}}`;
    this.store.set(plan.key, value, plan.ttlSeconds).catch((err: Error) => this.log.debug({ err: err.message }, 'cache store failed'));
  }
}
