import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AnswerCache } from './cache/answer-cache.ts';
import { createImageFetcher } from './images/image-fetcher.ts';
import { addressPredicate } from './images/safe-lookup.ts';
import { hostList, trustedHostsPredicate } from './images/trusted-hosts.ts';
import { loadProfile } from './config/profile.ts';
import { readSettings, type Settings } from './config/settings.ts';
import type { HealthProbe } from './contracts/health-probe.ts';
import type { SharedState } from './contracts/shared-state.ts';
import { ShuttingDownError } from './errors/shutting-down-error.ts';
import { createEventBus } from './events/event-bus.ts';
import { createApp } from './http/app.ts';
import type { GatewayServices } from './http/services.ts';
import { createLogger, type Logger } from './log/logger.ts';
import { installRequestLog } from './log/request-log.ts';
import { loadPlugins } from './plugin/loader.ts';
import type { PluginRegistry } from './plugin/registry.ts';
import { checkChains } from './routing/chain-check.ts';
import { StartupError } from './errors/startup-error.ts';
import { aliasesPath, callersFileContext, callersPath, checkRouting, logFindings, readAliasesAtStart, readCallersAtStart } from './startup.ts';
import { Accounting } from './callers/accounting.ts';
import { CallerAdmission } from './callers/caller-admission.ts';
import { CallerBook } from './callers/caller-book.ts';
import { CallerLimits, memoryRateLimiter } from './callers/caller-limits.ts';
import { FallbackUsageLedger } from './callers/fallback-usage-ledger.ts';
import { MemoryUsageLedger } from './callers/memory-usage-ledger.ts';
import { loadPricing, localProviders } from './callers/pricing.ts';
import { AliasRegistry } from './routing/alias-registry.ts';
import { ChainRouter } from './routing/chain-router.ts';
import { LeaseGate } from './routing/lease-gate.ts';
import { HealthRegistry } from './routing/health/health-registry.ts';
import { ProbeLoop, type ScheduledProbe } from './routing/health/probe-loop.ts';
import { ModelCatalog } from './routing/model-catalog.ts';
import { ResponseStore } from './responses/response-store.ts';
import { PROJECT_ROOT } from './project-root.ts';
import { gatewayView } from './gateway-view.ts';

export { PROJECT_ROOT } from './project-root.ts';

/**
 * Connections the kernel may hold for the gateway before it accepts them (it caps this at
 * net.core.somaxconn). Node's 511 overflowed when thousands of streams opened within seconds while the
 * event loop was busy: 45 to 109 of 5,000 streams were reset before they began; with 4096, none.
 */
const LISTEN_BACKLOG = 4096;

export interface GatewayOptions {
  env?: Record<string, string | undefined>;
  /** Where the log goes; stdout when absent. */
  logDestination?: NodeJS.WritableStream;
  root?: string;
  /** The clock of the circuits; Date.now when absent. Tests move one by hand instead of sleeping out a backoff. */
  now?: () => number;
}

export interface Gateway {
  services: GatewayServices;
  server: Server;
  /** `http://host:port` once listening. */
  url: string;
  reloadAliases(): Promise<unknown>;
  close(): Promise<void>;
}

/**
 * Builds the whole gateway from the environment: settings, profile, plugins, aliases, health, router and
 * HTTP server, then listens. Every configuration problem is a StartupError that names what to fix.
 */
export async function startGateway(options: GatewayOptions = {}): Promise<Gateway> {
  const env = options.env ?? process.env;
  const root = options.root ?? PROJECT_ROOT;
  const settings = readSettings(env);
  const log = createLogger(settings.logLevel, options.logDestination, settings.replicaId);
  const events = createEventBus((event, err) => log.error({ event, err }, 'event listener failed'));
  installRequestLog(events, log.child({ component: 'request' }));
  const profile = await loadProfile(root, settings.profile, env);
  // Plugins are created before the aliases and health exist; the view looks them up when asked.
  let services: GatewayServices | undefined;
  const registry = await loadPlugins(profile, { root, settings, log, events, gateway: gatewayView(settings.replicaId, () => services) });
  try {
    const gateway = await assemble(settings, root, env, log, events, profile, registry, options.now);
    services = gateway.services;
    return gateway;
  } catch (err) {
    await registry.close(() => undefined);
    throw err;
  }
}

