// Which `provider/model` names may appear as label values. A caller picks the model name of every
// request, so the name itself proves nothing; a name is learned only from a fact the caller cannot forge:
//
//   1. served:  it is the `resolved` model of a request that ended with status 200, so a configured
//               provider really answered as that model;
//   2. chained: it is an entry of an alias chain, and alias chains are written by the operator:
//               - both ends of a `fallback` whose `to` is not `none` (only aliases have chains of more
//                 than one entry; a direct name is a chain of one, whose fallback always goes to `none`),
//               - the `target` of `alias.resolved`, and the attempts and answer of a `request.end`, for a
//                 request that named an alias in force.
//
// Request ids are caller-chosen (X-Request-Id), so nothing here correlates events by id: each rule reads
// one event on its own. The set is bounded by the models the providers serve plus the alias file, and,
// as a last guard against an upstream that answers to any name, by `limit`: once full, nothing new is
// learned and unknown names stay `other`. If the core ever lets callers send their own fallback chains,
// rule 2's first case no longer holds and must go.

import type { AliasResolvedEvent, FallbackEvent, RequestEndEvent } from '../../core/index.ts';
import { NONE } from './label-values.ts';

export const DEFAULT_MODEL_LIMIT = 500;
/** Longer names are not learned: a label value is not a place for a paragraph. */
const MAX_NAME_LENGTH = 200;

/** A set of learned `provider/model` names that stops growing at `limit`. */
export class KnownModels {
  private readonly names = new Set<string>();

  constructor(readonly limit = DEFAULT_MODEL_LIMIT) {}

  learn(names: Iterable<string>): void {
    for (const name of names) {
      if (this.names.size >= this.limit) return;
      if (isLearnable(name)) this.names.add(name);
    }
  }

  has(name: string): boolean {
    return this.names.has(name);
  }

  get size(): number {
    return this.names.size;
  }
}

function isLearnable(name: string): boolean {
  const slash = name.indexOf('/');
  return name !== NONE && slash > 0 && slash < name.length - 1 && name.length <= MAX_NAME_LENGTH;
}

/** Rule 1, and rule 2 for requests that named an alias in force. */
export function learnedFromEnd(end: Pick<RequestEndEvent, 'requestedModel' | 'status' | 'resolved' | 'attempts'>, aliases: ReadonlySet<string>): string[] {
  const learned: string[] = [];
  if (aliases.has(end.requestedModel)) {
    for (const attempt of end.attempts) learned.push(attempt.model);
    if (end.resolved !== undefined) learned.push(end.resolved);
  } else if (end.status === 200 && end.resolved !== undefined) {
    learned.push(end.resolved);
  }
  return learned;
}

/** Rule 2: a fallback to a next entry happens only inside an alias chain. */
export function learnedFromFallback(event: Pick<FallbackEvent, 'from' | 'to'>): string[] {
  return event.to === NONE ? [] : [event.from, event.to];
}

/** Rule 2: the entry of a loaded alias's chain that answered. */
export function learnedFromAlias(event: AliasResolvedEvent, aliases: ReadonlySet<string>): string[] {
  return aliases.has(event.alias) && event.target !== NONE ? [event.target] : [];
}
