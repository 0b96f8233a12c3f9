import { classifyAddress } from './ip-policy.ts';
import type { AddressPredicate } from './safe-lookup.ts';

interface TrustedHost {
  host: string;
  port?: number;
}

/**
 * Hosts an operator trusts for image fetches although they are private (a LAN image server): entries
 * `host` or `host:port`, where host is an IP literal (IPv6 in brackets) or a hostname. A connection is
 * allowed when its address or the hostname asked for matches an entry (and its port, when the entry
 * names one); anything else meets the normal policy. Metadata addresses are never allowed.
 */
export function trustedHostsPredicate(entries: readonly string[], otherwise: AddressPredicate): AddressPredicate {
  const trusted = entries.map(parseTrustedHost);
  if (trusted.length === 0) return otherwise;
  return (target) => {
    if (classifyAddress(target.address) === 'metadata') return false;
    const hostname = target.hostname.toLowerCase().replace(/^\[|\]$/g, '');
    const match = trusted.some((t) => (t.host === target.address || t.host === hostname) && (t.port === undefined || t.port === target.port));
    return match || otherwise(target);
  };
}

export function parseTrustedHost(entry: string): TrustedHost {
  const text = entry.trim().toLowerCase();
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (bracketed) return { host: bracketed[1]!, port: bracketed[2] === undefined ? undefined : Number(bracketed[2]) };
  const parts = text.split(':');
  if (parts.length === 2 && /^\d+$/.test(parts[1]!)) return { host: parts[0]!, port: Number(parts[1]) };
  return { host: text };
}

/** `a, b` or `[a, b]` → `[a, b]`: the setting may come from an environment variable or from YAML. */
export function hostList(value: string | readonly string[] | undefined): string[] {
  if (value === undefined) return [];
  const items = typeof value === 'string' ? value.split(',') : value;
  return items.map((s) => s.trim()).filter((s) => s.length > 0);
}
