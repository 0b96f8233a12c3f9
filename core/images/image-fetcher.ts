import { isIP } from 'node:net';
import { Agent, type Dispatcher } from 'undici';
import { GatewayError } from '../errors/gateway-error.ts';
import { InvalidRequestError } from '../errors/invalid-request-error.ts';
import { formatBytes } from './byte-size.ts';
import { DEFAULT_MAX_IMAGE_BYTES, decodeDataUrlImage, type ImageData } from './data-url-image.ts';
import { findForbiddenAddress, type ForbiddenAddressError } from '../errors/forbidden-address-error.ts';
import { DEFAULT_IMAGE_MIME_TYPES, describeTypes, normalizeMimeType, SNIFF_BYTES, sniffImageType } from './image-types.ts';
import { createSafeConnector } from './safe-connector.ts';
import { addressPredicate, vetAddress, type AddressPredicate, type Resolver } from './safe-lookup.ts';

export interface ImageFetcherOptions {
  /** Largest image accepted, in bytes. Default 10 MiB. */
  maxBytes?: number;
  /** Bound on the whole fetch, redirects and body included. Default 10 s. */
  timeoutMs?: number;
  /** Default 3. */
  maxRedirects?: number;
  /** Open loopback, private, CGNAT and link-local addresses (never metadata endpoints). Default false. */
  allowPrivateNetworks?: boolean;
  /** Name resolution; default dns.lookup with all addresses. */
  resolver?: Resolver;
  /** Replaces the IP policy with a predicate over {hostname, address, family, port}; for tests. */
  isAllowedAddress?: AddressPredicate;
  allowedMimeTypes?: readonly string[];
  userAgent?: string;
}

export interface ImageFetcher {
  /** Fetches an http(s) image URL; every refusal is an InvalidRequestError naming `param`. */
  fetchImage(url: string, param: string, signal?: AbortSignal): Promise<ImageData>;
  /** A data: URL is decoded and checked, an http(s) URL fetched: one entry point for `image_url.url`. */
  loadImage(url: string, param: string, signal?: AbortSignal): Promise<ImageData>;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * Fetches images that callers name by URL, without letting a caller use the gateway to reach anything but public
 * hosts (SSRF). Every hop's URL is checked (scheme, IP literal) before a request, and the socket layer itself
 * resolves and vets hostnames, so the address checked is the address connected to. Redirects are followed here, not
 * by undici, so that each one goes through the same checks. Each fetch has its own Agent, destroyed at the end:
 * no connection to a caller-chosen host outlives the request that asked for it.
 */
export function createImageFetcher(options: ImageFetcherOptions = {}): ImageFetcher {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_IMAGE_BYTES;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxRedirects = options.maxRedirects ?? 3;
  const allowedMimeTypes = [...new Set((options.allowedMimeTypes ?? DEFAULT_IMAGE_MIME_TYPES).map(normalizeMimeType))];
  const allowed = new Set(allowedMimeTypes);
  const isAllowed = addressPredicate(options);
  const headers = {
    accept: allowedMimeTypes.join(', '),
    'accept-encoding': 'identity',
    'user-agent': options.userAgent ?? 'mana-llm-image-fetcher',
  };

  async function fetchImage(url: string, param: string, signal?: AbortSignal): Promise<ImageData> {
    signal?.throwIfAborted();
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(new Error('image fetch deadline')), timeoutMs);
    const combined = signal ? AbortSignal.any([signal, deadline.signal]) : deadline.signal;
    const agent = new Agent({
      connect: createSafeConnector({ ...options, isAllowedAddress: isAllowed, connectTimeoutMs: timeoutMs }),
      // Backstops only: the deadline above fires first and gives the caller the timeout message.
      headersTimeout: timeoutMs + 1_000,
      bodyTimeout: timeoutMs + 1_000,
    });
    const state: HopState = { url: displayUrl(url) };
    try {
      return await follow(url, param, combined, agent, state);
    } catch (err) {
      if (signal?.aborted) throw signal.reason;
      if (deadline.signal.aborted) {
        throw new InvalidRequestError(
          `The image at ${state.url} did not load within ${formatMs(timeoutMs)}; use a faster host or send the image as a data: URL.`,
          param,
        );
      }
      if (err instanceof GatewayError) throw err;
      throw transportFailure(err, state, param);
    } finally {
      clearTimeout(timer);
      // Closes a socket still held by a body that was abandoned mid-way (too large, wrong type).
      agent.destroy().catch(() => undefined);
    }
  }

  async function follow(url: string, param: string, signal: AbortSignal, agent: Agent, state: HopState): Promise<ImageData> {
    let target = checkUrl(url, param, 'The image URL', state);
    for (let redirects = 0; ; redirects++) {
      state.url = displayUrl(target.href);
      const response = await agent.request({
        origin: target.origin,
        path: target.pathname + target.search,
        method: 'GET',
        headers,
        signal,
      });
      if (REDIRECT_STATUSES.has(response.statusCode)) {
        discard(response.body);
        const location = header(response, 'location');
        if (!location) {
          throw new InvalidRequestError(`The image at ${state.url} answered ${response.statusCode} without a Location; use the image's final URL.`, param);
        }
        if (redirects >= maxRedirects) {
          throw new InvalidRequestError(`The image at ${state.url} redirected more than ${maxRedirects} times; use the image's final URL.`, param);
        }
        const next = resolveLocation(location, target, state.url, param);
        target = checkUrl(next, param, `The image at ${state.url} redirected to a URL that`, { url: displayUrl(next), redirectedFrom: state.url });
        state.redirectedFrom = state.url;
        continue;
      }
      return await readImage(response, state.url, param);
    }
  }

