import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { FakeExchange } from './fake-server.ts';
import { ProtocolFake } from './protocol-fake.ts';
import { defaultReply, fakeEmbedding, pieces, type ScriptedReply } from './scripted-reply.ts';

/** A scripted reply plus what only Gemini has: a prompt refused as a whole (`promptFeedback.blockReason`). */
export type GeminiReply = ScriptedReply & { blockReason?: string };
export type GeminiScript = GeminiReply | ((body: any) => GeminiReply);

export interface FakeGeminiOptions {
  /** The key requests must carry in `x-goog-api-key` (or `?key=`). Default `test-key`. */
  apiKey?: string;
}

const STATUS_WORDS: Record<number, string> = {
  400: 'INVALID_ARGUMENT', 401: 'UNAUTHENTICATED', 403: 'PERMISSION_DENIED', 404: 'NOT_FOUND', 409: 'ABORTED',
  429: 'RESOURCE_EXHAUSTED', 499: 'CANCELLED', 500: 'INTERNAL', 503: 'UNAVAILABLE', 504: 'DEADLINE_EXCEEDED',
};
// Fields the API knows; anything else is "Invalid JSON payload received. Unknown name …" (400).
const REQUEST_FIELDS = ['contents', 'systemInstruction', 'generationConfig', 'tools', 'toolConfig', 'safetySettings', 'cachedContent'];
const GENERATION_FIELDS = [
  'temperature', 'topP', 'topK', 'candidateCount', 'maxOutputTokens', 'stopSequences', 'seed', 'presencePenalty',
  'frequencyPenalty', 'responseMimeType', 'responseSchema', 'responseJsonSchema', 'responseLogprobs', 'logprobs', 'thinkingConfig',
];

/**
 * A real HTTP server that speaks the Gemini API (v1beta) as documented: generateContent, streamGenerateContent
 * with `alt=sse`, batchEmbedContents / embedContent, the paged model list, `x-goog-api-key`, and Google's
 * error bodies `{error: {code, message, status}}` — with FakeServer's faults and request log.
 */
export class FakeGemini extends ProtocolFake<GeminiScript> {
  apiKey: string;
  private modelIds = ['gemini-2.5-flash', 'gemini-2.5-pro', 'gemini-3-pro-preview', 'gemma-3-27b-it', 'text-embedding-004', 'gemini-embedding-001', 'imagen-4.0-generate-001'];

  constructor(options: FakeGeminiOptions = {}) {
    super(defaultReply, errorBody);
    this.apiKey = options.apiKey ?? 'test-key';
  }

