import { Writable } from 'node:stream';
import type { FallbackEvent, UpstreamErrorEvent } from '../contracts/events.ts';
import type { ChatCompletionChunk } from '../contracts/openai.ts';
import type { Capabilities, Provider } from '../contracts/provider.ts';
import { createEventBus } from '../events/event-bus.ts';
import { createLogger } from '../log/logger.ts';
import { PluginRegistry } from '../plugin/registry.ts';
import { ChainRouter } from './chain-router.ts';
import type { ConcurrencyLimiter } from './concurrency-limiter.ts';
import { HealthRegistry } from './health/health-registry.ts';
import { chainEntry, type Resolution } from './model-resolver.ts';
import { RequestScope } from './request-scope.ts';
// The router is the one owner of every attempt. Its tests drive it with providers written in the test
// (plain objects implementing the Provider contract), over a real health registry, event bus and logger.

export const ALL: Capabilities = { chat: true, stream: true, embeddings: true, vision: true, tools: true, json: true, jsonSchema: true };

/** A plugin outside this repo throws errors of the CONTRACT's shape, not our classes. */
export function foreign(fields: Record<string, unknown>): Error {
  return Object.assign(new Error(String(fields.message ?? 'from a package plugin')), fields);
}

export interface Harness {
  router: ChainRouter;
  health: HealthRegistry;
  fallbacks: FallbackEvent[];
  upstreamErrors: UpstreamErrorEvent[];
  warnings: Array<Record<string, unknown>>;
  failures(provider: string): number;
}

export function harness(providers: Provider[], options: { limiter?: ConcurrencyLimiter; now?: () => number } = {}): Harness {
  const registry = new PluginRegistry();
  for (const provider of providers) {
    registry.providers.set(provider.name, {
      provider,
      timeouts: { firstTokenMs: 1_000, stallMs: 1_000 },
      limiter: provider.name === 'a' ? options.limiter : undefined,
      overflow: 'fallback',
    });
  }
  const events = createEventBus((event, err) => {
    throw new Error(`listener of ${event} failed: ${String(err)}`);
  });
  const fallbacks: FallbackEvent[] = [];
  const upstreamErrors: UpstreamErrorEvent[] = [];
  events.on('fallback', (e) => fallbacks.push(e));
  events.on('upstream.error', (e) => upstreamErrors.push(e));
  const warnings: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) {
        const entry = line.trim() ? (JSON.parse(line) as Record<string, unknown>) : undefined;
        if (entry?.level === 'warn') warnings.push(entry);
      }
      done();
    },
  });
  const log = createLogger('warn', sink);
  const health = new HealthRegistry(
    providers.map((p) => p.name),
    [],
    events,
    { threshold: 100, backoffMs: 60_000, now: options.now },
  );
  const failures = (name: string) => health.all().find((p) => p.name === name)!.consecutiveFailures;
  return { router: new ChainRouter(registry, health, events, log), health, fallbacks, upstreamErrors, warnings, failures };
}

export function chunk(content: string, extra: Partial<ChatCompletionChunk> = {}): ChatCompletionChunk {
  return { id: 'c', object: 'chat.completion.chunk', created: 0, model: 'x', choices: [{ index: 0, delta: { content }, finish_reason: null }], ...extra };
}

/** A provider whose whole answers and streams follow a script; `capabilities` as given. */
export function provider(name: string, script: { fail?: unknown; chunksBeforeFailure?: number; capabilities?: Provider['capabilities'] } = {}): Provider & { streamsClosed: number } {
  const p = {
    name,
    streamsClosed: 0,
    capabilities: script.capabilities ?? (() => ALL),
    async chat() {
      if (script.fail !== undefined) throw script.fail;
      return { id: 'x', object: 'chat.completion' as const, created: 0, model: 'x', choices: [] };
    },
    async *chatStream() {
      try {
        for (let i = 0; i < (script.chunksBeforeFailure ?? 0); i++) yield chunk(`${name}-${i}`);
        if (script.fail !== undefined) throw script.fail;
        yield chunk(`${name}-answer`);
        yield { ...chunk(''), choices: [], usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } };
      } finally {
        p.streamsClosed += 1;
      }
    },
    async embed() {
      throw new Error('no embeddings here');
    },
    async listModels() {
      return [];
    },
    async probe() {},
  };
  return p;
}

export const aliasChain: Resolution = {
  requested: 'mana/x',
  alias: { name: 'mana/x', description: '', chain: ['a/m', 'b/m'] },
  chain: [chainEntry('a/m'), chainEntry('b/m')],
};
export const direct: Resolution = { requested: 'a/m', requestedProvider: 'a', chain: [chainEntry('a/m')] };

export const scopeOf = () => new RequestScope('req', 60_000);
