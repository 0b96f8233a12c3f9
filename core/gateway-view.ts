import type { GatewayServices } from './http/services.ts';
import type { GatewayView, ProviderState } from './plugin/define-plugin.ts';
import type { AliasSet } from './routing/alias-file.ts';
import { chainOutlook, type AliasOutlook } from './routing/chain-outlook.ts';

/**
 * The read-only view of the gateway that plugins get. Plugins are created before the aliases and health
 * exist, so the view looks the services up when asked and answers empty until they are there.
 */
export function gatewayView(replica: string, services: () => GatewayServices | undefined): GatewayView {
  return {
    replica,
    providers: () => services()?.health.all().map((p) => ({ name: p.name, configured: p.configured, healthy: p.healthy })) ?? [],
    aliasNames: () => {
      const current = services()?.aliases.current;
      return current ? aliasNamesOf(current) : [];
    },
    providerStates: () => {
      const s = services();
      return s ? providerStates(s) : [];
    },
    stateMode: () => (services()?.shared?.healthy() ? 'shared' : 'local'),
    aliasOutlook: () => {
      const s = services();
      return s ? aliasOutlook(s) : [];
    },
  };
}

function providerStates(s: GatewayServices): ProviderState[] {
  return s.health.all().map((p) => {
    const limiter = s.registry.provider(p.name)?.limiter;
    return {
      name: p.name,
      configured: p.configured,
      local: s.isLocal(p.name),
      healthy: p.healthy,
      state: p.configured ? p.state : 'unconfigured',
      consecutiveFailures: p.consecutiveFailures,
      lastError: p.lastError,
      unhealthyUntil: p.unhealthyUntil,
      lastProbeAt: p.lastProbeAt,
      ...(limiter && { slots: { inFlight: limiter.inFlight, max: limiter.maxConcurrent, queued: limiter.queued, maxQueue: limiter.maxQueue } }),
    };
  });
}

function aliasOutlook(s: GatewayServices): AliasOutlook[] {
  const byName = new Map(providerStates(s).map((p) => [p.name, p]));
  return [...s.aliases.current.aliases.values()].map((alias) => ({
    name: alias.name,
    chain: chainOutlook(alias.chain.map((entry) => {
      const provider = entry.slice(0, entry.indexOf('/'));
      const state = byName.get(provider);
      const configured = s.registry.provider(provider) !== undefined;
      return {
        entry,
        provider,
        unconfigured: configured ? undefined : (s.registry.unconfigured.get(provider) ?? 'not in the profile'),
        admission: configured ? s.health.peek(provider) : 'reject',
        unhealthyUntil: state?.unhealthyUntil ?? null,
        lastError: state?.lastError ?? null,
        slots: state?.slots,
      };
    })),
  }));
}

// One array per loaded alias file, so observers that ask on every event get the same array back (and may
// cache what they derive from it) until a reload replaces the file.
const aliasNameCache = new WeakMap<AliasSet, string[]>();
function aliasNamesOf(set: AliasSet): string[] {
  let names = aliasNameCache.get(set);
  if (!names) aliasNameCache.set(set, (names = [...set.aliases.keys()]));
  return names;
}
