import type { ResponseEcho, ResponsesRequest } from '../contracts/responses.ts';

/**
 * The request fields a response repeats back, in the form OpenAI's responses carry them (the fields the
 * `openai` SDK's `Response` type requires are always present): what was not sent is its default (`tools:
 * []`, `tool_choice: "auto"`, `parallel_tool_calls: true`, `text.format: {"type": "text"}`, `metadata:
 * {}`) or null where the default belongs to the provider (`temperature`, `top_p`).
 */
export function responseEcho(request: ResponsesRequest): ResponseEcho {
  const echo: ResponseEcho = {
    background: false,
    instructions: request.instructions ?? null,
    max_output_tokens: request.max_output_tokens ?? null,
    parallel_tool_calls: request.parallel_tool_calls ?? true,
    previous_response_id: request.previous_response_id ?? null,
    reasoning: request.reasoning ? { effort: request.reasoning.effort ?? null, summary: request.reasoning.summary ?? request.reasoning.generate_summary ?? null } : null,
    store: storesResponse(request),
    temperature: request.temperature ?? null,
    text: { ...request.text, format: request.text?.format ?? { type: 'text' } },
    tool_choice: request.tool_choice ?? 'auto',
    tools: (request.tools ?? []).map((tool) => ({
      type: tool.type,
      name: tool.name,
      ...(typeof tool.description === 'string' ? { description: tool.description } : {}),
      parameters: tool.parameters ?? null,
      strict: tool.strict ?? null,
    })),
    top_p: request.top_p ?? null,
    truncation: request.truncation ?? 'disabled',
    metadata: request.metadata ?? {},
  };
  if (typeof request.user === 'string') echo.user = request.user;
  return echo;
}

/** Whether the finished response is to be kept: unless the caller sent `store: false`, as OpenAI does. */
export function storesResponse(request: ResponsesRequest): boolean {
  return request.store !== false;
}
