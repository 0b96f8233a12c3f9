import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { FakeExchange } from './fake-server.ts';
import { ProtocolFake } from './protocol-fake.ts';
import { defaultReply, fakeEmbedding, pieces, type ReplyScript, type ScriptedReply } from './scripted-reply.ts';

export interface FakeOpenAIOptions {
  /** The API's path prefix; the base URL a client uses is `url + prefix`. Default `/v1`. */
  prefix?: string;
  /** When set, every request must carry `Authorization: Bearer <apiKey>` (else 401, as OpenAI answers). */
  apiKey?: string;
  /** Interleave SSE comment lines (`: keep-alive`) before every stream event, as OpenRouter does. */
  comments?: boolean;
  /** Send `data: {"error": …}` after this many stream events and end the stream there (no `[DONE]`). */
  midStreamError?: { afterChunks: number; error?: Record<string, unknown> };
  /** Chat/embedding requests naming a model outside `models` get OpenAI's 404 `model_not_found`. */
  rejectUnknownModels?: boolean;
  /** Length of the fake embedding vectors when the request sets no `dimensions`. Default 8. */
  dimensions?: number;
}

type ErrorExtras = { param?: string | null; code?: string | null; type?: string };

/**
 * A real HTTP server that speaks the OpenAI API as documented (chat completions as JSON and SSE,
 * embeddings as floats or base64 float32, the model list, OpenAI's error bodies), driven by a
 * ScriptedReply, with FakeServer's faults and request log.
 */
export class FakeOpenAI extends ProtocolFake<ReplyScript> {
  readonly prefix: string;
  apiKey: string | undefined;
  comments: boolean;
  midStreamError: FakeOpenAIOptions['midStreamError'];
  rejectUnknownModels: boolean;
  dimensions: number;
  private modelIds: string[] = ['gpt-4o-mini', 'gpt-4o', 'text-embedding-3-small'];

  constructor(options: FakeOpenAIOptions = {}) {
    super(defaultReply, (status, message) => errorBody(status, message));
    this.prefix = options.prefix ?? '/v1';
    this.apiKey = options.apiKey;
    this.comments = options.comments ?? false;
    this.midStreamError = options.midStreamError;
    this.rejectUnknownModels = options.rejectUnknownModels ?? false;
    this.dimensions = options.dimensions ?? 8;
  }

  get baseUrl(): string {
    return this.server.url + this.prefix;
  }
  set models(ids: string[]) {
    this.modelIds = [...ids];
  }
  get models(): string[] {
    return [...this.modelIds];
  }

  protected async handle(exchange: FakeExchange): Promise<void> {
    const { req, res, record, url } = exchange;
    if (this.apiKey !== undefined) {
      const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (given === undefined) {
        return sendError(res, 401, "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).");
      }
      if (given !== this.apiKey) {
        return sendError(res, 401, `Incorrect API key provided: ${maskKey(given)}. You can find your API key at https://platform.openai.com/account/api-keys.`, { code: 'invalid_api_key' });
      }
    }
    const path = url.pathname.startsWith(this.prefix) ? url.pathname.slice(this.prefix.length) : url.pathname;
    const route = `${record.method} ${path}`;
    if (route === 'GET /models') return sendJson(res, 200, { object: 'list', data: this.modelIds.map(modelEntry) });
    if (record.method === 'GET' && path.startsWith('/models/')) {
      const id = decodeURIComponent(path.slice('/models/'.length));
      if (this.modelIds.includes(id)) return sendJson(res, 200, modelEntry(id));
      return sendError(res, 404, `The model '${id}' does not exist`, { param: 'model', code: 'model_not_found' });
    }
    if (route === 'POST /chat/completions') return this.chat(exchange);
    if (route === 'POST /embeddings') return this.embeddings(exchange);
    sendError(res, 404, `Invalid URL (${record.method} ${url.pathname})`);
  }

  /** Answers the 400/404 OpenAI gives before it generates anything; true when it did. */
  private rejected(res: ServerResponse, body: any): boolean {
    let error: [number, string, ErrorExtras?] | undefined;
    if (typeof body !== 'object' || body === null) error = [400, 'We could not parse the JSON body of your request.'];
    else if (typeof body.model !== 'string' || body.model === '') error = [400, 'you must provide a model parameter'];
    else if (this.rejectUnknownModels && !this.modelIds.includes(body.model)) {
      error = [404, `The model \`${body.model}\` does not exist or you do not have access to it.`, { code: 'model_not_found' }];
    }
    if (error) sendError(res, ...error);
    return error !== undefined;
  }

