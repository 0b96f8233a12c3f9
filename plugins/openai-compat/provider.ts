import {
  UpstreamClient,
  UpstreamProtocolError,
  discard,
  errorFromResponse,
  isSuccess,
  readJson,
  type Capabilities,
  type ChatCompletion,
  type EmbeddingResponse,
  type ModelInfo,
  type PluginContext,
  type Provider,
} from '../../core/index.ts';
import { streamChat } from './chat-stream.ts';
import { modelInfosFromIds, modelInfosFromList } from './model-list.ts';
import { capabilityFlags, requestHeaders, type OpenAICompatOptions } from './options.ts';
import { errorFromStreamEvent } from './stream-error.ts';

/**
 * A provider for any upstream that speaks the OpenAI API (OpenAI, OpenRouter, Groq, Together, vLLM, …).
 * Requests pass through as the caller sent them, with only `model` (and `stream`) set; answers come back
 * as the upstream sent them, with only `model` set to what the caller asked for.
 */
export function createOpenAICompatProvider(ctx: PluginContext, options: OpenAICompatOptions): Provider {
  const client = new UpstreamClient({
    provider: ctx.name,
    baseUrl: options.baseUrl,
    headers: requestHeaders(options),
    secrets: [options.apiKey ?? ''],
  });
  const capabilities: Capabilities = { chat: true, stream: true, ...capabilityFlags(options) };
  ctx.onClose(() => client.close());

  async function listModels(signal: AbortSignal): Promise<ModelInfo[]> {
    try {
      const body = await readJson(client, await client.send('/models', { signal }), signal);
      const models = modelInfosFromList(body, ctx.name);
      if (!models) throw new UpstreamProtocolError(`${ctx.name}: GET /models answered without a data list`);
      return models;
    } catch (err) {
      if (signal.aborted || !options.models) throw err;
      ctx.log.debug({ err }, 'GET /models failed; serving the models option');
      return modelInfosFromIds(options.models, ctx.name);
    }
  }

  return {
    name: ctx.name,
    capabilities: () => ({ ...capabilities }),

    async chat(request, call) {
      // OpenAI refuses stream_options on a request that does not stream; JSON.stringify leaves out a key
      // whose value is undefined (cheaper than copying the request without it).
      const body = JSON.stringify({ ...request, model: call.model, stream: false, stream_options: undefined });
      const answer = await readJson(client, await client.send('/chat/completions', { body, signal: call.signal, headers: call.headers }), call.signal);
      // OpenRouter reports a failure that happened after it accepted the request as a 200 with `error`.
      if (isObject(answer) && answer.error != null) throw errorFromStreamEvent(ctx.name, answer.error, (t) => client.redact(t));
      if (!isObject(answer) || !Array.isArray(answer.choices)) {
        throw new UpstreamProtocolError(`${ctx.name}: the chat answer has no choices list`);
      }
      const completion = answer as ChatCompletion;
      completion.model = call.resolved;
      return completion;
    },

    chatStream: (request, call) => streamChat(client, request, call),

    async embed(request, call) {
      const body = JSON.stringify({ ...request, model: call.model });
      const answer = await readJson(client, await client.send('/embeddings', { body, signal: call.signal, headers: call.headers }), call.signal);
      if (!isObject(answer) || !Array.isArray(answer.data)) {
        throw new UpstreamProtocolError(`${ctx.name}: the embeddings answer has no data list`);
      }
      const embeddings = answer as unknown as EmbeddingResponse;
      embeddings.model = call.resolved;
      return embeddings;
    },

    listModels,

    async probe(signal) {
      const response = await client.send('/models', { signal });
      if (!isSuccess(response)) throw await errorFromResponse(client, response, signal);
      await discard(response);
    },
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
