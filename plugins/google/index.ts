import { definePlugin } from '../../core/index.ts';
import { optionsSchema, unconfiguredReason, type GoogleOptions } from './options.ts';
import { createGoogleProvider } from './provider.ts';

/** Google Gemini (the Gemini API, generativelanguage.googleapis.com) through the official `@google/genai` SDK. */
export default definePlugin<'provider', GoogleOptions>({
  name: 'google',
  kind: 'provider',
  optionsSchema,
  unconfigured: unconfiguredReason,
  create: (context, options) => createGoogleProvider(context, options),
});
