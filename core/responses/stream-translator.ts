import type { ChatCompletionChunk, FinishReason, ToolCallDelta, Usage } from '../contracts/openai.ts';
import type { ItemStatus, OutputMessage, ResponseObject, ResponseOutputItem, ResponseStreamEvent } from '../contracts/responses.ts';
import { toolCallId } from '../openai/ids.ts';
import { finishStatus } from './finish-status.ts';
import { outputItemId } from './ids.ts';
import { functionCallItem, messageItem, reasoningItem, refusalPart, textPart } from './output-items.ts';
import type { ResponseContext } from './response-context.ts';
import { responseObject } from './response-object.ts';
import { reasoningText } from './reasoning-text.ts';
import { toResponseUsage } from './response-usage.ts';

type Unsequenced<E> = E extends unknown ? Omit<E, 'sequence_number'> : never;

interface Part {
  kind: 'text' | 'refusal';
  text: string;
}

interface ItemBase {
  outputIndex: number;
  id: string;
  /** Set once its `output_item.done` is sent. */
  status?: ItemStatus;
}

interface ReasoningState extends ItemBase {
  kind: 'reasoning';
  text: string;
}

interface MessageState extends ItemBase {
  kind: 'message';
  parts: Part[];
}

interface CallState extends ItemBase {
  kind: 'call';
  callId: string;
  name: string;
  args: string;
  /** Whether its `output_item.added` is out: not before its name is known, which the SDK's item requires. */
  announced: boolean;
}

type ItemState = ReasoningState | MessageState | CallState;

/**
 * Turns one chat stream into the Responses event sequence: `response.created` and `response.in_progress`
 * on the first chunk, then per output item `output_item.added`, its parts and deltas, and
 * `output_item.done`, and last `response.completed` (or `response.incomplete` for a length cut or a
 * filtered answer) carrying the whole response, usage included. Every event has the next
 * `sequence_number` from 0.
 *
 * Reasoning and text are one open item at a time (a change of kind closes the item and opens the next);
 * tool calls, told apart by their chat `index`, stay open until the end, as chat may send their pieces
 * interleaved. The final response equals what `toResponse` makes of the same answer sent whole.
 *
 * `finish()` is for a stream that ended cleanly, `fail()` for one that broke: after either, nothing more
 * is emitted, so a `response.completed` can never follow a failure.
 */
export class ResponseStreamTranslator {
  private sequence = 0;
  private started = false;
  private ended = false;
  private readonly items: ItemState[] = [];
  /** The reasoning or message item that deltas of its kind go to. */
  private current: ReasoningState | MessageState | undefined;
  private readonly calls = new Map<number, CallState>();
  private finishReason: FinishReason | null = null;
  private usage: Usage | undefined;
  private last: ResponseObject | undefined;

  constructor(private readonly context: ResponseContext) {}

  /** The response the stream ended with (completed, incomplete or failed); undefined while it runs. */
  get response(): ResponseObject | undefined {
    return this.last;
  }

  push(chunk: ChatCompletionChunk): ResponseStreamEvent[] {
    if (this.ended) return [];
    const out = this.begin();
    if (chunk.usage) this.usage = chunk.usage;
    // The gateway never asks for several choices; a provider that sends more has the first one read.
    const choice = chunk.choices?.find((c) => c.index === 0) ?? chunk.choices?.[0];
    if (!choice) return out;
    const delta = choice.delta ?? {};
    const reasoning = reasoningText(delta as Record<string, unknown>);
    if (reasoning !== '') this.reasoningDelta(reasoning, out);
    if (typeof delta.content === 'string' && delta.content !== '') this.messageDelta('text', delta.content, out);
    if (typeof delta.refusal === 'string' && delta.refusal !== '') this.messageDelta('refusal', delta.refusal, out);
    for (const call of delta.tool_calls ?? []) this.callDelta(call, out);
    if (choice.finish_reason) this.finishReason = choice.finish_reason;
    return out;
  }

