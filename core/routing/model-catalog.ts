import type { ModelInfo } from '../contracts/openai.ts';
import type { Logger } from '../log/logger.ts';
import type { PluginRegistry } from '../plugin/registry.ts';
import type { AliasSet } from './alias-file.ts';

interface CachedListing {
  models: ModelInfo[];
  fetchedAt: number;
}

/**
 * `GET /v1/models`: every configured provider's own listing (cached for `ttlMs`, the last good one kept
 * when a provider fails to answer), prefixed `provider/`, plus the aliases in force. Providers are asked
 * concurrently and each is bounded by `timeoutMs`, so one dead upstream cannot stall the listing.
 */
export class ModelCatalog {
  private readonly cache = new Map<string, CachedListing>();
  private readonly inFlight = new Map<string, Promise<ModelInfo[]>>();

  constructor(
    private readonly registry: PluginRegistry,
    private readonly log: Logger,
    private readonly ttlMs = 60_000,
    private readonly timeoutMs = 5_000,
  ) {}

  async list(aliases: AliasSet): Promise<ModelInfo[]> {
    const names = [...this.registry.providers.keys()];
    const listings = await Promise.all(names.map((name) => this.providerModels(name)));
    const out: ModelInfo[] = [];
    names.forEach((name, i) => {
      for (const model of listings[i]!) out.push({ ...model, id: `${name}/${model.id}`, owned_by: model.owned_by || name });
    });
    for (const alias of aliases.aliases.values()) out.push(aliasModel(alias.name, alias.description, alias.chain));
    return out;
  }

  /** One provider's models (ids without prefix); empty when it cannot say and never could. */
  async providerModels(name: string): Promise<ModelInfo[]> {
    const cached = this.cache.get(name);
    if (cached && Date.now() - cached.fetchedAt < this.ttlMs) return cached.models;
    let pending = this.inFlight.get(name);
    if (!pending) {
      pending = this.fetch(name).finally(() => this.inFlight.delete(name));
      this.inFlight.set(name, pending);
    }
    return pending;
  }

  private async fetch(name: string): Promise<ModelInfo[]> {
    const entry = this.registry.provider(name);
    if (!entry) return [];
    try {
      const models = await entry.provider.listModels(AbortSignal.timeout(this.timeoutMs));
      this.cache.set(name, { models, fetchedAt: Date.now() });
      return models;
    } catch (err) {
      this.log.warn({ provider: name, err: (err as Error).message }, 'model listing failed');
      return this.cache.get(name)?.models ?? [];
    }
  }
}

export function aliasModel(name: string, description: string, chain: string[]): ModelInfo {
  return { id: name, object: 'model', created: 0, owned_by: 'mana-llm', description, chain };
}
