import type { Part } from '@google/genai';
import { InvalidRequestError, parseDataUrl, type ChatMessage } from '../../core/index.ts';

/**
 * The content of a user message → Gemini parts. Images and audio travel inline (`inlineData`): the
 * Gemini API cannot fetch an arbitrary http(s) URL, so such an image is refused with the path to fix.
 * `param` is the path of the content (`messages[1].content`).
 */
export function toUserParts(content: ChatMessage['content'], param: string): Part[] {
  if (content === null || content === undefined) return [];
  if (typeof content === 'string') return content === '' ? [] : [{ text: content }];
  if (!Array.isArray(content)) throw new InvalidRequestError(`${param} must be a string or an array of content parts.`, param);
  const parts: Part[] = [];
  content.forEach((part, j) => {
    const path = `${param}[${j}]`;
    const item = part as Record<string, any>;
    switch (item?.type) {
      case 'text':
        if (typeof item.text !== 'string') throw new InvalidRequestError(`${path}.text must be a string.`, `${path}.text`);
        if (item.text !== '') parts.push({ text: item.text });
        break;
      case 'image_url':
        parts.push(inlineFromUrl(item.image_url?.url, `${path}.image_url.url`));
        break;
      case 'input_audio': {
        const audio = item.input_audio;
        if (typeof audio?.data !== 'string' || typeof audio?.format !== 'string') {
          throw new InvalidRequestError(`${path}.input_audio needs "data" (base64) and "format".`, `${path}.input_audio`);
        }
        parts.push({ inlineData: { mimeType: `audio/${audio.format.toLowerCase()}`, data: audio.data } });
        break;
      }
      case 'file':
        parts.push(inlineFromUrl(item.file?.file_data, `${path}.file.file_data`));
        break;
      default:
        throw new InvalidRequestError(`${path}.type "${String(item?.type)}" is not supported by Gemini; use text, image_url, input_audio or file.`, `${path}.type`);
    }
  });
  return parts;
}

function inlineFromUrl(url: unknown, param: string): Part {
  if (typeof url !== 'string') throw new InvalidRequestError(`${param} must be a string.`, param);
  const data = parseDataUrl(url);
  if (data) return { inlineData: { mimeType: data.mimeType, data: data.base64 } };
  if (/^https?:\/\//i.test(url)) {
    throw new InvalidRequestError(
      `${param}: Gemini reads only inline images here; send the image as a data URL (data:image/png;base64,…) instead of an http(s) link.`,
      param,
    );
  }
  throw new InvalidRequestError(`${param} must be a data URL (data:<mime>;base64,…).`, param);
}
