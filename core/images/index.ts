// Images that callers send with a request: by data: URL (decoded and checked) or by http(s) URL (fetched without
// letting the caller reach loopback, private, link-local or metadata addresses).
export { createImageFetcher, type ImageFetcher, type ImageFetcherOptions } from './image-fetcher.ts';
export { decodeDataUrlImage, DEFAULT_MAX_IMAGE_BYTES, type ImageData } from './data-url-image.ts';
export { DEFAULT_IMAGE_MIME_TYPES, normalizeMimeType, sniffImageType } from './image-types.ts';
export { classifyAddress, isForbiddenAddress, type AddressClass, type AddressPolicy } from './ip-policy.ts';
export {
  createSafeLookup,
  resolveSafely,
  systemResolver,
  type AddressPredicate,
  type AddressTarget,
  type ResolvedAddress,
  type Resolver,
  type SafeLookupOptions,
} from './safe-lookup.ts';
export { createSafeConnector, type SafeConnectorOptions } from './safe-connector.ts';
export { ForbiddenAddressError } from '../errors/forbidden-address-error.ts';
