import type { ServerResponse } from 'node:http';
import type { FakeExchange } from './fake-server.ts';
import { ProtocolFake } from './protocol-fake.ts';
import { defaultReply, fakeEmbedding, pieces, type ReplyScript, type ScriptedReply } from './scripted-reply.ts';

/** A model the fake serves; `capabilities: null` mimics an Ollama too old to list them in `/api/show`. */
export interface FakeOllamaModel {
  name: string;
  capabilities?: string[] | null;
  modifiedAt?: string;
}

export const DEFAULT_FAKE_OLLAMA_MODELS: FakeOllamaModel[] = [
  { name: 'gemma3:4b', capabilities: ['completion', 'vision'] },
  { name: 'llama3.1:8b', capabilities: ['completion', 'tools'] },
  { name: 'qwen2.5vl:7b', capabilities: ['completion', 'vision'] },
  { name: 'nomic-embed-text:latest', capabilities: ['embedding'] },
];

export interface FakeOllamaOptions {
  models?: Array<string | FakeOllamaModel>;
  /** Answer 404 on /api/chat and /api/embed for models not in the list (real Ollama does; off by default). */
  knownModels?: boolean;
}

/**
 * Ollama's native API on a real loopback server, as docs/api.md describes it: `/api/chat` (JSON, or NDJSON
 * when `stream` is not false — Ollama's default), `/api/embed`, `/api/tags`, `/api/show`, errors as
 * `{"error": "..."}`. Faults come from FakeServer; `failStreamAfter` adds Ollama's mid-stream error line.
 */
export class FakeOllama extends ProtocolFake<ReplyScript> {
  knownModels: boolean;
  private list: FakeOllamaModel[] = DEFAULT_FAKE_OLLAMA_MODELS;
  private streamError: { afterLines: number; message: string } | undefined;

  constructor(options: FakeOllamaOptions = {}) {
    super(defaultReply, (_status, message) => ({ error: message }));
    if (options.models) this.models = options.models;
    this.knownModels = options.knownModels ?? false;
  }

  get models(): FakeOllamaModel[] {
    return this.list;
  }
  set models(models: Array<string | FakeOllamaModel>) {
    this.list = models.map((m) => (typeof m === 'string' ? { name: m, capabilities: ['completion'] } : m));
  }
  override clearFaults(): this {
    this.streamError = undefined;
    return super.clearFaults();
  }
  /** The next stream sends `afterLines` lines, then `{"error": message}`, then ends (a runner crash). */
  failStreamAfter(afterLines: number, message: string): this {
    this.streamError = { afterLines, message };
    return this;
  }
  private find(name: unknown): FakeOllamaModel | undefined {
    return this.list.find((m) => m.name === name || m.name === `${String(name)}:latest`);
  }

  protected handle(ex: FakeExchange): Promise<void> | void {
    const body = ex.record.body && typeof ex.record.body === 'object' ? ex.record.body : {};
    const route = `${ex.req.method} ${ex.url.pathname}`;
    if (route === 'GET /api/tags') return json(ex.res, 200, { models: this.list.map(tagEntry) });
    if (route === 'GET /api/version') return json(ex.res, 200, { version: '0.12.6' });
    if (route === 'POST /api/show') {
      const model = this.find(body.model);
      if (!model) return json(ex.res, 404, { error: `model '${String(body.model)}' not found` });
      const show: Record<string, unknown> = { modelfile: '', parameters: '', template: '{{ .Prompt }}', details: { format: 'gguf' }, model_info: {} };
      if (model.capabilities) show.capabilities = model.capabilities;
      return json(ex.res, 200, { ...show, modified_at: model.modifiedAt ?? '2025-05-01T10:00:00Z' });
    }
    if (route === 'POST /api/chat' || route === 'POST /api/embed') {
      if (typeof body.model !== 'string' || body.model === '') return json(ex.res, 400, { error: 'model is required' });
      const model = this.find(body.model);
      if (this.knownModels && !model) return json(ex.res, 404, { error: `model '${body.model}' not found` });
      const caps = model?.capabilities;
      if (route === 'POST /api/embed') {
        if (this.knownModels && caps && !caps.includes('embedding')) return json(ex.res, 400, { error: 'this model does not support embeddings' });
        return this.embed(ex, body);
      }
      if (this.knownModels && caps && Array.isArray(body.tools) && body.tools.length > 0 && !caps.includes('tools')) {
        return json(ex.res, 400, { error: `registry.ollama.ai/library/${body.model} does not support tools` });
      }
      return this.chat(ex, body);
    }
    ex.res.writeHead(404, { 'content-type': 'text/plain' });
    ex.res.end('404 page not found');
  }

