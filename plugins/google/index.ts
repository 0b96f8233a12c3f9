import { definePlugin } from '../../core/index.ts';
import { optionsSchema, unconfiguredReason, type GoogleOptions } from './options.ts';

/**
 * Google Gemini (the Gemini API, generativelanguage.googleapis.com) through the official `@google/genai`
 * SDK. The SDK and its auth libraries weigh tens of megabytes once loaded, so they are imported only when
 * an instance is created: a profile that lists google without a key never loads them.
 */
export default definePlugin<'provider', GoogleOptions>({
  name: 'google',
  kind: 'provider',
  optionsSchema,
  unconfigured: unconfiguredReason,
  // `.js`, not `.ts`: the compiler rewrites the extensions of static imports only, and under tsx a `.js`
  // specifier finds the `.ts` source.
  create: async (context, options) => (await import('./provider.js')).createGoogleProvider(context, options),
});
