import type { LookupAddress, LookupOptions } from 'node:dns';
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import { ForbiddenAddressError } from '../errors/forbidden-address-error.ts';
import { classifyAddress, isForbiddenAddress } from './ip-policy.ts';

export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Turns a hostname into every address it has; injectable so tests can map names to any address without DNS. */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: Resolver = (hostname) => dnsLookup(hostname, { all: true });

/** One address the socket layer is about to connect to, with what the decision may need to know. */
export interface AddressTarget {
  hostname: string;
  address: string;
  family: number;
  port: number;
}

/** True when a connection to the target may be made. */
export type AddressPredicate = (target: AddressTarget) => boolean;

export interface AddressRules {
  allowPrivateNetworks?: boolean;
  /** Replaces the IP policy entirely (a test allows one loopback port this way); defaults to the policy. */
  isAllowedAddress?: AddressPredicate;
}

export function addressPredicate(rules: AddressRules): AddressPredicate {
  if (rules.isAllowedAddress) return rules.isAllowedAddress;
  const allowPrivateNetworks = rules.allowPrivateNetworks === true;
  return ({ address }) => !isForbiddenAddress(address, { allowPrivateNetworks });
}

/** Throws ForbiddenAddressError unless the predicate allows the target. */
export function vetAddress(target: AddressTarget, isAllowed: AddressPredicate): void {
  if (!isAllowed(target)) throw new ForbiddenAddressError(target, classifyAddress(target.address));
}

export interface SafeLookupOptions extends AddressRules {
  resolver?: Resolver;
  /** The port the socket will connect to: net.connect does not pass it to `lookup`, so the caller binds it here. */
  port?: number;
}

/**
 * A `lookup` for net.connect / tls.connect that resolves the name once and refuses the connection if ANY address is
 * forbidden. The socket then connects to exactly the addresses that were checked, so a DNS answer that changes
 * between a check and the connect (rebinding) has nothing to slip through. Refusing on any bad address, not just
 * the first, keeps a name with one public and one private record from reaching the private one on a retry.
 */
export function createSafeLookup(options: SafeLookupOptions = {}): LookupFunction {
  const resolver = options.resolver ?? systemResolver;
  const isAllowed = addressPredicate(options);
  const port = options.port ?? 0;
  return (hostname: string, lookupOptions: LookupOptions, callback) => {
    resolveSafely(hostname, port, resolver, isAllowed).then(
      (addresses) => {
        const wanted = familyOf(lookupOptions.family);
        const usable = wanted === 0 ? addresses : addresses.filter((a) => a.family === wanted);
        if (usable.length === 0) {
          callback(Object.assign(new Error(`${hostname} has no IPv${wanted} address`), { code: 'ENOTFOUND', hostname }), '');
        } else if (lookupOptions.all) {
          callback(null, usable as LookupAddress[]);
        } else {
          callback(null, usable[0].address, usable[0].family);
        }
      },
      (err: NodeJS.ErrnoException) => callback(err, ''),
    );
  };
}

/** Resolves `hostname` (an IP literal stands for itself) and vets every address; rejects with ForbiddenAddressError. */
export async function resolveSafely(
  hostname: string,
  port: number,
  resolver: Resolver,
  isAllowed: AddressPredicate,
): Promise<ResolvedAddress[]> {
  const literalFamily = isIP(hostname);
  const addresses = literalFamily ? [{ address: hostname, family: literalFamily }] : await resolver(hostname);
  if (addresses.length === 0) {
    throw Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND', hostname });
  }
  for (const { address, family } of addresses) vetAddress({ hostname, address, family, port }, isAllowed);
  return addresses;
}

function familyOf(family: LookupOptions['family']): number {
  if (family === 'IPv4') return 4;
  if (family === 'IPv6') return 6;
  return family ?? 0;
}
