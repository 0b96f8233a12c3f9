// Every label value this plugin writes is decided here, by plain functions over a vocabulary the caller
// cannot extend: provider names from the profile, alias names from the alias file, and `provider/model`
// names the plugin has learned (see known-models.ts for how, and why that set is bounded). Anything
// else collapses to `other`, so a caller naming a million random models adds no series.

import type { RequestEndEvent } from '../../core/index.ts';

/** The one value every unknown provider, model, alias or word is counted under. */
export const OTHER = 'other';
/** A chain that ended without an answer (`to` of the last fallback, `target` of an unanswered alias). */
export const NONE = 'none';
/** The `provider` of a request that named an alias: it has no provider until a chain entry answers. */
export const ALIAS_PROVIDER = 'alias';

/** What the core sends as reasons and error codes: short lower-case words. Longer or odder goes to `other`. */
const WORD = /^[a-z0-9_-]{1,40}$/;
const CACHE_RESULTS: ReadonlySet<string> = new Set(['hit', 'miss', 'bypass', 'error']);

/** Everything that may appear as a label value besides the fixed words. */
export interface Vocabulary {
  /** Provider instances of the profile, configured or not. */
  providers: ReadonlySet<string>;
  /** Aliases in force now. */
  aliases: ReadonlySet<string>;
  /** Learned `provider/model` names. */
  models: { has(name: string): boolean };
}

export interface ModelLabels {
  provider: string;
  model: string;
}

export function providerLabel(name: string | undefined, providers: ReadonlySet<string>): string {
  return name !== undefined && providers.has(name) ? name : OTHER;
}

export function aliasLabel(name: string, aliases: ReadonlySet<string>): string {
  return aliases.has(name) ? name : OTHER;
}

/** A `provider/model` chain entry (fallback from/to, alias target): itself when learned, `none` kept. */
export function entryLabel(entry: string, models: Vocabulary['models']): string {
  if (entry === NONE) return NONE;
  return models.has(entry) ? entry : OTHER;
}

/** Reasons (`upstream_5xx`, `cache-unhealthy`) and upstream error words. */
export function wordLabel(word: string | undefined): string {
  return word !== undefined && WORD.test(word) ? word : OTHER;
}

/** A caller's name: the core takes them only from the callers file (or `default`); this keeps odd ones out anyway. */
const CALLER = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export function callerLabel(name: string): string {
  return CALLER.test(name) ? name : OTHER;
}

export function statusLabel(status: number): string {
  return Number.isInteger(status) && status >= 100 && status <= 599 ? String(status) : OTHER;
}

export function cacheResultLabel(result: string): string {
  return CACHE_RESULTS.has(result) ? result : OTHER;
}

/** A provider and a model within it: both kept only when the pair is a learned `provider/model`. */
export function modelLabels(provider: string, model: string, vocabulary: Vocabulary): ModelLabels {
  const providerValue = providerLabel(provider, vocabulary.providers);
  if (providerValue === OTHER) return { provider: OTHER, model: OTHER };
  return { provider: providerValue, model: vocabulary.models.has(`${provider}/${model}`) ? model : OTHER };
}

/**
 * The requested model as labels: an alias in force counts as provider `alias` with the alias name; a
 * direct name counts under its provider (`ollama` for unprefixed names) with the model part after the
 * `provider/` prefix, so `gemma3:4b` and `ollama/gemma3:4b` are one series.
 */
export function requestedLabels(end: Pick<RequestEndEvent, 'requestedModel' | 'requestedProvider'>, vocabulary: Vocabulary): ModelLabels {
  if (vocabulary.aliases.has(end.requestedModel)) return { provider: ALIAS_PROVIDER, model: end.requestedModel };
  const { provider, model } = splitRequested(end.requestedModel, end.requestedProvider);
  return modelLabels(provider, model, vocabulary);
}

/** The model that answered, or the requested one when none did (errors, cancelled requests). */
export function servedLabels(end: Pick<RequestEndEvent, 'requestedModel' | 'requestedProvider' | 'provider' | 'model'>, vocabulary: Vocabulary): ModelLabels {
  if (end.provider !== undefined && end.model !== undefined) return modelLabels(end.provider, end.model, vocabulary);
  return requestedLabels(end, vocabulary);
}

/** `groq/llama-3.1-8b` under `groq` → `llama-3.1-8b`; an unprefixed `gemma3:4b` under `ollama` stays whole. */
export function splitRequested(requestedModel: string, requestedProvider: string): { provider: string; model: string } {
  const prefix = `${requestedProvider}/`;
  return { provider: requestedProvider, model: requestedModel.startsWith(prefix) ? requestedModel.slice(prefix.length) : requestedModel };
}
