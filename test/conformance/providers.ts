import { FakeGemini, errorBody as geminiErrorBody } from '../helpers/fake-gemini.ts';
import { FakeOllama } from '../helpers/fake-ollama.ts';
import { FakeOpenAI } from '../helpers/fake-openai.ts';
import type { Fault, RecordedRequest } from '../helpers/fake-server.ts';
import { defaultReply, type ReplyScript } from '../helpers/scripted-reply.ts';
import { upstreamEnv, type Upstreams } from '../helpers/test-gateway.ts';

// The provider conformance table. Every entry names a provider instance of the default profile, starts
// the protocol fake behind it, and reads what that fake RECEIVED back into provider-neutral terms. The
// conformance suite (conformance.test.ts) and the Vercel AI SDK test run every case against every entry:
// a new provider plugin gets all of them by adding one entry here.

/** What every protocol fake offers the suite (FakeOllama, FakeOpenAI and FakeGemini all do). */
export interface ConformanceFake {
  readonly url: string;
  readonly requests: RecordedRequest[];
  reply(script: ReplyScript): unknown;
  fault(fault: Fault): unknown;
  clearFaults(): unknown;
  stop(): Promise<void>;
}

export interface ReceivedParams {
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  stop?: string[];
  seed?: number;
}
export interface ReceivedImage {
  /** Undefined for protocols that carry images as bare base64 (Ollama). */
  mimeType?: string;
  base64: string;
}
export interface ReceivedTool {
  name: string;
  description?: string;
  parameters?: any;
}
export type ReceivedJsonMode = { type: 'json_object' } | { type: 'json_schema'; schema: any } | undefined;
/** A tool result as the upstream saw it: which function it answers, and its content (parsed when JSON). */
export interface ReceivedToolResult {
  name: string | undefined;
  content: unknown;
}
/** A tool call of an earlier assistant turn, replayed to the upstream (arguments as an object). */
export interface ReceivedToolCall {
  name: string;
  arguments: unknown;
}

/** Reads one chat request body, as the fake received it, in provider-neutral form. */
export interface Received {
  params(body: any): ReceivedParams;
  images(body: any): ReceivedImage[];
  tools(body: any): ReceivedTool[];
  jsonMode(body: any): ReceivedJsonMode;
  toolResults(body: any): ReceivedToolResult[];
  assistantToolCalls(body: any): ReceivedToolCall[];
}

/** A started fake, with the provider-specific ways of making it fail. */
export interface FakeUpstream {
  fake: ConformanceFake;
  /** For upstreamEnv: points the default profile's instance at the fake and sets its key. */
  upstreams: Upstreams;
  /** The chat requests (whole and streamed) the fake received since the last reset. */
  chatRequests(): RecordedRequest[];
  /** The path of chat requests, for `fault({path})`. */
  chatPath: string | RegExp;
  /** From now on the upstream rejects the gateway's credentials the way this provider does. */
  rejectKey(): void;
  /** The next chat request is rate-limited, with the wait in this provider's own form. */
  rateLimit(seconds: number): void;
  /** Back to a clean state between cases: no faults, the default reply, the gateway's key accepted, no requests logged. */
  reset(): void;
}

export interface ProviderEntry {
  /** The instance name of the default profile: the `provider/` prefix of model names. */
  name: string;
  /** The plugin behind the instance, for test titles. */
  plugin: string;
  start(): Promise<FakeUpstream>;
  /** Model names (without the prefix) per case; each must be able to do what its case needs. */
  models: {
    chat: string;
    tools: string;
    vision: string;
    json: string;
    embedding: string;
    /** A chat model that cannot call tools, when the provider has one. */
    noTools?: string;
  };
  /** The prompt tokens the provider reports for embedding these inputs. */
  embeddingTokens(inputs: string[]): number;
  received: Received;
}

/** The instance name of an OpenAI-protocol fake used as the second entry of fallback chains. */
export function backupInstanceFor(entry: ProviderEntry): 'groq' | 'openrouter' {
  return entry.name === 'groq' ? 'openrouter' : 'groq';
}

