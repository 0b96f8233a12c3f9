// The Ollama provider on Ollama's native API (/api/chat, /api/embed, /api/tags, /api/show).
import { UpstreamClient, definePlugin, type Provider } from '../../core/index.ts';
import { CapabilityCache } from './capability-cache.ts';
import { capabilitiesFromPatterns } from './capabilities.ts';
import { ollamaChat } from './chat.ts';
import { ollamaChatStream } from './chat-stream.ts';
import { ollamaEmbed } from './embed.ts';
import { listOllamaModels, probeOllama, showCapabilities } from './models.ts';
import { optionsSchema, resolveOptions, type OllamaOptions } from './options.ts';

export default definePlugin<'provider', OllamaOptions>({
  name: 'ollama',
  kind: 'provider',
  optionsSchema,
  // No key: a local server is always configured; whether it answers is the health loop's business.
  create(ctx, options): Provider {
    const settings = resolveOptions(options);
    const client = new UpstreamClient({ provider: ctx.name, baseUrl: settings.baseUrl });
    ctx.onClose(() => client.close());

    const deps = { name: ctx.name, client, defaults: { keepAlive: settings.keepAlive, numCtx: settings.numCtx } };
    const capabilities = new CapabilityCache(
      (model) => showCapabilities(deps, model),
      (model) => capabilitiesFromPatterns(model, settings),
    );
    return {
      name: ctx.name,
      capabilities: (model) => capabilities.get(model),
      chat: (request, call) => ollamaChat(deps, request, call),
      chatStream: (request, call) => ollamaChatStream(deps, request, call),
      embed: (request, call) => ollamaEmbed(deps, request, call),
      listModels: (signal) => listOllamaModels(deps, signal),
      probe: (signal) => probeOllama(deps, signal),
    };
  },
});
