import { after, before, beforeEach } from 'node:test';
import OpenAI from 'openai';
import { FakeOpenAI } from '../helpers/fake-openai.ts';
import { defaultReply } from '../helpers/scripted-reply.ts';
import { aliasFile, startTestGateway, upstreamEnv, type TestGateway } from '../helpers/test-gateway.ts';
import { backupInstanceFor, resolvedName, type FakeUpstream, type ProviderEntry } from './providers.ts';

export const BACKUP_MODEL = 'llama-3.3-70b-versatile';

/** What the cases of one provider entry share: its fake, a backup for fallback chains, one gateway, one client. */
export interface Conformance {
  entry: ProviderEntry;
  upstream: FakeUpstream;
  backup: { instance: string; fake: FakeOpenAI; resolved: string };
  gateway: TestGateway;
  client: OpenAI;
  /** `provider/model` of the entry's model for a kind of case. */
  model(kind: keyof ProviderEntry['models']): string;
}

export const ALIAS_NO_TOOLS = 'mana/conformance-no-tools';
export const ALIAS_FALLBACK = 'mana/conformance-fallback';

/**
 * Registers the hooks of one entry's suite (inside its describe): the entry's fake and an OpenAI-protocol
 * backup start once with one gateway; between cases the fakes are reset. The returned object is filled
 * in by `before`, so cases read it only inside their test bodies.
 */
export function conformanceSuite(entry: ProviderEntry): Conformance {
  const backupInstance = backupInstanceFor(entry);
  const ctx = {
    entry,
    model: (kind: keyof ProviderEntry['models']) => resolvedName(entry, entry.models[kind]!),
  } as Conformance;

  before(async () => {
    ctx.upstream = await entry.start();
    const backup = await new FakeOpenAI().start();
    ctx.backup = { instance: backupInstance, fake: backup, resolved: `${backupInstance}/${BACKUP_MODEL}` };
    const chains = [
      entry.models.noTools
        ? `  ${ALIAS_NO_TOOLS}:\n    description: the first entry cannot call tools\n    chain: [${ctx.model('noTools')}, ${ctx.backup.resolved}]\n`
        : '',
      `  ${ALIAS_FALLBACK}:\n    description: the entry first, an OpenAI-compatible cloud second\n    chain: [${ctx.model('tools')}, ${ctx.backup.resolved}]\n`,
    ];
    ctx.gateway = await startTestGateway({
      ...upstreamEnv({ ...ctx.upstream.upstreams, [backupInstance]: { baseUrl: backup.baseUrl } }),
      ALIASES_PATH: aliasFile(`aliases:\n${chains.join('')}`),
      // The error cases fail the provider on purpose, many times over; the breaker has its own tests.
      CIRCUIT_FAILURE_THRESHOLD: '1000',
    });
    ctx.client = new OpenAI({ baseURL: ctx.gateway.baseURL, apiKey: 'x', maxRetries: 0 });
  });

  beforeEach(() => {
    ctx.upstream?.reset();
    ctx.backup?.fake.clearFaults().reply(defaultReply);
  });

  after(async () => {
    await ctx.gateway?.close();
    await ctx.upstream?.fake.stop();
    await ctx.backup?.fake.stop();
  });

  return ctx;
}
