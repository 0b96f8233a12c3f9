import type { Context } from 'koa';
import { withDeadline } from '../../cache/with-deadline.ts';
import { addCounts, USAGE_RETENTION_DAYS } from '../../callers/memory-usage-ledger.ts';
import { daysBetween, utcDay } from '../../callers/utc-day.ts';
import type { UsageCounts, UsageRow } from '../../contracts/usage-ledger.ts';
import { ForbiddenError } from '../../errors/forbidden-error.ts';
import { InvalidRequestError } from '../../errors/invalid-request-error.ts';
import { UsageLedgerUnavailableError } from '../../errors/usage-ledger-unavailable-error.ts';
import { sendJson } from '../respond.ts';
import type { GatewayServices } from '../services.ts';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * `GET /v1/usage?from=YYYY-MM-DD&to=YYYY-MM-DD&caller=NAME`: requests, tokens and cost per caller and
 * answering model over UTC days (today by default), summed over the range. A caller sees its own rows;
 * an `admin` caller sees everyone's, or one caller's with `caller=`.
 */
export function usageReport(services: GatewayServices) {
  return async (ctx: Context): Promise<void> => {
    const today = utcDay(Date.now());
    const from = dayParam(ctx, 'from') ?? today;
    const to = dayParam(ctx, 'to') ?? (from > today ? from : today);
    const days = daysBetween(from, to, USAGE_RETENTION_DAYS);
    if (!days) throw new InvalidRequestError(`from (${from}) must not be after to (${to}), and the range is at most ${USAGE_RETENTION_DAYS} days (what the ledger keeps).`, 'to');
    const caller = ctx.vars.caller;
    const asked = stringParam(ctx, 'caller');
    if (asked !== undefined && asked !== caller.name && !caller.admin) {
      throw new ForbiddenError(`caller "${caller.name}" may read only its own usage; another caller's needs an admin caller (admin: true in the callers file).`, 'caller');
    }
    const only = caller.admin ? asked : caller.name;
    let rows: UsageRow[];
    try {
      rows = await withDeadline(services.usage().rows(days, only), 2000, 'the usage ledger');
    } catch (err) {
      throw new UsageLedgerUnavailableError(err);
    }
    sendJson(ctx, { from, to, rows: summed(rows) });
  };
}

/** One row per caller and model over the range, in the CONTRACT's shape (USD as decimals). */
function summed(rows: UsageRow[]): Array<Record<string, unknown>> {
  const totals = new Map<string, { caller: string; model: string; counts: UsageCounts }>();
  for (const row of rows) {
    const key = `${row.caller}\n${row.model}`;
    let total = totals.get(key);
    if (!total) totals.set(key, (total = { caller: row.caller, model: row.model, counts: { requests: 0, promptTokens: 0, completionTokens: 0, cachedTokens: 0, costNanoUsd: 0, cacheHits: 0, savedNanoUsd: 0 } }));
    addCounts(total.counts, row);
  }
  return [...totals.values()]
    .sort((a, b) => (a.caller === b.caller ? (a.model < b.model ? -1 : 1) : a.caller < b.caller ? -1 : 1))
    .map(({ caller, model, counts }) => ({
      caller,
      model,
      requests: counts.requests,
      prompt_tokens: counts.promptTokens,
      completion_tokens: counts.completionTokens,
      cached_tokens: counts.cachedTokens,
      cost_usd: counts.costNanoUsd / 1e9,
      cache_hits: counts.cacheHits,
      saved_usd: counts.savedNanoUsd / 1e9,
    }));
}

function stringParam(ctx: Context, name: string): string | undefined {
  const value = ctx.query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') throw new InvalidRequestError(`${name} must be given once, with a value.`, name);
  return value;
}

function dayParam(ctx: Context, name: string): string | undefined {
  const value = stringParam(ctx, name);
  if (value === undefined) return undefined;
  if (!DAY.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) throw new InvalidRequestError(`${name} must be a UTC day as YYYY-MM-DD (got "${value}").`, name);
  return value;
}
