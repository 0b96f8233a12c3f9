import type { CacheResult } from '../contracts/events.ts';
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
  /** An answer that failed after it began (a stream cut after its first chunk): what the log reports as its status. */
  error?: GatewayError;
}