  private async chat({ res, record, writeChunk }: FakeExchange): Promise<void> {
    const body = record.body;
    if (this.rejected(res, body)) return;
    if (!Array.isArray(body.messages)) {
      return sendError(res, 400, "Missing required parameter: 'messages'.", { param: 'messages', code: 'missing_required_parameter' });
    }
    if (body.stream_options != null && body.stream !== true) {
      return sendError(res, 400, "The 'stream_options' parameter is only allowed when 'stream' is enabled.", { param: 'stream_options', code: 'invalid_value' });
    }
    const reply = typeof this.script === 'function' ? this.script(body) : this.script;
    const id = `chatcmpl-${randomBytes(12).toString('base64url')}`;
    const created = Math.floor(Date.now() / 1000);
    const toolCalls = (reply.toolCalls ?? []).map((call) => ({ id: `call_${randomBytes(12).toString('base64url')}`, type: 'function', function: { name: call.name, arguments: JSON.stringify(call.arguments) } }));
    const finish = reply.nativeFinish ?? reply.finish ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop');
    const usage = usageOf(reply, body);
    const meta = { id, created, model: body.model, service_tier: 'default', system_fingerprint: 'fp_fake0001' };
    if (body.stream !== true) {
      const message: Record<string, unknown> = { role: 'assistant', content: reply.text ?? null, refusal: null, annotations: [] };
      if (reply.reasoning) message.reasoning_content = reply.reasoning;
      if (toolCalls.length > 0) message.tool_calls = toolCalls;
      return sendJson(res, 200, { ...meta, object: 'chat.completion', choices: [{ index: 0, message, logprobs: null, finish_reason: finish }], usage });
    }

    const withUsage = body.stream_options?.include_usage === true;
    const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
      ({ id, object: 'chat.completion.chunk', created, model: body.model, service_tier: 'default', system_fingerprint: meta.system_fingerprint, choices, ...(withUsage ? { usage: null } : {}), ...extra });
    const delta = (d: Record<string, unknown>, finishReason: string | null = null) => chunk([{ index: 0, delta: d, logprobs: null, finish_reason: finishReason }]);
    const size = reply.chunkSize ?? 4;
    const events: unknown[] = [delta({ role: 'assistant', content: '', refusal: null })];
    for (const piece of pieces(reply.reasoning ?? '', size)) events.push(delta({ reasoning_content: piece }));
    for (const piece of pieces(reply.text ?? '', size)) events.push(delta({ content: piece }));
    toolCalls.forEach((call, index) => {
      // OpenAI's shape: id, type and name only in the first delta of a call, then argument fragments.
      events.push(delta({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } }] }));
      for (const piece of pieces(call.function.arguments, size * 2)) events.push(delta({ tool_calls: [{ index, function: { arguments: piece } }] }));
    });
    events.push(delta({}, finish));
    if (withUsage) events.push(chunk([], { usage }));

    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
    const comment = this.comments ? ': keep-alive\n\n' : '';
    for (let i = 0; i < events.length; i++) {
      if (this.midStreamError && i === this.midStreamError.afterChunks) {
        const error = this.midStreamError.error ?? { message: 'The server had an error while processing your request. Sorry about that!', type: 'server_error', param: null, code: null };
        if (await writeChunk(`data: ${JSON.stringify({ error })}\n\n`)) res.end();
        return;
      }
      if (!(await writeChunk(`${comment}data: ${JSON.stringify(events[i])}\n\n`))) return;
    }
    if (await writeChunk(`${comment}data: [DONE]\n\n`)) res.end();
  }

  private embeddings({ res, record }: FakeExchange): void {
    const body = record.body;
    if (this.rejected(res, body)) return;
    const inputs = embeddingInputs(body.input);
    if (!inputs) return sendError(res, 400, "'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.", { param: 'input' });
    const format = body.encoding_format ?? 'float';
    if (format !== 'float' && format !== 'base64') {
      return sendError(res, 400, `'${format}' is not one of ['float', 'base64'] - 'encoding_format'`, { param: 'encoding_format' });
    }
    const data = inputs.map((input, index) => {
      const vector = fakeEmbedding(input, body.dimensions ?? this.dimensions);
      return { object: 'embedding', index, embedding: format === 'base64' ? float32Base64(vector) : vector };
    });
    const tokens = inputs.reduce((sum, input) => sum + Math.ceil(input.length / 4), 0);
    sendJson(res, 200, { object: 'list', data, model: body.model, usage: { prompt_tokens: tokens, total_tokens: tokens } });
  }
}

/** OpenAI's error envelope; `type` and `code` follow what the API sends for each status. */
export function errorBody(status: number, message: string, extras: ErrorExtras = {}): unknown {
  const type = extras.type ?? (status === 429 ? 'requests' : status >= 500 ? 'server_error' : 'invalid_request_error');
  const code = extras.code !== undefined ? extras.code : status === 401 ? 'invalid_api_key' : status === 404 ? 'model_not_found' : status === 429 ? 'rate_limit_exceeded' : null;
  return { error: { message, type, param: extras.param ?? null, code } };
}

function sendError(res: ServerResponse, status: number, message: string, extras: ErrorExtras = {}): void {
  sendJson(res, status, errorBody(status, message, extras));
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** OpenAI echoes a rejected key with its middle masked. */
function maskKey(key: string): string {
  return key.length <= 9 ? '*'.repeat(key.length) : `${key.slice(0, 5)}${'*'.repeat(Math.min(key.length - 9, 20))}${key.slice(-4)}`;
}

function modelEntry(id: string) {
  return { id, object: 'model', created: 1_700_000_000, owned_by: id.startsWith('text-embedding') ? 'openai-internal' : 'system' };
}

function usageOf(reply: ScriptedReply, body: any) {
  const prompt = reply.usage?.prompt ?? Math.ceil(JSON.stringify(body.messages).length / 4);
  const reasoning = reply.usage?.reasoning ?? 0;
  // OpenAI counts reasoning tokens inside completion_tokens and names them again in the details.
  const completion = (reply.usage?.completion ?? Math.ceil((reply.text ?? '').length / 4)) + reasoning;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: reasoning, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
}

/** `input` as texts: a string, strings, one token array, or token arrays (embedded by their JSON text). */
function embeddingInputs(input: unknown): string[] | undefined {
  if (typeof input === 'string') return input === '' ? undefined : [input];
  if (!Array.isArray(input) || input.length === 0) return undefined;
  if (input.every((x) => typeof x === 'number')) return [JSON.stringify(input)];
  if (input.every((x) => typeof x === 'string' || Array.isArray(x))) return input.map((x) => (typeof x === 'string' ? x : JSON.stringify(x)));
  return undefined;
}

function float32Base64(vector: number[]): string {
  const bytes = Buffer.alloc(vector.length * 4);
  vector.forEach((value, i) => bytes.writeFloatLE(value, i * 4));
  return bytes.toString('base64');
}
