// The OpenAI Responses API shapes the gateway accepts on `POST /v1/responses` and answers with, after the
// `openai` SDK's own types (`openai/resources/responses/responses`). Only what the gateway reads or writes is
// typed; the request keeps unknown fields (clients send many the gateway has no use for).

export type ResponsesRole = 'user' | 'system' | 'developer' | 'assistant';

export type ItemStatus = 'in_progress' | 'completed' | 'incomplete';

export type ImageDetail = 'auto' | 'low' | 'high' | 'original';

/** A content part of an input message (or of a function call's output). */
export type InputContentPart =
  | { type: 'input_text'; text: string }
  | { type: 'input_image'; image_url?: string | null; file_id?: string | null; detail?: ImageDetail }
  | { type: 'input_file'; [key: string]: unknown }
  | { type: 'output_text'; text: string; annotations?: unknown[]; [key: string]: unknown }
  | { type: 'refusal'; refusal: string };

export interface MessageItem {
  type?: 'message';
  id?: string;
  role: ResponsesRole;
  content: string | InputContentPart[];
  status?: ItemStatus;
}

export interface FunctionCallItem {
  type: 'function_call';
  id?: string;
  call_id: string;
  name: string;
  /** The arguments as a JSON string. */
  arguments: string;
  status?: ItemStatus;
}

export interface FunctionCallOutputItem {
  type: 'function_call_output';
  id?: string;
  call_id: string;
  output: string | InputContentPart[];
  status?: ItemStatus;
}

export interface SummaryText {
  type: 'summary_text';
  text: string;
}

export interface ReasoningItem {
  type: 'reasoning';
  id: string;
  summary: SummaryText[];
  content?: Array<{ type: 'reasoning_text'; text: string }>;
  encrypted_content?: string | null;
  status?: ItemStatus;
}

/** An earlier item named by its id instead of repeated (the Vercel AI SDK sends these when `store` is on). */
export interface ItemReference {
  type: 'item_reference';
  id: string;
}

export type ResponseInputItem = MessageItem | FunctionCallItem | FunctionCallOutputItem | ReasoningItem | ItemReference;

export interface ResponsesFunctionTool {
  type: 'function';
  name: string;
  description?: string | null;
  parameters?: Record<string, unknown> | null;
  strict?: boolean | null;
}

export type ResponsesToolChoice = 'none' | 'auto' | 'required' | { type: 'function'; name: string };

export type ResponsesTextFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | { type: 'json_schema'; name: string; schema: Record<string, unknown>; description?: string; strict?: boolean | null };

export interface ResponsesTextConfig {
  format?: ResponsesTextFormat;
  verbosity?: 'low' | 'medium' | 'high' | null;
}

export interface ResponsesReasoningConfig {
  effort?: string | null;
  summary?: string | null;
  /** The older name of `summary`. */
  generate_summary?: string | null;
}

/** A `POST /v1/responses` body as it stands after validation. */
export interface ResponsesRequest {
  model?: string;
  input: string | ResponseInputItem[];
  instructions?: string | null;
  tools?: ResponsesFunctionTool[];
  tool_choice?: ResponsesToolChoice;
  text?: ResponsesTextConfig | null;
  max_output_tokens?: number | null;
  temperature?: number | null;
  top_p?: number | null;
  parallel_tool_calls?: boolean | null;
  metadata?: Record<string, string> | null;
  user?: string;
  store?: boolean | null;
  stream?: boolean | null;
  previous_response_id?: string | null;
  reasoning?: ResponsesReasoningConfig | null;
  truncation?: 'auto' | 'disabled' | null;
  [key: string]: unknown;
}

export interface OutputText {
  type: 'output_text';
  text: string;
  annotations: [];
  logprobs: [];
}

export interface OutputRefusal {
  type: 'refusal';
  refusal: string;
}

export interface OutputMessage {
  type: 'message';
  id: string;
  role: 'assistant';
  status: ItemStatus;
  content: Array<OutputText | OutputRefusal>;
}

