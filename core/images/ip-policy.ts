import { isIPv4, isIPv6 } from 'node:net';

/** What an address is, as far as fetching a caller's URL from it is concerned. */
export type AddressClass =
  | 'public'
  | 'loopback'
  | 'private'
  | 'shared'
  | 'link-local'
  | 'metadata'
  | 'unspecified'
  | 'multicast'
  | 'broadcast'
  | 'reserved'
  | 'invalid';

export interface AddressPolicy {
  /**
   * Allow loopback, private (RFC 1918, unique-local IPv6), CGNAT and link-local addresses: for a gateway on a LAN
   * that fetches images from hosts beside it, and for tests. Metadata endpoints stay forbidden regardless.
   */
  allowPrivateNetworks?: boolean;
}

// What `allowPrivateNetworks` opens. Unspecified, multicast, broadcast and reserved stay closed: no image lives there,
// and 0.0.0.0 in particular connects to the local host on Linux.
const PRIVATE_CLASSES: ReadonlySet<AddressClass> = new Set(['loopback', 'private', 'shared', 'link-local']);

/** The answer for a hostile caller: anything that is not a public unicast address is refused. */
export function isForbiddenAddress(ip: string, policy: AddressPolicy = {}): boolean {
  const cls = classifyAddress(ip);
  if (cls === 'public') return false;
  return !(policy.allowPrivateNetworks === true && PRIVATE_CLASSES.has(cls));
}

export function classifyAddress(ip: string): AddressClass {
  if (isIPv4(ip)) return classifyV4(parseV4(ip));
  if (isIPv6(ip)) return classifyV6(parseV6(ip));
  return 'invalid';
}

type V4Range = [base: string, prefix: number, cls: AddressClass];

// First match wins, so single addresses come before the blocks that contain them.
const V4_RANGES: V4Range[] = [
  // Cloud instance metadata and credential endpoints (AWS, GCP, Azure, Oracle; ECS and EKS task credentials;
  // Alibaba's sits inside CGNAT space). They hand out credentials, so no setting opens them.
  ['169.254.169.254', 32, 'metadata'],
  ['169.254.170.2', 32, 'metadata'],
  ['169.254.170.23', 32, 'metadata'],
  ['100.100.100.200', 32, 'metadata'],
  ['255.255.255.255', 32, 'broadcast'],
  ['0.0.0.0', 8, 'unspecified'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'shared'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved'], // IETF protocol assignments
  ['192.0.2.0', 24, 'reserved'], // documentation
  ['192.88.99.0', 24, 'reserved'], // the retired 6to4 relay anycast
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'reserved'], // benchmarking; also where "fake-IP" DNS proxies answer
  ['198.51.100.0', 24, 'reserved'], // documentation
  ['203.0.113.0', 24, 'reserved'], // documentation
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
];

const V4_TABLE = V4_RANGES.map(([base, prefix, cls]) => {
  const mask = prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
  return { network: (parseV4(base) & mask) >>> 0, mask, cls };
});

function classifyV4(addr: number): AddressClass {
  for (const { network, mask, cls } of V4_TABLE) if (((addr & mask) >>> 0) === network) return cls;
  return 'public';
}

/** Dotted quad to an unsigned 32-bit number; the caller has validated it with isIPv4. */
function parseV4(ip: string): number {
  return ip.split('.').reduce((acc, part) => acc * 256 + Number(part), 0) >>> 0;
}

// IPv6 metadata endpoints (AWS IMDS and the EKS Pod Identity agent), inside fc00::/7 and so "private" otherwise.
const V6_METADATA = ['fd00:ec2::254', 'fd00:ec2::23'].map((ip) => parseV6(ip).join(','));

function classifyV6(b: number[]): AddressClass {
  if (V6_METADATA.includes(b.join(','))) return 'metadata';
  const zeros = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  const v4At = (i: number) => ((b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]) >>> 0;

  if (zeros(0, 16)) return 'unspecified';
  if (zeros(0, 15) && b[15] === 1) return 'loopback';
  // Forms that carry an IPv4 address: a socket connects to that IPv4 host, so it is judged as one.
  if (zeros(0, 10) && b[10] === 0xff && b[11] === 0xff) return classifyV4(v4At(12)); // ::ffff:a.b.c.d
  if (zeros(0, 12)) return classifyV4(v4At(12)); // ::a.b.c.d (deprecated "compatible")
  if (startsWith(b, [0x00, 0x64, 0xff, 0x9b]) && zeros(4, 12)) return classifyV4(v4At(12)); // NAT64 64:ff9b::/96
  if (startsWith(b, [0x00, 0x64, 0xff, 0x9b, 0x00, 0x01])) return 'private'; // local-use NAT64 64:ff9b:1::/48
  if (b[0] === 0x20 && b[1] === 0x02) return classifyV4(v4At(2)); // 6to4 2002:a.b.c.d::/48
  // Teredo hides its endpoint (XOR-ed) in the address; no image host needs it, so refusing it is simpler than decoding it.
  if (startsWith(b, [0x20, 0x01, 0x00, 0x00])) return 'reserved';
  if (startsWith(b, [0x20, 0x01, 0x0d, 0xb8])) return 'reserved'; // documentation 2001:db8::/32
  if (b[0] === 0x3f && (b[1] & 0xf0) === 0xf0) return 'reserved'; // documentation 3fff::/20
  if ((b[0] & 0xfe) === 0xfc) return 'private'; // unique-local fc00::/7
  if (b[0] === 0xfe && (b[1] & 0xc0) === 0x80) return 'link-local'; // fe80::/10
  if (b[0] === 0xfe && (b[1] & 0xc0) === 0xc0) return 'private'; // the retired site-local fec0::/10
  if (b[0] === 0xff) return 'multicast';
  // All global unicast lives in 2000::/3; everything else outside the forms above is unassigned or special.
  if ((b[0] & 0xe0) !== 0x20) return 'reserved';
  return 'public';
}

function startsWith(bytes: number[], prefix: number[]): boolean {
  return prefix.every((x, i) => bytes[i] === x);
}

/** An IPv6 text form (validated by isIPv6, possibly with a zone and a dotted IPv4 tail) to its 16 bytes. */
function parseV6(ip: string): number[] {
  let text = ip.split('%')[0].toLowerCase();
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    const v4 = parseV4(tail);
    text = `${text.slice(0, lastColon + 1)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const [head, rest] = text.split('::');
  const groups = (part: string | undefined) => (part ? part.split(':').filter((g) => g !== '') : []);
  const headGroups = groups(head);
  const restGroups = groups(rest);
  const fill = rest === undefined ? [] : new Array<string>(8 - headGroups.length - restGroups.length).fill('0');
  return [...headGroups, ...fill, ...restGroups].flatMap((g) => {
    const n = parseInt(g, 16);
    return [n >> 8, n & 0xff];
  });
}
