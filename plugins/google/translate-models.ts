import type { Model } from '@google/genai';
import type { ModelInfo } from '../../core/index.ts';

// Models the gateway cannot serve (Imagen, Veo, AQA, …) are left out of the listing.
const SERVABLE = ['generateContent', 'streamGenerateContent', 'embedContent', 'batchEmbedContents'];

/** Gemini's model list → OpenAI model entries, ids without the `models/` prefix. */
export function toModelInfos(models: Model[]): ModelInfo[] {
  const out: ModelInfo[] = [];
  for (const model of models) {
    if (!model.name) continue;
    const actions = model.supportedActions;
    if (actions && !actions.some((action) => SERVABLE.includes(action))) continue;
    const info: ModelInfo = { id: model.name.replace(/^models\//, ''), object: 'model', created: 0, owned_by: 'google' };
    if (model.displayName) info.display_name = model.displayName;
    if (model.inputTokenLimit) info.context_length = model.inputTokenLimit;
    if (model.outputTokenLimit) info.max_output_tokens = model.outputTokenLimit;
    out.push(info);
  }
  return out;
}
