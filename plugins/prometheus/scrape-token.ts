// The `token` option: a credential of its own for the scraper, so that Prometheus does not hold a caller's
// API key (which could also buy completions). With a token the route skips the gateway's key check and
// accepts only the token; without one it is guarded by API_KEYS like every other route.

import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** The bearer token a scrape presents (`Authorization: Bearer T`, as Prometheus's `authorization` sends it). */
export function presentedToken(headers: IncomingMessage['headers']): string | undefined {
  const match = /^Bearer\s+(.+)$/i.exec(headers.authorization ?? '');
  return match ? match[1]!.trim() : undefined;
}

/** Compared as SHA-256 digests in constant time: neither length nor content leaks through timing. */
export function tokenMatches(presented: string | undefined, expected: string): boolean {
  if (presented === undefined) return false;
  return timingSafeEqual(digest(presented), digest(expected));
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
