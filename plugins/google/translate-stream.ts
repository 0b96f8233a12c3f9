import type { GenerateContentResponse } from '@google/genai';
import {
  ChunkBuilder,
  UpstreamProtocolError,
  completionId,
  unixSeconds,
  type ChatCompletionChunk,
  type ChatCompletionChunkChoice,
  type Usage,
} from '../../core/index.ts';
import { checkPromptFeedback, toFinishReason } from './finish-reasons.ts';
import { readParts } from './read-parts.ts';
import { toUsage } from './translate-usage.ts';

interface CandidateState {
  text: boolean;
  reasoning: boolean;
  /** Tool calls seen so far: the next call's index, stable across events. */
  toolCalls: number;
  finished: boolean;
}

/**
 * Gemini stream events → OpenAI chunks, one translator per stream. Every chunk shares one id and
 * `created`; a choice's first chunk carries `role`, its finish comes in a chunk of its own, and `end()`
 * adds the usage chunk. Blocks and cuts throw, also after text went out (the core then ends the stream
 * with an error event).
 */
export class StreamTranslator {
  private readonly chunks: ChunkBuilder;
  private readonly candidates = new Map<number, CandidateState>();
  private usage: Usage | undefined;

  constructor(
    private readonly provider: string,
    model: string,
  ) {
    this.chunks = new ChunkBuilder({ id: completionId(), created: unixSeconds(), model });
  }

  push(event: GenerateContentResponse): ChatCompletionChunk[] {
    checkPromptFeedback(this.provider, event.promptFeedback);
    this.usage = toUsage(event.usageMetadata) ?? this.usage;
    const chunks: ChatCompletionChunk[] = [];
    (event.candidates ?? []).forEach((candidate, i) => {
      const index = candidate.index ?? i;
      const state = this.stateOf(index);
      if (state.finished) throw new UpstreamProtocolError(`${this.provider}: candidate ${index} went on after its finishReason.`);
      const out = readParts(candidate.content?.parts);
      const delta: ChatCompletionChunkChoice['delta'] = {};
      if (out.reasoning !== '') delta.reasoning_content = out.reasoning;
      if (out.text !== '') delta.content = out.text;
      if (out.toolCalls.length > 0) {
        delta.tool_calls = out.toolCalls.map((call) => ({ index: state.toolCalls++, ...call }));
      }
      state.text ||= out.text !== '';
      state.reasoning ||= out.reasoning !== '';
      if (Object.keys(delta).length > 0) chunks.push(this.chunks.delta(index, delta));
      if (candidate.finishReason !== undefined) {
        const finish = toFinishReason(this.provider, candidate.finishReason, {
          text: state.text,
          toolCalls: state.toolCalls > 0,
          reasoning: state.reasoning,
        });
        state.finished = true;
        chunks.push(this.chunks.delta(index, {}, finish));
      }
    });
    return chunks;
  }

  /** The closing chunks once the upstream stream ended; throws when it ended before every candidate finished. */
  end(): ChatCompletionChunk[] {
    if (this.candidates.size === 0) throw new UpstreamProtocolError(`${this.provider}: the stream ended before any answer.`);
    for (const [index, state] of this.candidates) {
      if (!state.finished) {
        throw new UpstreamProtocolError(`${this.provider}: the stream ended without a finishReason for candidate ${index} (the answer was cut).`);
      }
    }
    return this.usage ? [this.chunks.usage(this.usage)] : [];
  }

  private stateOf(index: number): CandidateState {
    let state = this.candidates.get(index);
    if (!state) {
      state = { text: false, reasoning: false, toolCalls: 0, finished: false };
      this.candidates.set(index, state);
    }
    return state;
  }
}
