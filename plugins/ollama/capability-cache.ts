import type { Capabilities } from '../../core/index.ts';
import { capabilitiesFromShow } from './capabilities.ts';

/** How long an answer of `/api/show` is trusted; a model re-pulled under the same name may change. */
export const SHOW_ANSWER_TTL_MS = 10 * 60_000;
/** How long a failed `/api/show` keeps the pattern guess, so a down server is not asked on every request. */
export const SHOW_FAILURE_TTL_MS = 60_000;
const PRUNE_ABOVE = 500;

interface Entry {
  value: Promise<Capabilities>;
  expiresAt: number;
}

/**
 * Asks Ollama once per model and remembers: concurrent callers share one in-flight question, an answer
 * without a capability list (older Ollama) and a failure both fall back to the pattern guess — except
 * "no such model", which is passed on.
 */
export class CapabilityCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    /** The `/api/show` capability list, undefined when the server sent none; rejects on failure. */
    private readonly ask: (model: string) => Promise<string[] | undefined>,
    private readonly guess: (model: string) => Capabilities,
    private readonly now: () => number = Date.now,
  ) {}

  get(model: string): Promise<Capabilities> {
    const hit = this.entries.get(model);
    if (hit && hit.expiresAt > this.now()) return hit.value;
    if (this.entries.size > PRUNE_ABOVE) this.prune();
    const entry: Entry = { value: Promise.resolve(this.guess(model)), expiresAt: Number.POSITIVE_INFINITY };
    entry.value = this.ask(model).then(
      (list) => {
        entry.expiresAt = this.now() + SHOW_ANSWER_TTL_MS;
        return list ? capabilitiesFromShow(list) : this.guess(model);
      },
      (err: unknown) => {
        entry.expiresAt = this.now() + SHOW_FAILURE_TTL_MS;
        // A model the server does not have is no guess: the caller must hear model_not_found, not that
        // some capability is missing (the router lets the call itself give the 404).
        if ((err as { code?: unknown })?.code === 'model_not_found') throw err;
        return this.guess(model);
      },
    );
    this.entries.set(model, entry);
    return entry.value;
  }

  private prune(): void {
    const now = this.now();
    for (const [model, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(model);
  }
}
