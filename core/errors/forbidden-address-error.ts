import type { AddressClass } from '../images/ip-policy.ts';

/**
 * A connection the SSRF policy refused, raised inside the socket layer (a DNS lookup or a literal check) so that no
 * packet leaves for the address. It is a plain Error with a Node-style `code`, because it travels through net and
 * undici as a socket error; the image fetcher turns it into the caller's 400.
 */
export class ForbiddenAddressError extends Error {
  readonly code = 'EFORBIDDEN_ADDRESS';
  readonly hostname: string;
  readonly address: string;
  readonly port: number;
  readonly addressClass: AddressClass;

  constructor(target: { hostname: string; address: string; port: number }, addressClass: AddressClass) {
    const what = addressClass === 'public' ? 'an address this gateway may not connect to' : `a ${addressClass} address`;
    const subject = target.hostname === target.address ? target.address : `${target.hostname} resolves to ${target.address}, which`;
    super(`${subject} is ${what}`);
    this.name = 'ForbiddenAddressError';
    this.hostname = target.hostname;
    this.address = target.address;
    this.port = target.port;
    this.addressClass = addressClass;
  }
}

/** Finds the policy's refusal in an error or its causes (undici and net may wrap socket errors). */
export function findForbiddenAddress(err: unknown): ForbiddenAddressError | undefined {
  for (let e = err, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) {
    if (e instanceof ForbiddenAddressError) return e;
  }
  return undefined;
}