  /** The stream ended cleanly: the open items are done and the whole response follows. */
  finish(): ResponseStreamEvent[] {
    if (this.ended) return [];
    const out = this.begin();
    for (const call of this.calls.values()) if (!call.announced) this.announce(call, out);
    if (this.items.length === 0) this.openPart(this.openMessage(out), 'text', out);
    const { status, incomplete_details } = finishStatus(this.finishReason);
    const lastIndex = this.items.length - 1;
    for (const item of this.items) {
      if (item.status === undefined) this.close(item, status === 'incomplete' && item.outputIndex === lastIndex ? 'incomplete' : 'completed', out);
    }
    this.current = undefined;
    this.ended = true;
    this.last = responseObject(this.context, { status, output: this.items.map(snapshot), usage: toResponseUsage(this.usage), error: null, incomplete_details });
    this.emit(out, { type: status === 'completed' ? 'response.completed' : 'response.incomplete', response: this.last });
    return out;
  }

  /**
   * The stream broke: one `response.failed` whose `error` has the code and message, with the output so far
   * (what was still open is `incomplete`); nothing is emitted after it.
   */
  fail(error: { code: string; message: string }): ResponseStreamEvent[] {
    if (this.ended) return [];
    const out = this.begin();
    this.ended = true;
    const output = this.items.map((item) => snapshot({ ...item, status: item.status ?? 'incomplete' } as ItemState));
    const usage = this.usage ? toResponseUsage(this.usage) : null;
    this.last = responseObject(this.context, { status: 'failed', output, usage, error: { code: error.code, message: error.message }, incomplete_details: null });
    this.emit(out, { type: 'response.failed', response: this.last });
    return out;
  }

  private begin(): ResponseStreamEvent[] {
    const out: ResponseStreamEvent[] = [];
    if (this.started) return out;
    this.started = true;
    // One response in progress for both events (it is the same, and is then serialized once).
    const inProgress = responseObject(this.context, { status: 'in_progress', output: [], usage: null, error: null, incomplete_details: null });
    this.emit(out, { type: 'response.created', response: inProgress });
    this.emit(out, { type: 'response.in_progress', response: inProgress });
    return out;
  }

  private reasoningDelta(text: string, out: ResponseStreamEvent[]): void {
    let item = this.current;
    if (item?.kind !== 'reasoning') {
      this.closeCurrent(out);
      item = { kind: 'reasoning', ...this.place('reasoning'), text: '' };
      this.items.push(item);
      this.current = item;
      this.emit(out, { type: 'response.output_item.added', output_index: item.outputIndex, item: reasoningItem(item.id, undefined, 'in_progress') });
      this.emit(out, { type: 'response.reasoning_summary_part.added', item_id: item.id, output_index: item.outputIndex, summary_index: 0, part: { type: 'summary_text', text: '' } });
    }
    item.text += text;
    this.emit(out, { type: 'response.reasoning_summary_text.delta', item_id: item.id, output_index: item.outputIndex, summary_index: 0, delta: text });
  }

  private messageDelta(kind: Part['kind'], text: string, out: ResponseStreamEvent[]): void {
    const item = this.current?.kind === 'message' ? this.current : this.openMessage(out);
    let part = item.parts[item.parts.length - 1];
    if (part?.kind !== kind) {
      if (part) this.closePart(item, out);
      part = this.openPart(item, kind, out);
    }
    part.text += text;
    const where = { item_id: item.id, output_index: item.outputIndex, content_index: item.parts.length - 1 };
    if (kind === 'text') this.emit(out, { type: 'response.output_text.delta', ...where, delta: text, logprobs: [] });
    else this.emit(out, { type: 'response.refusal.delta', ...where, delta: text });
  }

  private openMessage(out: ResponseStreamEvent[]): MessageState {
    this.closeCurrent(out);
    const item: MessageState = { kind: 'message', ...this.place('message'), parts: [] };
    this.items.push(item);
    this.current = item;
    this.emit(out, { type: 'response.output_item.added', output_index: item.outputIndex, item: messageItem(item.id, [], 'in_progress') });
    return item;
  }

  private openPart(item: MessageState, kind: Part['kind'], out: ResponseStreamEvent[]): Part {
    const part: Part = { kind, text: '' };
    item.parts.push(part);
    this.emit(out, { type: 'response.content_part.added', item_id: item.id, output_index: item.outputIndex, content_index: item.parts.length - 1, part: contentPart(part) });
    return part;
  }