  set models(ids: string[]) {
    this.modelIds = [...ids];
  }
  get models(): string[] {
    return [...this.modelIds];
  }
  protected async handle(exchange: FakeExchange): Promise<void> {
    const { req, res, record, url } = exchange;
    const key = req.headers['x-goog-api-key'] ?? url.searchParams.get('key');
    if (key === undefined || key === null) {
      return sendError(res, 403, "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.");
    }
    // Google answers a wrong key with 400, not 401, and names the reason in the details.
    if (key !== this.apiKey) return sendError(res, 400, 'API key not valid. Please pass a valid API key.', [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com' }]);
    if (record.method === 'GET' && /^\/v1(beta)?\/models$/.test(url.pathname)) return this.list(res, url);
    const match = /^\/v1(?:beta)?\/models\/([^/:]+):(\w+)$/.exec(url.pathname);
    if (record.method !== 'POST' || !match) return sendError(res, 404, `Method not found: ${record.method} ${url.pathname}`);
    const [, model, method] = match as unknown as [string, string, string];
    if (!this.modelIds.includes(model)) {
      return sendError(res, 404, `models/${model} is not found for API version v1beta, or is not supported for ${method}. Call ListModels to see the list of available models and their supported methods.`);
    }
    if (typeof record.body !== 'object' || record.body === null) return sendError(res, 400, 'Invalid JSON payload received.');
    if (method === 'batchEmbedContents') return this.batchEmbed(res, model, record.body);
    if (method === 'embedContent') return sendJson(res, 200, { embedding: { values: embed(record.body) } });
    if (method !== 'generateContent' && method !== 'streamGenerateContent') return sendError(res, 404, `Method not found: ${method}`);
    const invalid = invalidGenerateRequest(model, record.body);
    if (invalid) return sendError(res, 400, invalid);
    const reply = typeof this.script === 'function' ? this.script(record.body) : this.script;
    const events = renderReply(reply, model);
    if (method === 'generateContent') return sendJson(res, 200, mergeEvents(events));
    if (url.searchParams.get('alt') !== 'sse') return sendError(res, 400, 'This fake streams only with alt=sse.');
    res.writeHead(200, { 'content-type': 'text/event-stream', 'x-content-type-options': 'nosniff' });
    for (const event of events) if (!(await exchange.writeChunk(`data: ${JSON.stringify(event)}\r\n\r\n`))) return;
    res.end();
  }

  private list(res: ServerResponse, url: URL): void {
    const size = Math.min(Number(url.searchParams.get('pageSize') ?? 50) || 50, 1000);
    const start = Number(Buffer.from(url.searchParams.get('pageToken') ?? '', 'base64url').toString() || 0);
    const page = this.modelIds.slice(start, start + size).map(modelEntry);
    const next = start + size < this.modelIds.length ? Buffer.from(String(start + size)).toString('base64url') : undefined;
    sendJson(res, 200, next ? { models: page, nextPageToken: next } : { models: page });
  }

  private batchEmbed(res: ServerResponse, model: string, body: any): void {
    if (!Array.isArray(body.requests) || body.requests.length === 0) return sendError(res, 400, '* BatchEmbedContentsRequest.requests: must not be empty');
    for (const request of body.requests) {
      if (request.model !== `models/${model}`) {
        return sendError(res, 400, `Model names should match. Expected models/${model} in request model field, got ${request.model}.`);
      }
    }
    sendJson(res, 200, { embeddings: body.requests.map((request: any) => ({ values: embed(request) })) });
  }
}

function embed(request: any): number[] {
  const text = (request.content?.parts ?? []).map((p: any) => p.text ?? '').join('');
  return fakeEmbedding(text, request.outputDimensionality ?? 8);
}

/** The checks the real API makes before generating; the message it answers with, or undefined. */
function invalidGenerateRequest(model: string, body: any): string | undefined {
  const unknown = Object.keys(body).find((k) => !REQUEST_FIELDS.includes(k));
  if (unknown) return `Invalid JSON payload received. Unknown name "${unknown}": Cannot find field.`;
  const unknownConfig = Object.keys(body.generationConfig ?? {}).find((k) => !GENERATION_FIELDS.includes(k));
  if (unknownConfig) return `Invalid JSON payload received. Unknown name "${unknownConfig}" at 'generation_config': Cannot find field.`;
  if (!Array.isArray(body.contents) || body.contents.length === 0) return '* GenerateContentRequest.contents: contents is not specified';
  if (body.systemInstruction && model.startsWith('gemma-')) return `Developer instruction is not enabled for models/${model}`;
  let calls = 0;
  for (const [i, content] of body.contents.entries()) {
    if (content.role !== 'user' && content.role !== 'model') return 'Please use a valid role: user, model.';
    if (!Array.isArray(content.parts) || content.parts.length === 0) return `* GenerateContentRequest.contents[${i}].parts: contents.parts must not be empty.`;
    const responses = content.parts.filter((p: any) => p.functionResponse).length;
    if (responses > 0 && responses !== calls) {
      return 'Please ensure that the number of function response parts is equal to the number of function call parts of the function call turn.';
    }
    calls = content.role === 'model' ? content.parts.filter((p: any) => p.functionCall).length : 0;
  }
  return undefined;
}

/** A scripted reply as the stream events Gemini would send; a non-streamed answer is their merge. */
function renderReply(reply: GeminiReply, model: string): any[] {
  const meta = { modelVersion: model, responseId: randomBytes(9).toString('base64url') };
  const prompt = reply.usage?.prompt ?? 12;
  const reasoning = reply.usage?.reasoning ?? 0;
  const completion = reply.usage?.completion ?? Math.ceil((reply.text ?? '').length / 4);
  if (reply.blockReason) {
    return [{ promptFeedback: { blockReason: reply.blockReason, safetyRatings: [] }, usageMetadata: { promptTokenCount: prompt, totalTokenCount: prompt }, ...meta }];
  }
  const parts: any[][] = [];
  if (reply.reasoning) parts.push([{ text: reply.reasoning, thought: true }]);
  for (const piece of pieces(reply.text ?? '', reply.chunkSize ?? 4)) parts.push([{ text: piece }]);
  // Each call in an event of its own, with a thought signature as thinking models send it.
  for (const call of reply.toolCalls ?? []) {
    parts.push([{ functionCall: { name: call.name, args: call.arguments }, thoughtSignature: Buffer.from(`sig:${call.name}`).toString('base64') }]);
  }
  if (parts.length === 0) parts.push([]);
  const finish = reply.nativeFinish ?? (reply.finish === 'length' ? 'MAX_TOKENS' : 'STOP');
  return parts.map((eventParts, i) => {
    const last = i === parts.length - 1;
    const candidate: any = { content: eventParts.length > 0 ? { parts: eventParts, role: 'model' } : { role: 'model' }, index: 0 };
    if (last) candidate.finishReason = finish;
    const done = last ? completion : Math.floor((completion * i) / parts.length);
    const usageMetadata: any = { promptTokenCount: prompt, candidatesTokenCount: done, totalTokenCount: prompt + done + reasoning };
    if (reasoning > 0) usageMetadata.thoughtsTokenCount = reasoning;
    return { candidates: [candidate], usageMetadata, ...meta };
  });
}

function mergeEvents(events: any[]): any {
  const last = events[events.length - 1];
  if (!last.candidates) return last;
  const parts = events.flatMap((e) => e.candidates[0].content.parts ?? []);
  const merged: any[] = [];
  for (const part of parts) {
    const prev = merged[merged.length - 1];
    if (prev && typeof prev.text === 'string' && typeof part.text === 'string' && !prev.thought && !part.thought) prev.text += part.text;
    else merged.push({ ...part });
  }
  const content = merged.length > 0 ? { parts: merged, role: 'model' } : { role: 'model' };
  return { ...last, candidates: [{ ...last.candidates[0], content }] };
}

function modelEntry(id: string) {
  const embedding = id.includes('embedding');
  const methods = embedding ? ['embedContent', 'batchEmbedContents'] : id.startsWith('imagen') ? ['predict'] : ['generateContent', 'countTokens', 'createCachedContent', 'batchGenerateContent'];
  return {
    name: `models/${id}`, version: '001', displayName: id, description: `Fake ${id}`,
    inputTokenLimit: embedding ? 2048 : 1048576, outputTokenLimit: embedding ? 1 : 65536, supportedGenerationMethods: methods,
  };
}

/** Google's error body: `{error: {code, message, status}}` (plus `details` when it has some). */
export function errorBody(status: number, message: string, details?: unknown[]): unknown {
  const error: Record<string, unknown> = { code: status, message, status: STATUS_WORDS[status] ?? (status >= 500 ? 'INTERNAL' : 'FAILED_PRECONDITION') };
  if (details) error.details = details;
  return { error };
}

function sendError(res: ServerResponse, status: number, message: string, details?: unknown[]): void {
  sendJson(res, status, errorBody(status, message, details));
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
  res.end(JSON.stringify(body));
}
