import type { Usage } from '../contracts/openai.ts';
import { isSerializedChunk, type StreamItem } from '../contracts/provider.ts';

/** What an attempt's answer says of itself, for its `attempt.end`: the model that answered, usage, finish reasons. */
export interface AnswerSummary {
  responseModel?: string;
  usage?: Usage;
  finishReasons?: string[];
}

/** A whole answer's summary (a chat completion or an embeddings response: both carry `model` and `usage`). */
export function summarizeAnswer(value: unknown): AnswerSummary {
  const answer = value as { model?: unknown; usage?: Usage; choices?: Array<{ finish_reason?: unknown }> } | undefined;
  const summary: AnswerSummary = {};
  if (typeof answer?.model === 'string') summary.responseModel = answer.model;
  if (answer?.usage && typeof answer.usage === 'object') summary.usage = answer.usage;
  if (Array.isArray(answer?.choices)) {
    const reasons = answer.choices.map((c) => c?.finish_reason).filter((r): r is string => typeof r === 'string');
    if (reasons.length > 0) summary.finishReasons = reasons;
  }
  return summary;
}

const SERIALIZED_FINISH = /"finish_reason":"([a-z_]+)"/g;

/** Collects a stream's finish reasons chunk by chunk, from parsed chunks and from forwarded JSON text alike. */
export class StreamSummary {
  readonly finishReasons: string[] = [];

  add(item: StreamItem): void {
    if (isSerializedChunk(item)) {
      // Forwarded text is not parsed on the chunk path; a finish reason is rare enough to search for.
      if (!item.serialized.includes('"finish_reason":"')) return;
      for (const match of item.serialized.matchAll(SERIALIZED_FINISH)) this.finishReasons.push(match[1]!);
      return;
    }
    for (const choice of item.choices) if (choice.finish_reason) this.finishReasons.push(choice.finish_reason);
  }
}
