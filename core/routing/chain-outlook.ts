import type { Admission } from './health/circuit-breaker.ts';

/** What the gateway knows now about one chain entry's provider. */
export interface EntryFacts {
  /** `provider/model`. */
  entry: string;
  provider: string;
  /** Why the provider cannot serve at all: a missing key, or absent from the profile; undefined when configured. */
  unconfigured?: string;
  /** What its circuit would answer a request now (peeked, nothing claimed). */
  admission: Admission;
  /** Epoch ms until which its circuit keeps it out, when it does. */
  unhealthyUntil: number | null;
  lastError: string | null;
  /** A capped provider's slots in this process. */
  slots?: { inFlight: number; max: number; queued: number; maxQueue: number };
}

/** What one entry would do for a request arriving now, in the words of `attempts[].reason` when it skips. */
export interface EntryOutlook {
  entry: string;
  provider: string;
  action: 'answer' | 'skip';
  reason?: 'unconfigured' | 'circuit_open' | 'overloaded';
  /** One sentence for a person. */
  detail: string;
  /** The entry a request arriving now would be answered by (the first that does not skip). */
  first: boolean;
}

export interface AliasOutlook {
  name: string;
  chain: EntryOutlook[];
}

/**
 * Each entry's verdict for a request arriving now, as the router would reach it: unconfigured first, then
 * the circuit, then the provider's slots. What depends on the request itself (a capability, a local-only
 * caller) is not known here and not guessed.
 */
export function chainOutlook(facts: readonly EntryFacts[]): EntryOutlook[] {
  let answered = false;
  return facts.map((f) => {
    const verdict = entryVerdict(f);
    const first = verdict.action === 'answer' && !answered;
    if (first) answered = true;
    return { entry: f.entry, provider: f.provider, ...verdict, first };
  });
}

function entryVerdict(f: EntryFacts): Pick<EntryOutlook, 'action' | 'reason' | 'detail'> {
  if (f.unconfigured !== undefined) return { action: 'skip', reason: 'unconfigured', detail: `${f.provider}: ${f.unconfigured}` };
  if (f.admission === 'reject') {
    const until = f.unhealthyUntil === null ? 'until a trial succeeds' : `until ${new Date(f.unhealthyUntil).toISOString()}`;
    return { action: 'skip', reason: 'circuit_open', detail: `circuit open ${until}${f.lastError ? ` (last error: ${f.lastError})` : ''}` };
  }
  if (f.slots && f.slots.inFlight >= f.slots.max) {
    if (f.slots.queued >= f.slots.maxQueue) return { action: 'skip', reason: 'overloaded', detail: `all ${f.slots.max} slots busy and the queue of ${f.slots.maxQueue} full` };
    return { action: 'answer', detail: `waits for a slot: all ${f.slots.max} busy, ${f.slots.queued} queued` };
  }
  if (f.admission === 'trial') return { action: 'answer', detail: 'as the half-open trial: its answer decides whether the circuit closes' };
  return { action: 'answer', detail: 'healthy' };
}
