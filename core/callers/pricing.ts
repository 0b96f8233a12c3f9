import type { Profile } from '../config/profile.ts';
import type { PluginRegistry } from '../plugin/registry.ts';
import type { Pricing } from './accounting.ts';
import { PriceTable, readShippedPrices } from './price-table.ts';

/** The provider instances the profile marks `local: true` (the platform's own hardware). */
export function localProviders(profile: Profile, registry: PluginRegistry): (provider: string) => boolean {
  const names = new Set<string>();
  // An entry without `name` is named after its plugin, which only the loaded registry knows.
  const loaded = registry.plugins;
  profile.plugins.forEach((entry, index) => {
    if (entry.local !== true) return;
    const name = entry.name ?? loaded[index]?.name;
    if (name !== undefined) names.add(name);
  });
  return (provider) => names.has(provider);
}

/**
 * The prices in force for the gateway: the shipped table, the profile's `prices:` over it, and 0 for a
 * local provider whatever either says.
 */
export async function loadPricing(root: string, profile: Profile, isLocal: (provider: string) => boolean): Promise<Pricing> {
  const table = new PriceTable(await readShippedPrices(root), profile.prices);
  return {
    costNanoUsd: (resolved, provider, usage) => (isLocal(provider) ? 0 : table.costNanoUsd(resolved, usage)),
  };
}
