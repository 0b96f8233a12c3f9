import type { InputContentPart, ResponsesRequest } from '../contracts/responses.ts';
import { InvalidRequestError } from '../errors/invalid-request-error.ts';
import { ProviderCapabilityError } from '../errors/provider-capability-error.ts';
import { requestValidator } from '../http/validation/request-validator.ts';
import { responsesRequestSchema } from './request-schema.ts';

const matchesSchema = requestValidator<ResponsesRequest>(responsesRequestSchema);

const ITEM_TYPES = ['message', 'function_call', 'function_call_output', 'reasoning', 'item_reference'];

// The SDK's other input item types: the calls and results of OpenAI's built-in tools, which only a model
// run by OpenAI with those tools can have produced.
const BUILT_IN_ITEM_TYPES = new Set([
  'file_search_call', 'computer_call', 'computer_call_output', 'web_search_call', 'image_generation_call',
  'code_interpreter_call', 'local_shell_call', 'local_shell_call_output', 'shell_call', 'shell_call_output',
  'apply_patch_call', 'apply_patch_call_output', 'mcp_list_tools', 'mcp_approval_request', 'mcp_approval_response',
  'mcp_call', 'custom_tool_call', 'custom_tool_call_output', 'tool_search_call', 'tool_search_output',
  'additional_tools', 'compaction', 'compaction_trigger', 'program', 'program_output',
]);

/**
 * Checks a `POST /v1/responses` body and returns it typed: a malformed field is a 400 `invalid_request`
 * whose `param` is its path (`input[2].content[0].image_url`); what the gateway cannot do (OpenAI's
 * built-in tools, background runs, conversations, stored prompts, files) is a 400 `capability_unsupported`
 * that names it.
 */
export function validateResponsesRequest(body: unknown): ResponsesRequest {
  if (isPlainQuestion(body)) return body;
  const request = matchesSchema(body);
  refuseUnsupportedModes(request);
  checkTools(request);
  if (Array.isArray(request.input)) request.input.forEach((item, i) => checkItem(item as unknown as Record<string, unknown>, `input[${i}]`));
  return request;
}

/**
 * The commonest request — a string `input` and a few scalar options — checked field by field against
 * what the schema asks of each. Such a body is valid and has nothing to refuse, so ajv, the nesting guard
 * and the checks below need not walk it. This only ever accepts: any other field or any value the
 * schema might refuse sends the body down the full path, which gives its own message.
 */
function isPlainQuestion(body: unknown): body is ResponsesRequest {
  if (body === null || typeof body !== 'object' || Array.isArray(body) || typeof (body as { input?: unknown }).input !== 'string') return false;
  for (const key in body) {
    const v = (body as Record<string, unknown>)[key];
    switch (key) {
      case 'model':
      case 'input':
      case 'user':
        if (typeof v !== 'string') return false;
        break;
      case 'instructions':
        if (v !== null && typeof v !== 'string') return false;
        break;
      case 'previous_response_id':
        if (v !== null && (typeof v !== 'string' || v === '')) return false;
        break;
      case 'max_output_tokens':
        if (v !== null && !(Number.isInteger(v) && (v as number) >= 1)) return false;
        break;
      case 'temperature':
        if (v !== null && !(typeof v === 'number' && v >= 0 && v <= 2)) return false;
        break;
      case 'top_p':
        if (v !== null && !(typeof v === 'number' && v >= 0 && v <= 1)) return false;
        break;
      case 'parallel_tool_calls':
      case 'store':
      case 'stream':
        if (v !== null && typeof v !== 'boolean') return false;
        break;
      case 'truncation':
        if (v !== null && v !== 'auto' && v !== 'disabled') return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

function refuseUnsupportedModes(request: ResponsesRequest): void {
  if (request.background === true) {
    throw new ProviderCapabilityError('Background responses are not supported by this gateway; send the request without `background: true` (stream it instead).', 'background');
  }
  if (request.conversation != null) {
    throw new ProviderCapabilityError('Conversation objects are not supported by this gateway; continue a conversation with `previous_response_id`.', 'conversation');
  }
  if (request.prompt != null) {
    throw new ProviderCapabilityError('Stored prompt templates are not supported by this gateway; send the prompt as `instructions` and `input`.', 'prompt');
  }
}

function checkTools(request: ResponsesRequest): void {
  // Most requests have neither: nothing to check.
  if (request.tool_choice === undefined && (request.tools === undefined || request.tools.length === 0)) return;
  const names = new Set<string>();
  (request.tools ?? []).forEach((tool, i) => {
    if (tool.type !== 'function') {
      throw new ProviderCapabilityError(`The tool "${String(tool.type)}" is not supported by this gateway: it serves function tools ({"type": "function"}) only.`, `tools[${i}].type`);
    }
    names.add(tool.name);
  });
  const choice = request.tool_choice;
  if (typeof choice === 'object' && choice !== null) {
    if (choice.type !== 'function') {
      throw new ProviderCapabilityError(`The tool_choice "${String(choice.type)}" is not supported by this gateway: use "auto", "none", "required" or {"type": "function", "name": …}.`, 'tool_choice.type');
    }
    if (!names.has(choice.name)) throw new InvalidRequestError(`\`tool_choice.name\` must name one of the function tools; "${choice.name}" is not among them.`, 'tool_choice.name');
  } else if (choice === 'required' && names.size === 0) {
    throw new InvalidRequestError('`tool_choice` "required" needs at least one tool in `tools`.', 'tool_choice');
  }
}

function checkItem(item: Record<string, unknown>, path: string): void {
  const type = (item.type as string | undefined) ?? 'message';
  if (type === 'message') {
    const role = item.role as string;
    if (Array.isArray(item.content)) (item.content as InputContentPart[]).forEach((part, j) => checkPart(part, `${path}.content[${j}]`, role === 'user'));
  } else if (type === 'function_call_output') {
    if (Array.isArray(item.output)) (item.output as InputContentPart[]).forEach((part, j) => checkOutputPart(part, `${path}.output[${j}]`));
  } else if (BUILT_IN_ITEM_TYPES.has(type)) {
    throw new ProviderCapabilityError(`The input item type "${type}" belongs to a built-in tool, which this gateway does not support.`, `${path}.type`);
  } else if (!ITEM_TYPES.includes(type)) {
    throw new InvalidRequestError(`\`${path}.type\` must be one of ${ITEM_TYPES.map((t) => JSON.stringify(t)).join(', ')}.`, `${path}.type`);
  }
}

function checkPart(part: InputContentPart, path: string, inUserMessage: boolean): void {
  if (part.type === 'input_file') {
    throw new ProviderCapabilityError('File inputs (input_file) are not supported by this gateway; send the text as input_text and images as input_image.', path);
  }
  if (part.type !== 'input_image') return;
  if (!inUserMessage) throw new InvalidRequestError('Images (input_image) are only allowed in user messages.', path);
  if (typeof part.image_url === 'string') return;
  if (typeof part.file_id === 'string') {
    throw new ProviderCapabilityError('Images by file_id are not supported by this gateway; send the image as `image_url` (a data: URL or an http(s) URL).', `${path}.file_id`);
  }
  throw new InvalidRequestError(`\`${path}.image_url\` is required.`, `${path}.image_url`);
}

// A chat tool message carries text only, so a function's output can be text parts and nothing else.
function checkOutputPart(part: InputContentPart, path: string): void {
  if (part.type === 'input_text' || part.type === 'output_text') return;
  throw new ProviderCapabilityError(`A function_call_output can carry only text parts through this gateway, not "${part.type}".`, path);
}
