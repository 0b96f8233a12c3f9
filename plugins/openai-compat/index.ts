import { definePlugin } from '../../core/index.ts';
import { optionsSchema, unconfiguredReason, type OpenAICompatOptions } from './options.ts';
import { createOpenAICompatProvider } from './provider.ts';

/**
 * Any OpenAI-compatible upstream. The profile runs this one module under several names (`openai`,
 * `openrouter`, `groq`, `together`), each with its own base URL, key and headers.
 */
export default definePlugin<'provider', OpenAICompatOptions>({
  name: 'openai-compat',
  kind: 'provider',
  optionsSchema,
  unconfigured: unconfiguredReason,
  create: (ctx, options) => createOpenAICompatProvider(ctx, options),
});
