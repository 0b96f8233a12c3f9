import type { IncomingMessage } from 'node:http';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { Readable } from 'node:stream';
import { InvalidRequestError } from '../errors/invalid-request-error.ts';
import { PayloadTooLargeError } from '../errors/payload-too-large-error.ts';
import { ClientClosedError } from '../errors/client-closed-error.ts';

export interface BodyLimit {
  /** Bytes after decompression. */
  maxBytes: number;
  /** The limit as configured (`MAX_BODY_SIZE`), for the 413 message. */
  label: string;
}

// A "__proto__" key, also spelled with JSON escapes. JSON.parse makes it an ordinary own property, but
// code that later copies the body with Object.assign would set a prototype with it; such a body is refused.
const PROTO_KEY = /"(?:_|\\u005[Ff])(?:_|\\u005[Ff])(?:p|\\u0070)(?:r|\\u0072)(?:o|\\u006[Ff])(?:t|\\u0074)(?:o|\\u006[Ff])(?:_|\\u005[Ff])(?:_|\\u005[Ff])"\s*:/;

/**
 * Reads a request body as JSON: at most `limit.maxBytes` (413 beyond, at once when Content-Length says
 * so), UTF-8, gzip / deflate / br when Content-Encoding says so, and an object or array at the top. The
 * bytes are decoded and parsed once; every refusal is a typed error that says what to send instead.
 */
export async function readJsonBody(req: IncomingMessage, limit: BodyLimit): Promise<unknown> {
  const charset = charsetOf(req.headers['content-type']);
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    throw new InvalidRequestError(`The request body's charset "${charset}" is not supported; send it as UTF-8.`);
  }
  const declared = Number(req.headers['content-length']);
  if (declared > limit.maxBytes) throw new PayloadTooLargeError(limit.label);
  const stream = decoded(req);
  const text = (await readAll(stream, limit, stream !== req)).toString('utf8');
  return parseJson(text);
}

/** Parses a JSON request body: an object or array at the top, no `__proto__` keys. Exported for its table test. */
export function parseJson(text: string): unknown {
  // Some Windows tools write a byte order mark first; it is not part of the JSON.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const first = firstNonSpace(text);
  if (first === undefined) throw new InvalidRequestError('The request body is empty; send a JSON object.');
  if (first !== '{' && first !== '[') throw new InvalidRequestError('The request body must be a JSON object.');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new InvalidRequestError(`The request body is not valid JSON: ${(err as Error).message}`);
  }
  if (PROTO_KEY.test(text)) throw new InvalidRequestError('The request body may not contain the key "__proto__".');
  return value;
}

function firstNonSpace(text: string): string | undefined {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return text[i];
  }
  return undefined;
}

function charsetOf(contentType: string | undefined): string | undefined {
  if (!contentType) return undefined;
  const match = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType);
  return match ? match[1]!.toLowerCase() : undefined;
}

function decoded(req: IncomingMessage): Readable {
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding === 'identity' || encoding === '') return req;
  const inflate = encoding === 'gzip' || encoding === 'x-gzip' ? createGunzip() : encoding === 'deflate' ? createInflate() : encoding === 'br' ? createBrotliDecompress() : undefined;
  if (!inflate) throw new InvalidRequestError(`The request body's Content-Encoding "${encoding}" is not supported; send it uncompressed, or as gzip, deflate or br.`);
  req.on('error', () => inflate.destroy(new ClientClosedError()));
  // A request that closes before its body is complete was cut by the client.
  req.on('close', () => {
    if (!req.complete) inflate.destroy(new ClientClosedError());
  });
  return req.pipe(inflate);
}

/** Collects the stream into one Buffer, refusing it as soon as it passes the limit. */
function readAll(stream: Readable, limit: BodyLimit, compressed: boolean): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const cleanup = () => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
      stream.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      length += chunk.length;
      if (length > limit.maxBytes) {
        cleanup();
        // The rest is not read; the connection closes after the 413 is sent.
        stream.pause();
        reject(new PayloadTooLargeError(limit.label));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, length));
    };
    const onError = (err: Error) => {
      cleanup();
      if (err instanceof ClientClosedError) return reject(err);
      // Errors of the request itself are a dropped connection; those of the decompressor, bad bytes.
      reject(compressed ? new InvalidRequestError(`The request body could not be decompressed: ${err.message}`) : new ClientClosedError());
    };
    // A request whose client went away mid-body closes without `end`.
    const onClose = () => {
      cleanup();
      reject(new ClientClosedError());
    };
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
    stream.on('close', onClose);
  });
}