  private embed(ex: FakeExchange, body: any): void {
    const inputs: unknown[] = typeof body.input === 'string' ? [body.input] : Array.isArray(body.input) ? body.input : [];
    if (inputs.length === 0 || !inputs.every((i) => typeof i === 'string')) return json(ex.res, 400, { error: 'invalid input type' });
    const texts = inputs as string[];
    json(ex.res, 200, {
      model: body.model,
      embeddings: texts.map((t) => fakeEmbedding(t, body.dimensions ?? 8)),
      total_duration: 14_143_917,
      load_duration: 1_019_500,
      prompt_eval_count: texts.reduce((n, t) => n + Math.max(1, Math.ceil(t.length / 4)), 0),
    });
  }

  private async chat(ex: FakeExchange, body: any): Promise<void> {
    const reply: ScriptedReply = typeof this.script === 'function' ? this.script(body) : this.script;
    const head = () => ({ model: body.model, created_at: new Date().toISOString() });
    const toolCalls = reply.toolCalls?.map((c) => ({ function: { name: c.name, arguments: c.arguments } }));
    const final = {
      done: true,
      done_reason: reply.nativeFinish ?? (reply.finish === 'length' ? 'length' : 'stop'),
      total_duration: 4_883_583_458,
      load_duration: 1_334_875,
      ...(reply.usage ? { prompt_eval_count: reply.usage.prompt, prompt_eval_duration: 342_546_000 } : {}),
      ...(reply.usage ? { eval_count: reply.usage.completion, eval_duration: 4_535_599_000 } : {}),
    };
    if (body.stream === false) {
      const message: Record<string, unknown> = { role: 'assistant', content: reply.text ?? '' };
      if (reply.reasoning) message.thinking = reply.reasoning;
      if (toolCalls?.length) message.tool_calls = toolCalls;
      return json(ex.res, 200, { ...head(), message, ...final });
    }

    const lines: object[] = [];
    for (const piece of pieces(reply.reasoning ?? '', reply.chunkSize)) lines.push({ ...head(), message: { role: 'assistant', content: '', thinking: piece }, done: false });
    for (const piece of pieces(reply.text ?? '', reply.chunkSize)) lines.push({ ...head(), message: { role: 'assistant', content: piece }, done: false });
    if (toolCalls?.length) lines.push({ ...head(), message: { role: 'assistant', content: '', tool_calls: toolCalls }, done: false });
    lines.push({ ...head(), message: { role: 'assistant', content: '' }, ...final });

    const failure = this.streamError;
    this.streamError = undefined;
    ex.res.writeHead(200, { 'content-type': 'application/x-ndjson' });
    for (let i = 0; i < lines.length; i++) {
      if (failure && i === failure.afterLines) {
        if (await ex.writeChunk(`${JSON.stringify({ error: failure.message })}\n`)) ex.res.end();
        return;
      }
      // A cut destroys the socket; a stall leaves it open and silent.
      if (!(await ex.writeChunk(`${JSON.stringify(lines[i])}\n`))) return;
    }
    ex.res.end();
  }
}

function tagEntry(model: FakeOllamaModel): object {
  return {
    name: model.name,
    model: model.name,
    modified_at: model.modifiedAt ?? '2025-05-01T10:00:00Z',
    size: 3_338_801_804,
    digest: Buffer.from(model.name).toString('hex').padEnd(64, '0').slice(0, 64),
    details: { parent_model: '', format: 'gguf', family: model.name.split(/[:.\d]/)[0], parameter_size: '4.3B', quantization_level: 'Q4_K_M' },
  };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}