  /**
   * A tool call piece: the first of an index carries the id and name, the rest carry arguments. Some
   * OpenAI-compatible servers give every call the same index (or none); a piece with a new id there is
   * a new call, not more of the last one.
   */
  private callDelta(delta: ToolCallDelta, out: ResponseStreamEvent[]): void {
    const index = typeof delta.index === 'number' ? delta.index : 0;
    let call = this.calls.get(index);
    if (!call || (call.announced && delta.id && delta.id !== call.callId)) {
      this.closeCurrent(out);
      call = { kind: 'call', outputIndex: -1, id: '', callId: '', name: '', args: '', announced: false };
      this.calls.set(index, call);
    }
    const piece = delta.function?.arguments ?? '';
    if (!call.announced) {
      if (delta.id) call.callId = delta.id;
      if (delta.function?.name) call.name = delta.function.name;
      call.args += piece;
      if (call.name !== '') this.announce(call, out);
      return;
    }
    if (piece === '') return;
    call.args += piece;
    this.emit(out, { type: 'response.function_call_arguments.delta', item_id: call.id, output_index: call.outputIndex, delta: piece });
  }

  private announce(call: CallState, out: ResponseStreamEvent[]): void {
    Object.assign(call, this.place('function_call'));
    call.callId ||= toolCallId();
    call.announced = true;
    this.items.push(call);
    this.emit(out, { type: 'response.output_item.added', output_index: call.outputIndex, item: functionCallItem(call.id, call.callId, call.name, '', 'in_progress') });
    // Arguments that came before the name go out as one delta.
    if (call.args !== '') this.emit(out, { type: 'response.function_call_arguments.delta', item_id: call.id, output_index: call.outputIndex, delta: call.args });
  }

  private closeCurrent(out: ResponseStreamEvent[]): void {
    if (this.current && this.current.status === undefined) this.close(this.current, 'completed', out);
    this.current = undefined;
  }

  private close(item: ItemState, status: ItemStatus, out: ResponseStreamEvent[]): void {
    const where = { item_id: item.id, output_index: item.outputIndex };
    if (item.kind === 'reasoning') {
      this.emit(out, { type: 'response.reasoning_summary_text.done', ...where, summary_index: 0, text: item.text });
      this.emit(out, { type: 'response.reasoning_summary_part.done', ...where, summary_index: 0, part: { type: 'summary_text', text: item.text } });
    } else if (item.kind === 'message') {
      if (item.parts.length > 0) this.closePart(item, out);
    } else {
      this.emit(out, { type: 'response.function_call_arguments.done', ...where, name: item.name, arguments: item.args });
    }
    item.status = status;
    this.emit(out, { type: 'response.output_item.done', output_index: item.outputIndex, item: snapshot(item) });
  }

  private closePart(item: MessageState, out: ResponseStreamEvent[]): void {
    const part = item.parts[item.parts.length - 1]!;
    const where = { item_id: item.id, output_index: item.outputIndex, content_index: item.parts.length - 1 };
    if (part.kind === 'text') this.emit(out, { type: 'response.output_text.done', ...where, text: part.text, logprobs: [] });
    else this.emit(out, { type: 'response.refusal.done', ...where, refusal: part.text });
    this.emit(out, { type: 'response.content_part.done', ...where, part: contentPart(part) });
  }

  /** The next output index and the item id that goes with it. */
  private place(kind: ResponseOutputItem['type']): { outputIndex: number; id: string } {
    const outputIndex = this.items.length;
    return { outputIndex, id: outputItemId(kind, this.context.id, outputIndex) };
  }

  private emit(out: ResponseStreamEvent[], event: Unsequenced<ResponseStreamEvent>): void {
    const { type, ...rest } = event;
    out.push({ type, sequence_number: this.sequence++, ...rest } as ResponseStreamEvent);
  }
}

function contentPart(part: Part): OutputMessage['content'][number] {
  return part.kind === 'text' ? textPart(part.text) : refusalPart(part.text);
}

/** An item as the output list carries it; an item not yet done is `in_progress`. */
function snapshot(item: ItemState): ResponseOutputItem {
  const status = item.status ?? 'in_progress';
  if (item.kind === 'reasoning') return reasoningItem(item.id, item.text, status);
  if (item.kind === 'message') return messageItem(item.id, item.parts.map(contentPart), status);
  return functionCallItem(item.id, item.callId, item.name, item.args, status);
}