  /** Scheme, credentials and IP-literal checks for one hop; `subject` starts the message ("The image URL …"). */
  function checkUrl(text: string, param: string, subject: string, hop: HopState): URL {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw new InvalidRequestError(`${subject} is not a valid URL; send an absolute http(s) URL or a data: URL.`, param);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      const hint = url.protocol === 'data:' ? ' (data: URLs are decoded inline, never fetched or redirected to)' : '';
      throw new InvalidRequestError(`${subject} uses ${url.protocol}${hint}; only http: and https: image URLs are fetched.`, param);
    }
    if (url.username || url.password) {
      throw new InvalidRequestError(`${subject} carries a user name or password; image URLs must be public, without credentials.`, param);
    }
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    const family = isIP(host);
    if (family !== 0) {
      const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
      try {
        vetAddress({ hostname: host, address: host, family, port }, isAllowed);
      } catch (err) {
        throw forbidden(err as ForbiddenAddressError, hop, param);
      }
    }
    return url;
  }

  async function readImage(response: Dispatcher.ResponseData, url: string, param: string): Promise<ImageData> {
    const { statusCode, body } = response;
    if (statusCode < 200 || statusCode > 299) {
      discard(body);
      throw new InvalidRequestError(`The image at ${url} could not be fetched: its server answered HTTP ${statusCode}; check that the URL is public and correct.`, param);
    }
    const declared = normalizeMimeType(header(response, 'content-type'));
    if (!allowed.has(declared)) {
      discard(body);
      throw new InvalidRequestError(
        `The image at ${url} has Content-Type ${declared || '(none)'}, not an accepted image type (${describeTypes(allowedMimeTypes)}); link the image file itself, not a page that shows it.`,
        param,
      );
    }
    const tooLarge = () =>
      new InvalidRequestError(`The image at ${url} is larger than the limit of ${formatBytes(maxBytes)}; send a smaller image.`, param);
    const length = Number(header(response, 'content-length'));
    if (Number.isFinite(length) && length > maxBytes) {
      discard(body);
      throw tooLarge();
    }
    // Counted as it arrives, so a server that lies about (or omits) its length costs at most maxBytes of memory.
    const chunks: Buffer[] = [];
    let total = 0;
    for await (const chunk of body as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > maxBytes) throw tooLarge(); // leaving the loop destroys the body, which closes the connection
      chunks.push(chunk);
    }
    const bytes = Buffer.concat(chunks, total);
    const sniffed = sniffImageType(bytes.subarray(0, SNIFF_BYTES));
    if (sniffed === undefined || !allowed.has(sniffed)) {
      throw new InvalidRequestError(
        `The image at ${url} is served as ${declared} but holds ${sniffed ? `${sniffed} data` : 'no image data'}; link a ${describeTypes(allowedMimeTypes)} image.`,
        param,
      );
    }
    return { mimeType: sniffed, base64: bytes.toString('base64'), bytes: total };
  }

  return {
    fetchImage,
    loadImage(url, param, signal) {
      if (url.startsWith('data:')) return Promise.resolve().then(() => decodeDataUrlImage(url, param, maxBytes, allowedMimeTypes));
      return fetchImage(url, param, signal);
    },
  };
}

/** Where a fetch is: the URL of the current hop (for messages) and the one that redirected to it. */
interface HopState {
  url: string;
  redirectedFrom?: string;
}

/**
 * Drops a body we will not read. undici's body emits an AbortError when destroyed unread, and an 'error' without a
 * listener would crash the process, so one is attached first.
 */
function discard(body: Dispatcher.ResponseData['body']): void {
  body.on('error', () => undefined);
  body.destroy();
}

function forbidden(err: ForbiddenAddressError, hop: HopState, param: string): InvalidRequestError {
  const url = hop.redirectedFrom ? `${hop.url} (redirected from ${hop.redirectedFrom})` : hop.url;
  // The resolved address is left out for hostnames: a caller must not learn how internal names resolve.
  const where = err.hostname === err.address ? `points to ${err.address}, which is` : `has a host that resolves to`;
  const what = err.addressClass === 'public' ? 'an address the gateway may not fetch from' : `a ${err.addressClass} address`;
  return Object.assign(
    new InvalidRequestError(
      `The image at ${url} ${where} ${what}; the gateway fetches images only from public hosts. Use a public URL or send the image as a data: URL.`,
      param,
    ),
    { cause: err },
  );
}

function transportFailure(err: unknown, hop: HopState, param: string): InvalidRequestError {
  const refused = findForbiddenAddress(err);
  if (refused) return forbidden(refused, hop, param);
  const url = hop.url;
  const code = (err as { code?: unknown })?.code;
  const why = typeof code === 'string' ? code : 'the connection failed';
  return Object.assign(
    new InvalidRequestError(`The image at ${url} could not be fetched (${why}); check that its host is reachable from the internet.`, param),
    { cause: err },
  );
}

function resolveLocation(location: string, base: URL, url: string, param: string): string {
  try {
    return new URL(location, base).href;
  } catch {
    throw new InvalidRequestError(`The image at ${url} redirected to an invalid URL; use the image's final URL.`, param);
  }
}

function header(response: Dispatcher.ResponseData, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The URL as messages show it: without a query (it may hold a signed token) and never longer than a line. */
function displayUrl(url: string): string {
  const shown = url.split(/[?#]/)[0];
  return shown.length > 200 ? `${shown.slice(0, 200)}…` : shown;
}

function formatMs(ms: number): string {
  return ms < 1000 ? `${ms}ms` : `${Number((ms / 1000).toFixed(1))}s`;
}
