import type { Profile } from '../config/profile.ts';
import type { PluginRegistry } from '../plugin/registry.ts';
import type { Pricing } from './accounting.ts';

/** The provider instances the profile marks `local: true` (the platform's own hardware). */
export function localProviders(profile: Profile, registry: PluginRegistry): (provider: string) => boolean {
  const names = new Set<string>();
  for (const entry of profile.plugins) {
    if ((entry as { local?: boolean }).local === true && entry.name !== undefined) names.add(entry.name);
  }
  void registry;
  return (provider) => names.has(provider);
}

export async function loadPricing(root: string, profile: Profile, isLocal: (provider: string) => boolean): Promise<Pricing> {
  void root;
  void profile;
  return { costNanoUsd: (_resolved, provider) => (isLocal(provider) ? 0 : undefined) };
}
