import type { ChatCompletionRequest, ChatMessage, ContentPart } from '../contracts/openai.ts';
import { InvalidRequestError } from '../errors/invalid-request-error.ts';
import { decodeDataUrlImage } from './data-url-image.ts';
import type { ImageFetcher } from './image-fetcher.ts';

export interface ImagePolicy {
  /** Whether http(s) image URLs are fetched by the gateway (and sent on as data: URLs). */
  fetchUrls: boolean;
  maxBytes: number;
  /** All images of one request together. */
  maxTotalBytes: number;
}

/**
 * Checks every image of a chat request before any provider sees it: data: URLs are decoded within the size
 * limit and must really be images; http(s) URLs are fetched — through the SSRF-safe fetcher — only when the
 * policy allows it, and then travel on as data: URLs (so every provider gets the bytes the gateway vetted);
 * otherwise they pass through untouched for providers that fetch them themselves. The request is copied,
 * never changed in place. Whether a request has images at all is decided once, by its needs
 * (routing/request-needs.ts): the route calls this only for a request that needs `vision`.
 */
export async function vetRequestImages(
  request: ChatCompletionRequest,
  policy: ImagePolicy,
  fetcher: ImageFetcher,
  signal: AbortSignal,
): Promise<ChatCompletionRequest> {
  let total = 0;
  const messages: ChatMessage[] = [];
  for (const [i, message] of request.messages.entries()) {
    if (!hasImagePart(message)) {
      messages.push(message);
      continue;
    }
    const content: ContentPart[] = [];
    for (const [j, part] of (message.content as ContentPart[]).entries()) {
      if (part.type !== 'image_url') {
        content.push(part);
        continue;
      }
      const image = (part as { image_url: { url: string; detail?: string } }).image_url;
      const param = `messages[${i}].content[${j}].image_url.url`;
      const url = image.url.trim();
      if (url.startsWith('data:')) {
        total += decodeDataUrlImage(url, param, policy.maxBytes).bytes;
        content.push(part);
      } else if (/^https?:\/\//i.test(url)) {
        if (!policy.fetchUrls) {
          content.push(part);
          continue;
        }
        const loaded = await fetcher.fetchImage(url, param, signal);
        total += loaded.bytes;
        content.push({ ...part, image_url: { ...image, url: `data:${loaded.mimeType};base64,${loaded.base64}` } });
      } else {
        throw new InvalidRequestError(`\`${param}\` must be a data: URL or an http(s) URL.`, param);
      }
      if (total > policy.maxTotalBytes) {
        throw new InvalidRequestError(`The images of this request add up to more than ${Math.round(policy.maxTotalBytes / 1048576)} MiB; send fewer or smaller images.`, param);
      }
    }
    messages.push({ ...message, content });
  }
  return { ...request, messages };
}

function hasImagePart(message: ChatMessage): boolean {
  return Array.isArray(message.content) && message.content.some((part) => part.type === 'image_url');
}
