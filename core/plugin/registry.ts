import type { Provider } from '../contracts/provider.ts';
import type { SharedState } from '../contracts/shared-state.ts';
import type { UsageLedger } from '../contracts/usage-ledger.ts';
import type { ResponseCache } from '../contracts/response-cache.ts';
import type { ConcurrencyLimiter } from '../routing/concurrency-limiter.ts';
import type { PluginKind, PluginRoute } from './define-plugin.ts';

/** Per-provider timeouts in milliseconds, merged from the profile over the gateway-wide settings. */
export interface ProviderTimeouts {
  firstTokenMs: number;
  stallMs: number;
  attemptMs?: number;
}

export interface ProviderEntry {
  provider: Provider;
  timeouts: ProviderTimeouts;
  /** Present when the profile caps this provider's concurrency. */
  limiter?: ConcurrencyLimiter;
  /** Over the cap and its queue: answer 429 at once, or try the next chain entry. */
  overflow: 'reject' | 'fallback';
  /** Time between health probes, when the profile entry sets `probeInterval` (else `HEALTH_PROBE_INTERVAL`). */
  probeIntervalMs?: number;
}

/** What became of one plugin entry of the profile: what `check-config` prints and the start-up log says. */
export interface PluginRecord {
  /** The instance name. */
  name: string;
  kind: PluginKind;
  /** The profile's `use`. */
  use: string;
  status: 'loaded' | 'unconfigured';
  /** Why it is unconfigured. */
  reason?: string;
}

/** What the profile loaded: the live plugin instances, and the providers it names but could not enable. */
export class PluginRegistry {
  readonly providers = new Map<string, ProviderEntry>();
  /** Provider instance name → why it is unconfigured (a missing key). */
  readonly unconfigured = new Map<string, string>();
  readonly caches: ResponseCache[] = [];
  /** Shared usage ledgers; the first one serves. */
  readonly usageLedgers: UsageLedger[] = [];
  /** What replicas share (circuits, leases, callers' limits); the first one serves. */
  readonly sharedStates: SharedState[] = [];
  /** The routes plugins added, each with the instance that added it. */
  readonly routes: Array<PluginRoute & { plugin: string }> = [];
  /** Every plugin entry of the profile, in profile order, loaded or not. */
  readonly plugins: PluginRecord[] = [];
  private readonly closers: Array<{ name: string; close: () => Promise<void> | void }> = [];

  addCloser(name: string, close: () => Promise<void> | void): void {
    this.closers.push({ name, close });
  }

  provider(name: string): ProviderEntry | undefined {
    return this.providers.get(name);
  }

  /** Whether the profile names this provider at all (configured or not). */
  knows(name: string): boolean {
    return this.providers.has(name) || this.unconfigured.has(name);
  }

  /** Closes plugins in the reverse order of their creation, each once; one failing closer does not stop the others. */
  async close(onError: (name: string, err: unknown) => void): Promise<void> {
    const closers = this.closers.splice(0).reverse();
    for (const { name, close } of closers) {
      try {
        await close();
      } catch (err) {
        onError(name, err);
      }
    }
  }
}
