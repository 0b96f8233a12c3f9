/** The response headers the gateway adds: which model answered, what the cache did, and what it cost. */
export const RESOLVED_HEADER = 'X-Mana-LLM-Resolved';
export const CACHE_HEADER = 'X-Mana-LLM-Cache';
/** What a whole answer cost in USD (decimal), when its model has a price. */
export const COST_HEADER = 'X-Mana-LLM-Cost';
