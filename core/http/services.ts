import type { SharedState } from '../contracts/shared-state.ts';
import type { AnswerCache } from '../cache/answer-cache.ts';
import type { Accounting } from '../callers/accounting.ts';
import type { CallerAdmission } from '../callers/caller-admission.ts';
import type { CallerBook } from '../callers/caller-book.ts';
import type { UsageLedger } from '../contracts/usage-ledger.ts';
import type { EventBus } from '../contracts/events.ts';
import type { ImageFetcher } from '../images/image-fetcher.ts';
import type { ImagePolicy } from '../images/request-images.ts';
import type { Settings } from '../config/settings.ts';
import type { Profile } from '../config/profile.ts';
import type { Logger } from '../log/logger.ts';
import type { PluginRegistry } from '../plugin/registry.ts';
import type { AliasRegistry } from '../routing/alias-registry.ts';
import type { ChainRouter } from '../routing/chain-router.ts';
import type { RequestScope } from '../routing/request-scope.ts';
import type { HealthRegistry } from '../routing/health/health-registry.ts';
import type { ResponseStore } from '../responses/response-store.ts';
import type { ModelCatalog } from '../routing/model-catalog.ts';
import type { ResolverOptions } from '../routing/model-resolver.ts';

/** Everything the routes use, built once at start by the gateway. */
export interface GatewayServices {
  /** What replicas share, when a shared-state plugin is configured (REDIS_URL). */
  shared: SharedState | undefined;
  settings: Settings;
  profile: Profile;
  log: Logger;
  events: EventBus;
  registry: PluginRegistry;
  aliases: AliasRegistry;
  /** Who holds which key (the callers file and the caller `default`). */
  callers: CallerBook;
  /** A caller's refusals before anything goes upstream: models, local-only, budget, limits. */
  admission: CallerAdmission;
  /** Cost and the usage ledger, booked when a request is over. */
  accounting: Accounting;
  /** The usage ledger in force (a shared one when configured, else the process's own). */
  usage: () => UsageLedger;
  /** Whether a provider instance runs on the platform's own hardware (`local: true` in the profile). */
  isLocal: (provider: string) => boolean;
  health: HealthRegistry;
  router: ChainRouter;
  catalog: ModelCatalog;
  resolver: ResolverOptions;
  cache: AnswerCache;
  /** Stored Responses-API answers (the cache plugin's backend, or memory). */
  responseStore: ResponseStore;
  images: { policy: ImagePolicy; fetcher: ImageFetcher };
  /** The requests being served now, so a shutdown can wait for them or cut them. */
  inFlight: Set<RequestScope>;
}