async function assemble(
  settings: Settings,
  root: string,
  env: Record<string, string | undefined>,
  log: Logger,
  events: GatewayServices['events'],
  profile: GatewayServices['profile'],
  registry: GatewayServices['registry'],
  now: (() => number) | undefined,
): Promise<Gateway> {
  const path = aliasesPath(settings, root);
  const aliases = new AliasRegistry(path, await readAliasesAtStart(path), log);
  checkRouting(profile, registry);
  logFindings(checkChains(aliases.current, registry).findings, log);

  const callersFile = callersPath(settings, root);
  const callersContext = () => callersFileContext(settings, aliases.current, registry, env);
  const callers = new CallerBook(callersFile, await readCallersAtStart(callersFile, settings, callersContext()), settings.apiKeys, callersContext, log);
  const isLocal = localProviders(profile, registry);
  const shared = registry.sharedStates[0];
  const limits = new CallerLimits(shared ? (counter) => shared.rateLimiter(counter) : memoryRateLimiter, shared);
  const ownLedger = new MemoryUsageLedger();
  // A shared ledger keeps what it cannot take (Redis away) in this process until it can.
  const sharedLedger = registry.usageLedgers[0] ? new FallbackUsageLedger(registry.usageLedgers[0], log.child({ component: 'usage' })) : undefined;
  const usage = () => sharedLedger ?? ownLedger;
  // The price table ships with the code, whatever root the profile comes from.
  const pricing = await loadPricing(PROJECT_ROOT, profile, isLocal);

  const health = new HealthRegistry([...registry.providers.keys()], [...registry.unconfigured.keys()], events, {
    threshold: settings.circuitFailureThreshold,
    backoffMs: settings.circuitBackoffMs,
    now,
  });
  if (shared) await shareState(shared, health, registry, log);
  const services: GatewayServices = {
    shared,
    settings,
    profile,
    log,
    events,
    registry,
    aliases,
    health,
    callers,
    admission: new CallerAdmission(limits, usage, isLocal, events, log, now),
    accounting: new Accounting(pricing, usage, limits, log, now),
    usage,
    isLocal,
    router: new ChainRouter(registry, health, events, log, isLocal),
    catalog: new ModelCatalog(registry, log),
    resolver: {
      knowsProvider: (name) => registry.knows(name),
      unprefixedProvider: profile.routing.unprefixedProvider,
      defaultModel: profile.routing.defaultModel,
    },
    inFlight: new Set(),
    images: {
      policy: { fetchUrls: profile.images.fetchUrls, maxBytes: profile.images.maxBytes, maxTotalBytes: profile.images.maxTotalBytes },
      fetcher: createImageFetcher({
        maxBytes: profile.images.maxBytes,
        timeoutMs: profile.images.timeout * 1000,
        isAllowedAddress: trustedHostsPredicate(
          hostList(profile.images.allowHosts),
          addressPredicate({ allowPrivateNetworks: profile.images.allowPrivateNetworks }),
        ),
      }),
    },
    // The first cache plugin of the profile serves; a profile rarely names more than one.
    cache: new AnswerCache(registry.caches[0], { ttlSeconds: profile.cache.ttl, shareAcrossKeys: profile.cache.shareAcrossKeys }, events, log.child({ component: 'cache' })),
    responseStore: new ResponseStore(registry.caches[0], settings.responseStoreTtlSeconds, log.child({ component: 'responses' })),
  };
  const probes = new Map<string, ScheduledProbe>();
  for (const [name, entry] of registry.providers) {
    probes.set(name, { probe: entry.provider.probe.bind(entry.provider), intervalMs: entry.probeIntervalMs ?? settings.healthProbeIntervalMs });
  }
  const probeLoop = new ProbeLoop(probes, health, log, { timeoutMs: settings.healthProbeTimeoutMs });
  // The first round runs before the port opens (each probe bounded by HEALTH_PROBE_TIMEOUT), so that
  // nothing — /health, a load balancer, the first request — ever sees health the gateway has not checked.
  await probeLoop.start();

  const app = createApp(services);
  // Node checks request timeouts only this often (30 s by default), so a read timeout needs a finer check.
  const server = createServer({ connectionsCheckingInterval: 1000 }, app.callback());
  // Idle keep-alive sockets live a little longer than a typical proxy's; a request must arrive whole within
  // REQUEST_READ_TIMEOUT (its headers within 20 s) so that a slowloris client cannot hold a socket forever.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = Math.min(20_000, settings.requestReadTimeoutMs);
  server.requestTimeout = settings.requestReadTimeoutMs;
  try {
    await new Promise<void>((resolveListen, reject) => {
      server.once('error', (err) => reject(new StartupError('MANA_ERR_LISTEN', `cannot listen on ${settings.host}:${settings.port}: ${err.message}`, { cause: err })));
      server.listen({ port: settings.port, host: settings.host, backlog: LISTEN_BACKLOG }, () => resolveListen());
    });
  } catch (err) {
    probeLoop.stop();
    throw err;
  }
  const address = server.address() as AddressInfo;
  const host = settings.host === '0.0.0.0' || settings.host === '::' ? '127.0.0.1' : settings.host;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;

  if (callers.open) log.warn('API_KEYS is not set and there is no callers file: the gateway is open to anyone who can reach it');
  if (callers.hasCallersFile) log.info({ path: callersFile, callers: [...callers.callers.keys()] }, 'callers file loaded');
  log.info(
    {
      url,
      profile: profile.name,
      providers: [...registry.providers.keys()],
      unconfigured: Object.fromEntries(registry.unconfigured),
      aliases: aliases.current.aliases.size,
    },
    `mana-llm listening on ${url}`,
  );

  let closed = false;
  return {
    services,
    server,
    url,
    // The callers are checked against the aliases, so the aliases go first.
    reloadAliases: async () => {
      const changes = await aliases.reload();
      await callers.reload();
      return changes;
    },
    async close() {
      if (closed) return;
      closed = true;
      await shutDown(server, services, probeLoop, log);
    },
  };
}

