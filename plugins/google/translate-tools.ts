import { FunctionCallingConfigMode, type FunctionDeclaration, type Tool, type ToolConfig } from '@google/genai';
import { InvalidRequestError, type FunctionTool, type ToolChoice } from '../../core/index.ts';
import { isObject, toGeminiSchema } from './gemini-schema.ts';

/** OpenAI `tools` → one Gemini tool holding every function declaration. */
export function toGeminiTools(tools: FunctionTool[] | undefined): Tool[] | undefined {
  if (!tools || tools.length === 0) return undefined;
  const functionDeclarations = tools.map((tool, i): FunctionDeclaration => {
    const param = `tools[${i}]`;
    if (tool.type !== 'function' || !tool.function || typeof tool.function.name !== 'string') {
      throw new InvalidRequestError(`${param} must be {"type": "function", "function": {"name", …}}; Gemini offers only function tools here.`, param);
    }
    const declaration: FunctionDeclaration = { name: tool.function.name };
    if (tool.function.description) declaration.description = tool.function.description;
    const parameters = tool.function.parameters;
    // A function without arguments is declared without a schema: Gemini rejects an object with no properties.
    if (parameters !== undefined && !isEmptyObjectSchema(parameters)) {
      declaration.parametersJsonSchema = toGeminiSchema(parameters, `${param}.function.parameters`);
    }
    return declaration;
  });
  return [{ functionDeclarations }];
}

/** OpenAI `tool_choice` → Gemini `toolConfig.functionCallingConfig`. */
export function toGeminiToolConfig(choice: ToolChoice | undefined, tools: FunctionTool[] | undefined): ToolConfig | undefined {
  if (choice === undefined || choice === null) return undefined;
  if (choice === 'auto') return { functionCallingConfig: { mode: FunctionCallingConfigMode.AUTO } };
  if (choice === 'none') return { functionCallingConfig: { mode: FunctionCallingConfigMode.NONE } };
  if (choice === 'required') return { functionCallingConfig: { mode: FunctionCallingConfigMode.ANY } };
  if (isObject(choice) && choice.type === 'function' && typeof choice.function?.name === 'string') {
    const name = choice.function.name;
    if (!tools?.some((tool) => tool.function?.name === name)) {
      throw new InvalidRequestError(`tool_choice names the function "${name}", which is not among tools.`, 'tool_choice.function.name');
    }
    return { functionCallingConfig: { mode: FunctionCallingConfigMode.ANY, allowedFunctionNames: [name] } };
  }
  throw new InvalidRequestError('tool_choice must be "auto", "none", "required" or {"type": "function", "function": {"name"}}.', 'tool_choice');
}

function isEmptyObjectSchema(schema: unknown): boolean {
  if (!isObject(schema)) return false;
  const properties = schema.properties;
  const hasProperties = isObject(properties) && Object.keys(properties).length > 0;
  const composed = ['anyOf', 'oneOf', 'allOf', '$ref', 'additionalProperties'].some((k) => isObject(schema[k]) || Array.isArray(schema[k]) || typeof schema[k] === 'string');
  return !hasProperties && !composed && (schema.type === undefined || schema.type === 'object');
}
