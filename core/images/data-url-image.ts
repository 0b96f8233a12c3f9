import { InvalidRequestError } from '../errors/invalid-request-error.ts';
import { parseDataUrl } from '../openai/data-url.ts';
import { formatBytes } from './byte-size.ts';
import { DEFAULT_IMAGE_MIME_TYPES, describeTypes, normalizeMimeType, SNIFF_BYTES, sniffImageType } from './image-types.ts';

export const DEFAULT_MAX_IMAGE_BYTES = 10 * 1024 * 1024;

/** An image ready for a provider: its true type, its bytes as base64, and how many bytes that is. */
export interface ImageData {
  mimeType: string;
  base64: string;
  bytes: number;
}

const BASE64_BODY = /^[A-Za-z0-9+/]*$/;

/**
 * Checks an image sent inline as `data:<type>;base64,<data>`: an allowed type, at most `maxBytes` once decoded
 * (counted from the text, before decoding anything), valid base64, and bytes that really are an image. The type
 * the bytes show wins over the declared one, so a JPEG labelled image/png reaches the provider as image/jpeg.
 */
export function decodeDataUrlImage(
  url: string,
  param: string,
  maxBytes: number = DEFAULT_MAX_IMAGE_BYTES,
  allowedMimeTypes: readonly string[] = DEFAULT_IMAGE_MIME_TYPES,
): ImageData {
  const allowed = new Set(allowedMimeTypes.map(normalizeMimeType));
  const comma = url.indexOf(',');
  if (!url.startsWith('data:') || comma === -1) {
    throw new InvalidRequestError('The image data URL is malformed; send it as data:image/png;base64,<data>.', param);
  }
  // Percent-encoded payloads are refused rather than decoded: binary image bytes are not valid UTF-8, which is
  // what a percent-decoder expects, and no client sends images that way.
  const isBase64 = url.slice(5, comma).split(';').slice(1).some((p) => p.trim().toLowerCase() === 'base64');
  if (!isBase64) {
    throw new InvalidRequestError('The image data URL must be base64-encoded: data:image/png;base64,<data>.', param);
  }
  const parsed = parseDataUrl(url)!;
  const declared = normalizeMimeType(parsed.mimeType);
  if (!allowed.has(declared)) {
    throw new InvalidRequestError(
      `The image data URL has type ${declared}, which is not an accepted image type; send one of ${describeTypes([...allowed])}.`,
      param,
    );
  }

  const text = parsed.base64;
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const body = text.slice(0, text.length - padding);
  const bytes = Math.floor((body.length * 3) / 4);
  if (bytes > maxBytes) {
    throw new InvalidRequestError(
      `The image data URL holds ${formatBytes(bytes)}, more than the limit of ${formatBytes(maxBytes)}; send a smaller image.`,
      param,
    );
  }
  if (!BASE64_BODY.test(body) || body.length % 4 === 1 || (padding > 0 && text.length % 4 !== 0)) {
    throw new InvalidRequestError('The image data URL is not valid base64; send data:<type>;base64,<data>.', param);
  }

  const sniffed = sniffImageType(Buffer.from(body.slice(0, Math.ceil(SNIFF_BYTES / 3) * 4), 'base64'));
  if (sniffed === undefined || !allowed.has(sniffed)) {
    const found = sniffed ? `${sniffed} data` : 'no image data';
    throw new InvalidRequestError(
      `The image data URL claims ${declared} but holds ${found}; send the bytes of a ${describeTypes([...allowed])} image.`,
      param,
    );
  }
  // Unpadded base64 is completed, because some providers' decoders insist on padding.
  const base64 = body.length % 4 === 0 ? body : body + '='.repeat(4 - (body.length % 4));
  return { mimeType: sniffed, base64, bytes };
}