/**
 * Replicas behave as one from here on: circuits joined with the shared ones (before the first probe
 * round, so a replica that starts while a provider is out knows it), and each capped provider's slots
 * counted across replicas.
 */
async function shareState(shared: SharedState, health: HealthRegistry, registry: PluginRegistry, log: Logger): Promise<void> {
  for (const [name, entry] of registry.providers) {
    entry.limiter?.share(new LeaseGate(shared, `provider:${name}`, entry.limiter.maxConcurrent));
  }
  await health.share(shared, log.child({ component: 'shared-state' }));
}

/**
 * A graceful stop: accept nothing new, let the requests and streams in flight finish (up to
 * SHUTDOWN_TIMEOUT), cut whatever is left with an error (a stream gets its error event), then close the
 * plugins in the reverse order of their creation.
 */
async function shutDown(server: Server, services: GatewayServices, probeLoop: ProbeLoop, log: Logger): Promise<void> {
  const { settings, inFlight, registry } = services;
  probeLoop.stop();
  const closed = new Promise<void>((done) => server.close(() => done()));
  server.closeIdleConnections?.();
  // Keep-alive sockets that finish their current request are closed instead of kept.
  server.on('request', (_req, res) => res.setHeader('Connection', 'close'));
  const deadline = Date.now() + settings.shutdownTimeoutMs;
  if (inFlight.size > 0) log.info({ inFlight: inFlight.size, timeoutMs: settings.shutdownTimeoutMs }, 'waiting for requests in flight');
  while (inFlight.size > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    server.closeIdleConnections?.();
  }
  if (inFlight.size > 0) {
    log.warn({ inFlight: inFlight.size }, 'shutdown deadline passed: cutting the requests still in flight');
    for (const scope of inFlight) scope.abort(new ShuttingDownError(settings.shutdownTimeoutMs / 1000));
    const grace = Date.now() + 1000;
    while (inFlight.size > 0 && Date.now() < grace) await new Promise((resolve) => setTimeout(resolve, 20));
  }
  server.closeAllConnections?.();
  await closed;
  await registry.close((name, err) => log.warn({ plugin: name, err }, 'plugin close failed'));
  log.info('stopped');
}
