import type { FunctionTool, ToolChoice } from '../contracts/openai.ts';
import type { ResponsesFunctionTool, ResponsesToolChoice } from '../contracts/responses.ts';

/**
 * Flat Responses function tools as chat's nested ones. `strict` is passed only when the caller set it:
 * the Responses API defaults it to true, but a strict schema is refused by providers that lack strict
 * mode and by OpenAI itself when the schema is not strict-ready, so no default is invented here.
 */
export function chatTools(tools: readonly ResponsesFunctionTool[]): FunctionTool[] {
  return tools.map((tool) => {
    const fn: FunctionTool['function'] = { name: tool.name };
    if (typeof tool.description === 'string') fn.description = tool.description;
    if (tool.parameters) fn.parameters = tool.parameters;
    if (typeof tool.strict === 'boolean') fn.strict = tool.strict;
    return { type: 'function', function: fn };
  });
}

export function chatToolChoice(choice: ResponsesToolChoice): ToolChoice {
  return typeof choice === 'string' ? choice : { type: 'function', function: { name: choice.name } };
}
