import type { ResponseObject } from '../contracts/responses.ts';
import type { ResponseContext } from './response-context.ts';

export type ResponseState = Pick<ResponseObject, 'status' | 'output' | 'usage' | 'error' | 'incomplete_details'>;

/** A Response object at some state of the answer, its fields in the order OpenAI sends them. */
export function responseObject(context: ResponseContext, state: ResponseState): ResponseObject {
  const { echo } = context;
  const response: ResponseObject = {
    id: context.id,
    object: 'response',
    created_at: context.createdAt,
    status: state.status,
    background: echo.background,
    // OpenAI sets it only on a completed response.
    completed_at: state.status === 'completed' ? context.now() : null,
    error: state.error,
    incomplete_details: state.incomplete_details,
    instructions: echo.instructions,
    max_output_tokens: echo.max_output_tokens,
    model: context.model,
    output: state.output,
    parallel_tool_calls: echo.parallel_tool_calls,
    previous_response_id: echo.previous_response_id,
    reasoning: echo.reasoning,
    store: echo.store,
    temperature: echo.temperature,
    text: echo.text,
    tool_choice: echo.tool_choice,
    tools: echo.tools,
    top_p: echo.top_p,
    truncation: echo.truncation,
    usage: state.usage,
    metadata: echo.metadata,
  };
  if (echo.user !== undefined) response.user = echo.user;
  return response;
}
