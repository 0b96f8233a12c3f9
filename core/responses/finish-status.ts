import type { FinishReason } from '../contracts/openai.ts';
import type { IncompleteReason } from '../contracts/responses.ts';

export interface FinishStatus {
  status: 'completed' | 'incomplete';
  incomplete_details: { reason: IncompleteReason } | null;
}

const INCOMPLETE: Partial<Record<FinishReason, IncompleteReason>> = {
  length: 'max_output_tokens',
  // A filtered answer is cut, not finished: the SDK's two incomplete reasons are exactly these, and the
  // Vercel AI SDK maps this one to its "content-filter" finish.
  content_filter: 'content_filter',
};

/** A chat finish reason as the response's status. A stream that ended properly without one finished. */
export function finishStatus(reason: FinishReason | null | undefined): FinishStatus {
  const incomplete = reason ? INCOMPLETE[reason] : undefined;
  return incomplete ? { status: 'incomplete', incomplete_details: { reason: incomplete } } : { status: 'completed', incomplete_details: null };
}
