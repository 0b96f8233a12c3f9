import type { CacheResult, TraceIds } from '../contracts/events.ts';
import type { Usage } from '../contracts/openai.ts';
import type { GatewayError } from '../errors/gateway-error.ts';

/** What serving one model request produced, filled in as it is learned and reported once at its end. */
export interface RequestOutcome {
  /** `provider/model` of the entry that answered (or of the cached answer). */
  resolved?: string;
  provider?: string;
  model?: string;
  /** Streams: from the request's arrival to its first chunk. */
  ttftMs?: number;
  /** The provider's own counts, as it reported them. */
  usage?: Usage;
  cache?: CacheResult;
  /** What the answer cost (0 for a cache hit or a local model), nano-dollars; undefined when its model has no price. */
  costNanoUsd?: number;
  /** A cache hit: what the answer would have cost upstream, nano-dollars. */
  savedNanoUsd?: number;
  /** Set once the cost is worked out, so it is worked out once. */
  priced?: boolean;
  /** The ids a tracing observer gave the request, for its log line. */
  trace?: TraceIds;
  /** An answer that failed after it began (a stream cut after its first chunk): what the log reports as its status. */
  error?: GatewayError;
}
