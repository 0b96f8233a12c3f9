import type { OutputMessage, ResponseObject, ResponseOutputItem, ResponseUsage } from '../contracts/responses.ts';

// A Response is the largest body the gateway writes for a short answer (about three times the chat
// answer it came from), and serializing it was the largest part of the Responses route's cost over
// chat. This writes the same text as JSON.stringify, character for character, for a response built by
// `responseObject` from the items of output-items.ts and the usage of `toResponseUsage`: field names
// and the parts that are nearly always their defaults (empty lists, `{"format": {"type": "text"}}`) are
// literals, and only strings and odd values go through JSON.stringify. Those builders fix each object's
// fields and their order; a change there must be made here too (response-json.test.ts holds this to
// JSON.stringify over every shape the translations produce). A response read back from the store is
// not built so, and is sent with JSON.stringify.

/** `JSON.stringify(response)` for a response built by `responseObject`. */
export function responseJson(r: ResponseObject): string {
  let s =
    `{"id":${JSON.stringify(r.id)},"object":"response","created_at":${number(r.created_at)},"status":${JSON.stringify(r.status)}` +
    `,"background":${value(r.background)},"completed_at":${value(r.completed_at)},"error":${value(r.error)}` +
    `,"incomplete_details":${value(r.incomplete_details)},"instructions":${value(r.instructions)}` +
    `,"max_output_tokens":${value(r.max_output_tokens)},"model":${JSON.stringify(r.model)},"output":${outputJson(r.output)}` +
    `,"parallel_tool_calls":${value(r.parallel_tool_calls)},"previous_response_id":${value(r.previous_response_id)}` +
    `,"reasoning":${value(r.reasoning)},"store":${value(r.store)},"temperature":${value(r.temperature)}` +
    `,"text":${isDefaultText(r.text) ? '{"format":{"type":"text"}}' : JSON.stringify(r.text)},"tool_choice":${value(r.tool_choice)}` +
    `,"tools":${r.tools.length === 0 ? '[]' : JSON.stringify(r.tools)},"top_p":${value(r.top_p)},"truncation":${value(r.truncation)}` +
    `,"usage":${r.usage === null ? 'null' : usageJson(r.usage)},"metadata":${isEmpty(r.metadata) ? '{}' : JSON.stringify(r.metadata)}`;
  if (r.user !== undefined) s += `,"user":${JSON.stringify(r.user)}`;
  return `${s}}`;
}

function outputJson(output: readonly ResponseOutputItem[]): string {
  if (output.length === 0) return '[]';
  let s = itemJson(output[0]!);
  for (let i = 1; i < output.length; i++) s += `,${itemJson(output[i]!)}`;
  return `[${s}]`;
}

/** A message item as `messageItem` builds it; the other items are small and rare enough for JSON.stringify. */
function itemJson(item: ResponseOutputItem): string {
  if (item.type !== 'message') return JSON.stringify(item);
  const { content } = item;
  let parts = '';
  for (let i = 0; i < content.length; i++) {
    const json = partJson(content[i]!);
    parts += i === 0 ? json : `,${json}`;
  }
  return `{"id":${JSON.stringify(item.id)},"type":"message","status":${JSON.stringify(item.status)},"content":[${parts}],"role":"assistant"}`;
}

/** A text part as `textPart` builds it; a refusal, or a part with annotations, through JSON.stringify. */
function partJson(part: OutputMessage['content'][number]): string {
  if (part.type !== 'output_text' || part.annotations.length !== 0 || part.logprobs.length !== 0) return JSON.stringify(part);
  return `{"type":"output_text","annotations":[],"logprobs":[],"text":${JSON.stringify(part.text)}}`;
}

/** The usage as `toResponseUsage` builds it. */
function usageJson(u: ResponseUsage): string {
  const { input_tokens_details: input, output_tokens_details: output } = u;
  return (
    `{"input_tokens":${number(u.input_tokens)},"input_tokens_details":{"cached_tokens":${number(input.cached_tokens)},"cache_write_tokens":${number(input.cache_write_tokens)}}` +
    `,"output_tokens":${number(u.output_tokens)},"output_tokens_details":{"reasoning_tokens":${number(output.reasoning_tokens)}},"total_tokens":${number(u.total_tokens)}}`
  );
}

/** Whether the text config is `{"format": {"type": "text"}}` and nothing more (the default echo). */
function isDefaultText(text: ResponseObject['text']): boolean {
  for (const key in text) if (key !== 'format') return false;
  const format = text.format as unknown as Record<string, unknown>;
  if (format.type !== 'text') return false;
  for (const key in format) if (key !== 'type') return false;
  return true;
}

function isEmpty(o: object): boolean {
  for (const _ in o) return false;
  return true;
}

function number(n: number): string {
  return Number.isFinite(n) ? `${n}` : 'null';
}

/** A scalar field (or a small object, or null) as JSON.stringify writes it inside an object. */
function value(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return number(v);
  return JSON.stringify(v);
}
