// Ollama's native wire shapes (docs/api.md of ollama/ollama). Only the fields this plugin reads or writes.
import type { FunctionTool } from '../../core/index.ts';

export interface OllamaToolCall {
  /** Newer Ollama versions send an id; older ones send none. */
  id?: string;
  /** Unlike OpenAI, arguments travel as a JSON object, not as a string. */
  function: { index?: number; name: string; arguments: Record<string, unknown> };
}

export interface OllamaMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string;
  /** Base64 payloads without the `data:` prefix. */
  images?: string[];
  thinking?: string;
  tool_calls?: OllamaToolCall[];
  /** On `tool` messages: which tool produced this result. */
  tool_name?: string;
}

export interface OllamaChatRequest {
  model: string;
  messages: OllamaMessage[];
  stream: boolean;
  /** `"json"` or a JSON schema. */
  format?: 'json' | Record<string, unknown>;
  options?: Record<string, unknown>;
  tools?: FunctionTool[];
  keep_alive?: string | number;
  think?: boolean | string;
}

/** One `/api/chat` answer, or one NDJSON line of a streamed answer. */
export interface OllamaChatResponse {
  model?: string;
  created_at?: string;
  message?: Partial<OllamaMessage>;
  done?: boolean;
  /** `stop`, `length`, `load`, `unload`. */
  done_reason?: string;
  prompt_eval_count?: number;
  eval_count?: number;
  total_duration?: number;
  /** Ollama reports a failure that happens after the 200 as an error line in the stream. */
  error?: unknown;
}

export interface OllamaEmbedRequest {
  model: string;
  input: string | string[];
  dimensions?: number;
  keep_alive?: string | number;
}

export interface OllamaEmbedResponse {
  model?: string;
  embeddings?: unknown;
  prompt_eval_count?: number;
}

export interface OllamaTagsResponse {
  models?: Array<{ name?: string; model?: string; modified_at?: string; size?: number; details?: unknown }>;
}

export interface OllamaShowResponse {
  /** Present since Ollama 0.6-ish: `completion`, `vision`, `tools`, `embedding`, `thinking`, `insert`. */
  capabilities?: unknown;
}
