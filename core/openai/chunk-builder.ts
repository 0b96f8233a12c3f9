import type { ChatCompletionChunk, ChatCompletionChunkChoice, Usage } from '../contracts/openai.ts';

/** What every chunk of one stream shares. */
export interface ChunkFrame {
  id: string;
  created: number;
  /** The name the caller sees (`call.resolved`). */
  model: string;
}

/**
 * Builds the OpenAI `chat.completion.chunk`s of one stream. Every chunk carries the same id, `created` and
 * model, and the first delta of each choice carries `role: 'assistant'`, as OpenAI's own streams do
 * (clients that assemble a message take the role from there).
 */
export class ChunkBuilder {
  private readonly started = new Set<number>();

  constructor(private readonly frame: ChunkFrame) {}

  /** A chunk with one choice's delta (and its finish reason, when this is its last). */
  delta(
    index: number,
    delta: ChatCompletionChunkChoice['delta'],
    finishReason: ChatCompletionChunkChoice['finish_reason'] = null,
  ): ChatCompletionChunk {
    const first = !this.started.has(index);
    if (first) this.started.add(index);
    return this.chunk([{ index, delta: first ? { role: 'assistant', ...delta } : delta, finish_reason: finishReason }]);
  }

  /** The usage chunk that ends a stream: no choices, the counts. */
  usage(usage: Usage): ChatCompletionChunk {
    return { ...this.chunk([]), usage };
  }

  private chunk(choices: ChatCompletionChunkChoice[]): ChatCompletionChunk {
    return { id: this.frame.id, object: 'chat.completion.chunk', created: this.frame.created, model: this.frame.model, choices };
  }
}