export const PROVIDERS: ProviderEntry[] = [
  {
    name: 'ollama',
    plugin: 'ollama',
    async start() {
      const fake = await new FakeOllama().start();
      return {
        fake,
        upstreams: { ollama: { url: fake.url } },
        chatPath: '/api/chat',
        chatRequests: () => fake.requestsTo('/api/chat'),
        // Ollama has no key of its own; a reverse proxy in front of it answers 401.
        rejectKey: () => fake.fault({ path: '/api/chat', status: 401, message: 'unauthorized' }),
        rateLimit: (seconds) => fake.fault({ path: '/api/chat', status: 429, message: 'too many requests', headers: { 'Retry-After': String(seconds) }, times: 1 }),
        reset: () => resetFake(fake),
      };
    },
    models: { chat: 'llama3.1:8b', tools: 'llama3.1:8b', vision: 'gemma3:4b', json: 'llama3.1:8b', embedding: 'nomic-embed-text', noTools: 'gemma3:4b' },
    embeddingTokens: (inputs) => inputs.reduce((n, t) => n + Math.max(1, Math.ceil(t.length / 4)), 0),
    received: {
      params: (body) => ({
        temperature: body.options?.temperature,
        topP: body.options?.top_p,
        maxTokens: body.options?.num_predict,
        stop: body.options?.stop,
        seed: body.options?.seed,
      }),
      images: (body) => messages(body).flatMap((m) => (m.images ?? []).map((base64: string) => ({ base64 }))),
      tools: (body) => openAiTools(body.tools),
      jsonMode: (body) =>
        body.format === 'json' ? { type: 'json_object' } : isObject(body.format) ? { type: 'json_schema', schema: body.format } : undefined,
      toolResults: (body) =>
        messages(body)
          .filter((m) => m.role === 'tool')
          .map((m) => ({ name: m.tool_name, content: parseMaybe(m.content) })),
      assistantToolCalls: (body) =>
        messages(body)
          .filter((m) => m.role === 'assistant')
          .flatMap((m) => (m.tool_calls ?? []).map((c: any) => ({ name: c.function?.name, arguments: c.function?.arguments }))),
    },
  },
  {
    name: 'groq',
    plugin: 'openai-compat',
    async start() {
      const fake = await new FakeOpenAI().start();
      return {
        fake,
        upstreams: { groq: { baseUrl: fake.baseUrl } },
        chatPath: '/v1/chat/completions',
        chatRequests: () => fake.requestsTo('/v1/chat/completions'),
        // The fake then answers the gateway's key as OpenAI does: 401 invalid_api_key.
        rejectKey: () => {
          fake.apiKey = 'sk-some-other-key-0000000000';
        },
        rateLimit: (seconds) =>
          fake.fault({ path: '/v1/chat/completions', status: 429, message: 'Rate limit reached for requests', headers: { 'Retry-After': String(seconds) }, times: 1 }),
        reset: () => {
          fake.apiKey = undefined;
          resetFake(fake);
        },
      };
    },
    models: { chat: 'llama-3.1-8b-instant', tools: 'llama-3.3-70b-versatile', vision: 'llama-4-scout-17b-16e-instruct', json: 'llama-3.1-8b-instant', embedding: 'text-embedding-3-small' },
    embeddingTokens: (inputs) => inputs.reduce((n, t) => n + Math.ceil(t.length / 4), 0),
    received: {
      params: (body) => ({
        temperature: body.temperature,
        topP: body.top_p,
        maxTokens: body.max_completion_tokens ?? body.max_tokens,
        stop: typeof body.stop === 'string' ? [body.stop] : body.stop,
        seed: body.seed,
      }),
      images: (body) =>
        messages(body)
          .flatMap((m) => (Array.isArray(m.content) ? m.content : []))
          .filter((p: any) => p.type === 'image_url')
          .map((p: any) => {
            const match = /^data:([^;,]+);base64,(.*)$/s.exec(p.image_url?.url ?? '');
            return match ? { mimeType: match[1], base64: match[2]! } : { base64: `(not a data URL: ${String(p.image_url?.url).slice(0, 40)})` };
          }),
      tools: (body) => openAiTools(body.tools),
      jsonMode: (body) => {
        const format = body.response_format;
        if (format?.type === 'json_object') return { type: 'json_object' };
        if (format?.type === 'json_schema') return { type: 'json_schema', schema: format.json_schema?.schema };
        return undefined;
      },
      // OpenAI's protocol ties a result to its call by id: the name is found among the assistant's calls.
      toolResults: (body) => {
        const names = new Map<string, string>();
        for (const m of messages(body)) for (const c of m.tool_calls ?? []) names.set(c.id, c.function?.name);
        return messages(body)
          .filter((m) => m.role === 'tool')
          .map((m) => ({ name: names.get(m.tool_call_id), content: parseMaybe(m.content) }));
      },
      assistantToolCalls: (body) =>
        messages(body)
          .filter((m) => m.role === 'assistant')
          .flatMap((m) => (m.tool_calls ?? []).map((c: any) => ({ name: c.function?.name, arguments: parseMaybe(c.function?.arguments) }))),
    },
  },
  {
    name: 'google',
    plugin: 'google',
    async start() {
      const key = upstreamEnv({ google: { url: 'http://unused' } }).GOOGLE_API_KEY!;
      const fake = await new FakeGemini({ apiKey: key }).start();
      const chatPath = /:(generateContent|streamGenerateContent)$/;
      return {
        fake,
        upstreams: { google: { url: fake.url } },
        chatPath,
        chatRequests: () => fake.requests.filter((r) => chatPath.test(new URL(r.path, fake.url).pathname)),
        // Google answers a key it does not know with 400 INVALID_ARGUMENT, reason API_KEY_INVALID.
        rejectKey: () => {
          fake.apiKey = 'AIzaSy-a-key-the-gateway-does-not-have';
        },
        // Google names the wait in the body (RetryInfo.retryDelay), not in a header.
        rateLimit: (seconds) =>
          fake.fault({
            path: chatPath,
            status: 429,
            rawBody: JSON.stringify(
              geminiErrorBody(429, 'Resource has been exhausted (e.g. check quota).', [
                { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${seconds}s` },
              ]),
            ),
            times: 1,
          }),
        reset: () => {
          fake.apiKey = key;
          resetFake(fake);
        },
      };
    },
    models: {
      chat: 'gemini-2.5-flash',
      tools: 'gemini-2.5-flash',
      vision: 'gemini-2.5-flash',
      json: 'gemini-2.5-flash',
      embedding: 'gemini-embedding-001',
      noTools: 'gemma-3-27b-it',
    },
    // The Gemini API reports no token counts for embeddings.
    embeddingTokens: () => 0,
    received: {
      params: (body) => {
        const config = body.generationConfig ?? {};
        return { temperature: config.temperature, topP: config.topP, maxTokens: config.maxOutputTokens, stop: config.stopSequences, seed: config.seed };
      },
      images: (body) =>
        geminiParts(body)
          .filter((p) => p.inlineData)
          .map((p) => ({ mimeType: p.inlineData.mimeType, base64: p.inlineData.data })),
      tools: (body) =>
        (body.tools ?? [])
          .flatMap((t: any) => t.functionDeclarations ?? [])
          .map((d: any) => ({ name: d.name, description: d.description, parameters: d.parametersJsonSchema ?? d.parameters })),
      jsonMode: (body) => {
        const config = body.generationConfig ?? {};
        if (config.responseMimeType !== 'application/json') return undefined;
        const schema = config.responseJsonSchema ?? config.responseSchema;
        return schema ? { type: 'json_schema', schema } : { type: 'json_object' };
      },
      toolResults: (body) =>
        geminiParts(body)
          .filter((p) => p.functionResponse)
          .map((p) => ({ name: p.functionResponse.name, content: p.functionResponse.response })),
      assistantToolCalls: (body) =>
        (body.contents ?? [])
          .filter((c: any) => c.role === 'model')
          .flatMap((c: any) => c.parts ?? [])
          .filter((p: any) => p.functionCall)
          .map((p: any) => ({ name: p.functionCall.name, arguments: p.functionCall.args ?? {} })),
    },
  },
];

/** `provider/model` as the gateway reports it. */
export function resolvedName(entry: ProviderEntry, model: string): string {
  return `${entry.name}/${model}`;
}

function resetFake(fake: ConformanceFake): void {
  fake.clearFaults();
  fake.reply(defaultReply);
  fake.requests.length = 0;
}

function messages(body: any): any[] {
  return Array.isArray(body?.messages) ? body.messages : [];
}

function geminiParts(body: any): any[] {
  return (body?.contents ?? []).flatMap((c: any) => c.parts ?? []);
}

function openAiTools(tools: unknown): ReceivedTool[] {
  if (!Array.isArray(tools)) return [];
  return tools.map((t) => ({ name: t.function?.name, description: t.function?.description, parameters: t.function?.parameters }));
}

function parseMaybe(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
