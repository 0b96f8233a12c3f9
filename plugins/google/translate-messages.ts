import type { Content, Part } from '@google/genai';
import { InvalidRequestError, messageText, type ChatMessage, type ToolCall } from '../../core/index.ts';
import { isObject } from './gemini-schema.ts';
import { toUserParts } from './translate-parts.ts';

export interface GeminiPrompt {
  systemInstruction?: Content;
  contents: Content[];
}

export interface PromptOptions {
  /** False for models that refuse `systemInstruction` (Gemma): system text then opens the first user turn. */
  systemInstruction?: boolean;
  /** Sent as `thoughtSignature` on a replayed function call that carries none (Gemini 3 requires one). */
  missingThoughtSignature?: string;
}

/** Where an OpenAI tool call keeps Gemini's thought signature, as Google's own OpenAI endpoint does. */
export type GeminiToolCall = ToolCall & { extra_content?: { google?: { thought_signature?: string } } };

/**
 * OpenAI messages → Gemini `systemInstruction` and `contents`. Assistant turns become role `model`, tool
 * results become `functionResponse` parts named after the call they answer, and consecutive turns of one
 * role are merged, because Gemini wants user and model turns to alternate.
 */
export function toGeminiPrompt(messages: ChatMessage[], options: PromptOptions = {}): GeminiPrompt {
  const system: Part[] = [];
  const contents: Content[] = [];
  const callNames = new Map<string, string>();
  messages.forEach((message, i) => {
    const param = `messages[${i}]`;
    switch (message.role) {
      case 'system':
      case 'developer': {
        const text = messageText(message.content);
        if (text !== '') system.push({ text });
        break;
      }
      case 'user':
        contents.push({ role: 'user', parts: toUserParts(message.content, `${param}.content`) });
        break;
      case 'assistant':
        contents.push({ role: 'model', parts: modelParts(message, param, callNames, options) });
        break;
      case 'tool':
      case 'function':
        contents.push({ role: 'user', parts: [functionResponsePart(message, param, callNames)] });
        break;
      default:
        throw new InvalidRequestError(`${param}.role "${String(message.role)}" is not supported.`, `${param}.role`);
    }
  });
  const useSystemInstruction = options.systemInstruction ?? true;
  if (!useSystemInstruction && system.length > 0) contents.unshift({ role: 'user', parts: system });
  const merged = mergeTurns(contents);
  if (merged.length === 0) {
    throw new InvalidRequestError('messages must contain at least one user or assistant message with content.', 'messages');
  }
  return useSystemInstruction && system.length > 0
    ? { systemInstruction: { parts: system }, contents: merged }
    : { contents: merged };
}

function modelParts(message: ChatMessage, param: string, callNames: Map<string, string>, options: PromptOptions): Part[] {
  const parts: Part[] = [];
  const text = messageText(message.content);
  if (text !== '') parts.push({ text });
  (message.tool_calls ?? []).forEach((call: GeminiToolCall, k) => {
    const path = `${param}.tool_calls[${k}].function`;
    if (typeof call?.function?.name !== 'string') throw new InvalidRequestError(`${path}.name must be a string.`, `${path}.name`);
    callNames.set(call.id, call.function.name);
    const part: Part = { functionCall: { name: call.function.name, args: parseArguments(call.function.arguments, `${path}.arguments`) } };
    const signature = call.extra_content?.google?.thought_signature ?? options.missingThoughtSignature;
    if (signature) part.thoughtSignature = signature;
    parts.push(part);
  });
  return parts;
}

function parseArguments(text: string | undefined, param: string): Record<string, unknown> {
  if (text === undefined || text === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new InvalidRequestError(`${param} must be a JSON object in a string.`, param);
  }
  if (!isObject(value)) throw new InvalidRequestError(`${param} must encode a JSON object; Gemini takes arguments by name.`, param);
  return value;
}

function functionResponsePart(message: ChatMessage, param: string, callNames: Map<string, string>): Part {
  const name = (message.tool_call_id !== undefined ? callNames.get(message.tool_call_id) : undefined) ?? message.name;
  if (typeof name !== 'string' || name === '') {
    throw new InvalidRequestError(
      `${param}.tool_call_id does not match a tool call of an earlier assistant message; Gemini needs the function's name.`,
      `${param}.tool_call_id`,
    );
  }
  return { functionResponse: { name, response: toResponseObject(messageText(message.content)) } };
}

/** Gemini's `functionResponse.response` is a JSON object: a JSON object result as is, anything else wrapped. */
export function toResponseObject(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    if (isObject(value)) return value;
  } catch {
    // plain text: wrapped below
  }
  return { result: text };
}

function mergeTurns(contents: Content[]): Content[] {
  const out: Content[] = [];
  for (const content of contents) {
    if (!content.parts || content.parts.length === 0) continue;
    const last = out[out.length - 1];
    if (last && last.role === content.role) last.parts = [...(last.parts ?? []), ...content.parts];
    else out.push({ role: content.role, parts: [...content.parts] });
  }
  return out;
}
