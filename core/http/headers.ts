/** The response headers the gateway adds: which model answered, and what the cache did. */
export const RESOLVED_HEADER = 'X-Mana-LLM-Resolved';
export const CACHE_HEADER = 'X-Mana-LLM-Cache';
