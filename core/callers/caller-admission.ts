import type { EventBus } from '../contracts/events.ts';
import type { UsageLedger } from '../contracts/usage-ledger.ts';
import { BudgetExceededError } from '../errors/budget-exceeded-error.ts';
import { CallerLimitError, type CallerLimit } from '../errors/caller-limit-error.ts';
import { ModelNotAllowedError } from '../errors/model-not-allowed-error.ts';
import type { Logger } from '../log/logger.ts';
import type { Resolution } from '../routing/model-resolver.ts';
import { isRestricted, type Caller } from './caller.ts';
import type { CallerLimits } from './caller-limits.ts';
import { ledgerCall } from './ledger-call.ts';
import { secondsToNextUtcDay, utcDay } from './utc-day.ts';

/** How long a budget check may wait for a shared ledger before the request goes on without it. */
const LEDGER_DEADLINE_MS = 250;

/**
 * Whether a caller may send this request, decided before anything goes upstream: the model or alias is
 * on its `models` list, it is not a cloud model for a `localOnly` caller (nor an alias with nothing
 * local in it), the day's budget is not spent, and its limits have room. Each refusal is the CONTRACT's
 * error (403 `model_not_allowed`, 429 `budget_exceeded`, 429 `rate_limited` naming the limit) and a
 * `caller.rejected` event. A ledger that cannot answer in time never refuses a request.
 */
export class CallerAdmission {
  constructor(
    private readonly limits: CallerLimits,
    private readonly ledger: () => UsageLedger,
    private readonly isLocal: (provider: string) => boolean,
    private readonly events: EventBus,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** Admits the request, or throws its refusal. The returned function ends its claim on the caller's limits. */
  async admit(caller: Caller, resolution: Resolution): Promise<() => void> {
    if (!isRestricted(caller)) return noop;
    try {
      this.checkModel(caller, resolution);
      await this.checkBudget(caller);
      return await this.limits.admit(caller);
    } catch (err) {
      const limit = refusedLimit(err);
      if (limit) this.events.emit('caller.rejected', { caller: caller.name, limit });
      throw err;
    }
  }

  /** The model part alone: also what `GET /v1/models` lists for the caller. */
  allows(caller: Caller, name: string, providers: readonly string[]): boolean {
    if (caller.models && !caller.models.allows(name)) return false;
    if (caller.localOnly && !providers.some((p) => this.isLocal(p))) return false;
    return true;
  }

  private checkModel(caller: Caller, resolution: Resolution): void {
    const name = resolution.alias ? resolution.alias.name : resolution.chain[0]!.resolved;
    if (caller.models && !caller.models.allows(name)) {
      throw new ModelNotAllowedError(`caller "${caller.name}" may not use "${name}"; its models list allows ${caller.models.patterns.join(', ')} (GET /v1/models lists what it may use).`);
    }
    if (caller.localOnly && !resolution.chain.some((entry) => this.isLocal(entry.provider))) {
      throw new ModelNotAllowedError(
        resolution.alias
          ? `caller "${caller.name}" is local-only and every entry of ${name} is a cloud model; use an alias or model served on the platform's own hardware.`
          : `caller "${caller.name}" is local-only and "${name}" is a cloud model; use a model served on the platform's own hardware.`,
      );
    }
  }

  private async checkBudget(caller: Caller): Promise<void> {
    const budget = caller.budgetUsdPerDay;
    if (budget === undefined) return;
    const now = this.now();
    let spent: number;
    try {
      const ledger = this.ledger();
      spent = await ledgerCall(ledger, ledger.spentNanoUsd(utcDay(now), caller.name), LEDGER_DEADLINE_MS);
    } catch (err) {
      this.log.warn({ caller: caller.name, err: (err as Error).message }, 'budget not checked: the usage ledger did not answer');
      return;
    }
    if (spent >= Math.round(budget * 1e9)) {
      throw new BudgetExceededError(
        `caller "${caller.name}" has spent $${(spent / 1e9).toFixed(6)} today (UTC), its budget of $${budget} per day (budget.usdPerDay in the callers file); it resets at 00:00 UTC.`,
        secondsToNextUtcDay(now),
      );
    }
  }
}

function refusedLimit(err: unknown): CallerLimit | undefined {
  if (err instanceof CallerLimitError) return err.limit;
  if (err instanceof BudgetExceededError) return 'budget';
  if (err instanceof ModelNotAllowedError) return 'model';
  return undefined;
}

function noop(): void {}
