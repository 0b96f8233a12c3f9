import { GoogleGenAI, type GenerateContentParameters, type Model } from '@google/genai';
import {
  InvalidRequestError,
  type ChatCompletionRequest,
  type PluginContext,
  type Provider,
  type ProviderCall,
} from '../../core/index.ts';
import { acceptsSystemInstruction, capabilitiesOf, missingThoughtSignature } from './capabilities.ts';
import { toGatewayError } from './errors.ts';
import { resolveOptions, type GoogleOptions } from './options.ts';
import { toEmbedConfig, toEmbedContents, toEmbeddingResponse } from './translate-embeddings.ts';
import { toGeminiPrompt } from './translate-messages.ts';
import { toModelInfos } from './translate-models.ts';
import { toGenerateConfig } from './translate-params.ts';
import { toChatCompletion } from './translate-response.ts';
import { StreamTranslator } from './translate-stream.ts';

// Used by `embed` when the call names no model and the default model is a chat model.
const DEFAULT_EMBEDDING_MODEL = 'gemini-embedding-001';

/** A Gemini API provider on the official SDK: one client per instance, OpenAI shapes on the inside. */
export function createGoogleProvider(context: PluginContext, rawOptions: Partial<GoogleOptions>): Provider {
  const options = resolveOptions(rawOptions);
  const provider = context.name;
  const secrets = [options.apiKey];
  // `vertexai: false` and an explicit base URL keep GOOGLE_GENAI_USE_VERTEXAI / GOOGLE_GEMINI_BASE_URL
  // in the environment from steering the client. No `retryOptions`: the SDK then sends each request
  // once, and retrying elsewhere is the router's job.
  const ai = new GoogleGenAI({
    vertexai: false,
    apiKey: options.apiKey,
    httpOptions: { baseUrl: options.baseUrl, apiVersion: options.apiVersion },
  });
  const fail = (err: unknown, signal: AbortSignal) => toGatewayError(err, { provider, signal, secrets });

  function modelOf(call: ProviderCall, fallback = options.defaultModel): string {
    const model = call.model || fallback;
    // The SDK refuses these outright with a plain Error; say what is wrong instead.
    if (/[?&#\s]|\.\./.test(model)) throw new InvalidRequestError(`"${model}" is not a valid Gemini model name.`, 'model');
    return model;
  }

  function generateParams(request: ChatCompletionRequest, call: ProviderCall): GenerateContentParameters {
    const model = modelOf(call);
    const prompt = toGeminiPrompt(request.messages, {
      systemInstruction: acceptsSystemInstruction(model),
      missingThoughtSignature: missingThoughtSignature(model),
    });
    const config = toGenerateConfig(request);
    if (prompt.systemInstruction) config.systemInstruction = prompt.systemInstruction;
    // Automatic continuation would re-send a dropped stream by itself; the router decides about retries.
    config.automaticContinuation = false;
    return { model, contents: prompt.contents, config };
  }

  return {
    name: provider,

    capabilities: (model) => capabilitiesOf(model || options.defaultModel),

    async chat(request, call) {
      const params = generateParams(request, call);
      let response;
      try {
        response = await ai.models.generateContent({ ...params, config: { ...params.config, abortSignal: call.signal, ...extraHeaders(call) } });
      } catch (err) {
        throw fail(err, call.signal);
      }
      return toChatCompletion(response, provider, call.resolved);
    },

    async *chatStream(request, call) {
      const params = generateParams(request, call);
      // Our own controller, so that a consumer that stops early also ends the upstream request.
      const upstream = new AbortController();
      const onAbort = () => upstream.abort(call.signal.reason);
      if (call.signal.aborted) onAbort();
      else call.signal.addEventListener('abort', onAbort, { once: true });
      try {
        const stream = await ai.models.generateContentStream({ ...params, config: { ...params.config, abortSignal: upstream.signal, ...extraHeaders(call) } });
        const translator = new StreamTranslator(provider, call.resolved);
        for await (const event of stream) yield* translator.push(event);
        yield* translator.end();
      } catch (err) {
        throw fail(err, call.signal);
      } finally {
        call.signal.removeEventListener('abort', onAbort);
        upstream.abort();
      }
    },

    async embed(request, call) {
      const model = modelOf(call, capabilitiesOf(options.defaultModel).embeddings ? options.defaultModel : DEFAULT_EMBEDDING_MODEL);
      const contents = toEmbedContents(request);
      let response;
      try {
        // With the Gemini API the SDK sends every content in one :batchEmbedContents request.
        response = await ai.models.embedContent({ model, contents, config: { ...toEmbedConfig(request), abortSignal: call.signal, ...extraHeaders(call) } });
      } catch (err) {
        throw fail(err, call.signal);
      }
      return toEmbeddingResponse(response, contents.length, provider, call.resolved);
    },

    async listModels(signal) {
      const models: Model[] = [];
      try {
        const pager = await ai.models.list({ config: { pageSize: 1000, abortSignal: signal } });
        for await (const model of pager) models.push(model);
      } catch (err) {
        throw fail(err, signal);
      }
      return toModelInfos(models);
    },

    async probe(signal) {
      try {
        await ai.models.list({ config: { pageSize: 1, abortSignal: signal } });
      } catch (err) {
        throw fail(err, signal);
      }
    },
  };
}

/** The headers observers asked for (a trace context), as the SDK takes them per request; nothing when there are none. */
function extraHeaders(call: ProviderCall): { httpOptions?: { headers: Record<string, string> } } {
  return call.headers ? { httpOptions: { headers: { ...call.headers } } } : {};
}
