import type { ResponseFormat } from '../contracts/openai.ts';
import type { ResponsesTextConfig } from '../contracts/responses.ts';

/** `text.format` as chat's `response_format`; plain text (the default) needs none. */
export function chatResponseFormat(text: ResponsesTextConfig | null | undefined): ResponseFormat | undefined {
  const format = text?.format;
  if (!format || format.type === 'text') return undefined;
  if (format.type === 'json_object') return { type: 'json_object' };
  const json_schema: Extract<ResponseFormat, { type: 'json_schema' }>['json_schema'] = { name: format.name, schema: format.schema };
  if (typeof format.description === 'string') json_schema.description = format.description;
  if (typeof format.strict === 'boolean') json_schema.strict = format.strict;
  return { type: 'json_schema', json_schema };
}