export interface OutputFunctionCall {
  type: 'function_call';
  id: string;
  call_id: string;
  name: string;
  arguments: string;
  status: ItemStatus;
}

export interface OutputReasoning {
  type: 'reasoning';
  id: string;
  summary: SummaryText[];
  status: ItemStatus;
}

export type ResponseOutputItem = OutputMessage | OutputFunctionCall | OutputReasoning;

/** What a stored conversation is made of: the inputs of each turn (references resolved) and its outputs. */
export type ConversationItem = Exclude<ResponseInputItem, ItemReference> | ResponseOutputItem;

export interface ResponseUsage {
  input_tokens: number;
  input_tokens_details: { cached_tokens: number; cache_write_tokens: number };
  output_tokens: number;
  output_tokens_details: { reasoning_tokens: number };
  total_tokens: number;
}

export type ResponseStatus = 'in_progress' | 'completed' | 'incomplete' | 'failed';

export type IncompleteReason = 'max_output_tokens' | 'content_filter';

/** The request fields a response repeats back, as OpenAI's responses do. */
export interface ResponseEcho {
  background: false;
  instructions: string | null;
  max_output_tokens: number | null;
  parallel_tool_calls: boolean;
  previous_response_id: string | null;
  reasoning: { effort: string | null; summary: string | null } | null;
  store: boolean;
  temperature: number | null;
  text: ResponsesTextConfig & { format: ResponsesTextFormat };
  tool_choice: ResponsesToolChoice;
  tools: Array<Required<Pick<ResponsesFunctionTool, 'type' | 'name' | 'parameters' | 'strict'>> & { description?: string }>;
  top_p: number | null;
  truncation: 'auto' | 'disabled';
  user?: string;
  metadata: Record<string, string>;
}

/** A Response object (`resp_…`), named so to stay clear of fetch's `Response`. */
export interface ResponseObject extends ResponseEcho {
  id: string;
  object: 'response';
  created_at: number;
  status: ResponseStatus;
  completed_at: number | null;
  error: { code: string; message: string } | null;
  incomplete_details: { reason: IncompleteReason } | null;
  /** The resolved `provider/model`. */
  model: string;
  output: ResponseOutputItem[];
  usage: ResponseUsage | null;
}

interface SequencedEvent {
  sequence_number: number;
}

interface ItemEvent extends SequencedEvent {
  item_id: string;
  output_index: number;
}

type ContentPart = OutputText | OutputRefusal;

/** The stream events the gateway sends, each as the SDK's event type of the same `type`. */
export type ResponseStreamEvent =
  | (SequencedEvent & { type: 'response.created' | 'response.in_progress' | 'response.completed' | 'response.incomplete' | 'response.failed'; response: ResponseObject })
  | (SequencedEvent & { type: 'response.output_item.added' | 'response.output_item.done'; output_index: number; item: ResponseOutputItem })
  | (ItemEvent & { type: 'response.content_part.added' | 'response.content_part.done'; content_index: number; part: ContentPart })
  | (ItemEvent & { type: 'response.output_text.delta'; content_index: number; delta: string; logprobs: [] })
  | (ItemEvent & { type: 'response.output_text.done'; content_index: number; text: string; logprobs: [] })
  | (ItemEvent & { type: 'response.refusal.delta'; content_index: number; delta: string })
  | (ItemEvent & { type: 'response.refusal.done'; content_index: number; refusal: string })
  | (ItemEvent & { type: 'response.function_call_arguments.delta'; delta: string })
  | (ItemEvent & { type: 'response.function_call_arguments.done'; name: string; arguments: string })
  | (ItemEvent & { type: 'response.reasoning_summary_part.added' | 'response.reasoning_summary_part.done'; summary_index: number; part: SummaryText })
  | (ItemEvent & { type: 'response.reasoning_summary_text.delta'; summary_index: number; delta: string })
  | (ItemEvent & { type: 'response.reasoning_summary_text.done'; summary_index: number; text: string });

export type ResponseStreamEventType = ResponseStreamEvent['type'];
