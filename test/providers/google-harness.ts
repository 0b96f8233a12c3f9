import { after, before, beforeEach } from 'node:test';
import type { ChatCompletionChunk, ChatCompletionRequest, Provider, ProviderCall, StreamItem } from '../../core/index.ts';
import { FakeGemini } from '../helpers/fake-gemini.ts';
import { testPluginContext } from '../helpers/plugin-context.ts';
import { defaultReply } from '../helpers/scripted-reply.ts';

// The shared set-up of the Google provider tests: the real plugin (and so the real @google/genai SDK code
// path) against a fake Gemini server, with helpers to read what each side saw.

export const KEY = 'AIzaSy-test-key-0123456789abcdef';
const plugin = (await import('../../plugins/google/index.ts')).default;
export const fake = new FakeGemini({ apiKey: KEY });
const contexts: Array<ReturnType<typeof testPluginContext>> = [];

export async function create(options: Record<string, unknown> = {}): Promise<Provider> {
  const ctx = testPluginContext('google');
  contexts.push(ctx);
  return plugin.create(ctx, { apiKey: KEY, baseUrl: fake.url, ...options } as never);
}
export const call = (model = 'gemini-2.5-flash', signal: AbortSignal = AbortSignal.timeout(5000)): ProviderCall => ({ model, resolved: `google/${model}`, signal });
export const ask = (content: string, extra: Partial<ChatCompletionRequest> = {}): ChatCompletionRequest => ({ messages: [{ role: 'user', content }], ...extra });
export async function collect(items: AsyncIterable<StreamItem>): Promise<ChatCompletionChunk[]> {
  const chunks: ChatCompletionChunk[] = [];
  for await (const item of items) chunks.push(item as ChatCompletionChunk);
  return chunks;
}
/** The chunks a stream gave before it threw, and the error. */
export async function collectFailure(items: AsyncIterable<StreamItem>): Promise<{ chunks: ChatCompletionChunk[]; error: any }> {
  const chunks: ChatCompletionChunk[] = [];
  try {
    for await (const item of items) chunks.push(item as ChatCompletionChunk);
  } catch (error) {
    return { chunks, error };
  }
  throw new Error(`the stream ended without an error after ${chunks.length} chunks`);
}
export const weatherTool = { type: 'function' as const, function: { name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false } } };
export const lastBody = () => fake.requests.at(-1)!.body;
export const text = (chunks: ChatCompletionChunk[]) => chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');

/** Registers the file's hooks (fake started, one provider, fake reset before each test); returns the provider. */
export function googleProviderSuite(): { provider(): Provider } {
  let provider: Provider;
  before(async () => {
    await fake.start();
    provider = await create();
  });
  after(async () => {
    for (const ctx of contexts) await ctx.close();
    await fake.stop();
  });
  beforeEach(() => {
    fake.clearFaults().reply(defaultReply);
    fake.server.clearRequests();
  });
  return { provider: () => provider };
}
