import type { Usage } from '../contracts/openai.ts';
import type { UsageLedger } from '../contracts/usage-ledger.ts';
import type { Logger } from '../log/logger.ts';
import type { RequestOutcome } from '../routing/request-outcome.ts';
import type { Caller } from './caller.ts';
import type { CallerLimits } from './caller-limits.ts';
import { ledgerCall } from './ledger-call.ts';
import { utcDay } from './utc-day.ts';

/** What the price table answers: the cost of a model's counts, in nano-dollars. */
export interface Pricing {
  /** 0 for a local provider; undefined when the model has no price (then it has no cost at all). */
  costNanoUsd(resolved: string, provider: string, usage: Usage): number | undefined;
}

const LEDGER_DEADLINE_MS = 1000;

/**
 * Prices what a request used and books it, once, when the request is over: its cost (or, for a cache
 * hit, what the hit saved) from the provider's own counts — the same counts give the same cost whether
 * they came from a stream's last chunk or a whole answer — the caller's row of the usage ledger, and its
 * tokens per minute. A ledger that is down costs the request nothing (the row is logged as lost).
 */
export class Accounting {
  constructor(
    private readonly pricing: Pricing,
    private readonly ledger: () => UsageLedger,
    private readonly limits: CallerLimits,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** Sets `costNanoUsd` / `savedNanoUsd` on the outcome (once) from its usage and the model that answered. */
  price(outcome: RequestOutcome): void {
    if (outcome.priced || outcome.resolved === undefined || outcome.provider === undefined) return;
    outcome.priced = true;
    const value = outcome.usage ? this.pricing.costNanoUsd(outcome.resolved, outcome.provider, outcome.usage) : undefined;
    if (value === undefined) return;
    if (outcome.cache === 'hit') {
      outcome.costNanoUsd = 0;
      outcome.savedNanoUsd = value;
    } else {
      outcome.costNanoUsd = value;
    }
  }

  /** Books an answered request (one that a model, or the cache, answered) to its caller. */
  book(caller: Caller, outcome: RequestOutcome): void {
    const model = outcome.resolved;
    if (model === undefined) return;
    this.price(outcome);
    const hit = outcome.cache === 'hit';
    const usage = hit ? undefined : outcome.usage;
    const prompt = usage?.prompt_tokens ?? 0;
    const completion = usage?.completion_tokens ?? 0;
    const counts = {
      requests: 1,
      promptTokens: prompt,
      completionTokens: completion,
      cachedTokens: usage?.prompt_tokens_details?.cached_tokens ?? 0,
      costNanoUsd: outcome.costNanoUsd ?? 0,
      cacheHits: hit ? 1 : 0,
      savedNanoUsd: outcome.savedNanoUsd ?? 0,
    };
    const ledger = this.ledger();
    ledgerCall(ledger, ledger.add(utcDay(this.now()), caller.name, model, counts), LEDGER_DEADLINE_MS).catch((err: Error) => {
      this.log.warn({ caller: caller.name, model, ...counts, err: err.message }, 'usage not recorded: the usage ledger did not take it');
    });
    if (caller.limits?.tokensPerMinute === undefined) return;
    this.limits.countTokens(caller, prompt + completion).catch((err: Error) => {
      this.log.warn({ caller: caller.name, err: err.message }, 'tokens not counted against the caller\'s limit');
    });
  }
}

/** A cost as the `X-Mana-LLM-Cost` header shows it: decimal USD, never in exponent notation (`0.000123`). */
export function formatUsd(nanoUsd: number): string {
  const whole = Math.floor(nanoUsd / 1e9);
  const fraction = String(Math.round(nanoUsd - whole * 1e9)).padStart(9, '0').replace(/0+$/, '');
  return fraction === '' ? String(whole) : `${whole}.${fraction}`;
}
