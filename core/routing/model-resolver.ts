import { InvalidRequestError } from '../errors/invalid-request-error.ts';
import { ModelNotFoundError } from '../errors/model-not-found-error.ts';
import type { Alias, AliasSet } from './alias-file.ts';

/** One `provider/model` entry of a chain. */
export interface ChainEntry {
  provider: string;
  model: string;
  /** `provider/model`: the name the caller sees when this entry answers. */
  resolved: string;
}

export interface Resolution {
  /** The model as the caller named it, or the default that stood in for it. */
  requested: string;
  /**
   * The alias itself when the name was one: the very object whose chain is walked, so a SIGHUP during the
   * request cannot hand a later step (the cache's TTL) another alias of the same name.
   */
  alias?: Alias;
  /** The provider of a direct name (also for unprefixed names); undefined for aliases. */
  requestedProvider?: string;
  chain: ChainEntry[];
}

export interface ResolverOptions {
  /** Whether the profile names this provider (configured or not). */
  knowsProvider(name: string): boolean;
  /** The provider that serves names with no known provider prefix (`gemma3:4b`). */
  unprefixedProvider?: string;
  /** Used for a request without `model` when the alias file names no default. */
  defaultModel?: string;
}

const ALIAS_PREFIX = 'mana/';

/**
 * The CONTRACT's model-name rules: `mana/…` is an alias (its chain); a name whose part before the first
 * `/` is a provider of the profile goes to that provider alone; any other name goes whole to the
 * unprefixed provider (so `gemma3:4b` and `hf.co/org/repo:Q4` reach Ollama). No name means the alias
 * file's default, else the profile's default model.
 */
export function resolveModel(model: string | undefined, aliases: AliasSet, options: ResolverOptions): Resolution {
  if (model === undefined || model === '') {
    const fallback = aliases.default ?? options.defaultModel;
    if (!fallback) throw new InvalidRequestError('model is required: name a model or an alias (GET /v1/models lists them).', 'model');
    return resolveModel(fallback, aliases, options);
  }
  if (model.startsWith(ALIAS_PREFIX)) {
    const alias = aliases.aliases.get(model);
    if (!alias) throw new ModelNotFoundError(`Unknown alias "${model}". GET /v1/aliases lists the aliases in force.`);
    return { requested: model, alias, chain: alias.chain.map((entry) => chainEntry(entry)) };
  }
  const slash = model.indexOf('/');
  if (slash > 0 && options.knowsProvider(model.slice(0, slash))) {
    const entry = chainEntry(model);
    if (entry.model === '') throw new InvalidRequestError(`model "${model}" names the provider "${entry.provider}" but no model after the "/".`, 'model');
    return { requested: model, requestedProvider: entry.provider, chain: [entry] };
  }
  const unprefixed = options.unprefixedProvider;
  if (!unprefixed) {
    throw new ModelNotFoundError(`Unknown model "${model}": it names no provider of this gateway. Use provider/model or an alias (GET /v1/models lists them).`);
  }
  return { requested: model, requestedProvider: unprefixed, chain: [{ provider: unprefixed, model, resolved: `${unprefixed}/${model}` }] };
}

/** `groq/llama-3.1-8b` → provider `groq`, model `llama-3.1-8b`; the model may itself contain `/`. */
export function chainEntry(name: string): ChainEntry {
  const slash = name.indexOf('/');
  const provider = name.slice(0, slash);
  const model = name.slice(slash + 1);
  return { provider, model, resolved: name };
}
