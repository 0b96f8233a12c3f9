import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { classifyAddress, isForbiddenAddress, type AddressClass } from '../../core/images/ip-policy.ts';

// [address, class]; every class but 'public' is forbidden under the default policy.
const cases: Array<[string, AddressClass]> = [
  // IPv4 public
  ['8.8.8.8', 'public'],
  ['1.1.1.1', 'public'],
  ['93.184.216.34', 'public'],
  ['172.15.255.255', 'public'],
  ['172.32.0.0', 'public'],
  ['100.63.255.255', 'public'],
  ['100.128.0.0', 'public'],
  ['169.253.255.255', 'public'],
  ['192.169.0.1', 'public'],
  ['223.255.255.255', 'public'],
  ['11.0.0.1', 'public'],
  // IPv4 forbidden
  ['127.0.0.1', 'loopback'],
  ['127.255.255.254', 'loopback'],
  ['0.0.0.0', 'unspecified'],
  ['0.1.2.3', 'unspecified'],
  ['10.0.0.1', 'private'],
  ['10.255.255.255', 'private'],
  ['172.16.0.1', 'private'],
  ['172.31.255.255', 'private'],
  ['192.168.1.1', 'private'],
  ['100.64.0.1', 'shared'],
  ['100.127.255.255', 'shared'],
  ['169.254.0.1', 'link-local'],
  ['169.254.169.254', 'metadata'],
  ['169.254.170.2', 'metadata'],
  ['100.100.100.200', 'metadata'],
  ['224.0.0.1', 'multicast'],
  ['239.255.255.250', 'multicast'],
  ['240.0.0.1', 'reserved'],
  ['255.255.255.255', 'broadcast'],
  ['192.0.2.1', 'reserved'],
  ['198.18.0.1', 'reserved'],
  ['203.0.113.7', 'reserved'],
  // IPv6 public
  ['2001:4860:4860::8888', 'public'],
  ['2606:4700:4700::1111', 'public'],
  ['2a00:1450:4001:82b::200e', 'public'],
  ['::ffff:8.8.8.8', 'public'],
  ['64:ff9b::808:808', 'public'],
  ['2002:808:808::1', 'public'],
  // IPv6 forbidden
  ['::1', 'loopback'],
  ['0:0:0:0:0:0:0:1', 'loopback'],
  ['::', 'unspecified'],
  ['fe80::1', 'link-local'],
  ['fe80::1%eth0', 'link-local'],
  ['febf::1', 'link-local'],
  ['fc00::1', 'private'],
  ['fd12:3456:789a::1', 'private'],
  ['fec0::1', 'private'],
  ['fd00:ec2::254', 'metadata'],
  ['ff02::1', 'multicast'],
  ['ff05::1:3', 'multicast'],
  ['2001:db8::1', 'reserved'],
  ['2001::1', 'reserved'], // Teredo
  ['100::1', 'reserved'], // discard-only
  ['4000::1', 'reserved'], // outside 2000::/3
  // IPv4 inside IPv6, judged by the IPv4
  ['::ffff:10.0.0.1', 'private'],
  ['::ffff:127.0.0.1', 'loopback'],
  ['::ffff:7f00:1', 'loopback'],
  ['::FFFF:A9FE:A9FE', 'metadata'],
  ['::ffff:169.254.169.254', 'metadata'],
  ['::127.0.0.1', 'loopback'],
  ['::a00:1', 'private'],
  ['::ffff:0:7f00:1', 'reserved'], // IPv4-translated: outside 2000::/3
  ['64:ff9b::7f00:1', 'loopback'],
  ['64:ff9b::10.0.0.1', 'private'],
  ['64:ff9b:1::a00:1', 'private'],
  ['2002:7f00:1::', 'loopback'],
  ['2002:a9fe:a9fe::1', 'metadata'],
  ['2002:c0a8:101::1', 'private'],
  // not addresses at all
  ['', 'invalid'],
  ['localhost', 'invalid'],
  ['127.1', 'invalid'],
  ['0177.0.0.1', 'invalid'],
  ['2130706433', 'invalid'],
  ['0x7f.0.0.1', 'invalid'],
  ['[::1]', 'invalid'],
  ['1.2.3.4 ', 'invalid'],
  ['1::2::3', 'invalid'],
  ['256.1.1.1', 'invalid'],
];

describe('classifyAddress and isForbiddenAddress (default policy)', () => {
  for (const [ip, cls] of cases) {
    test(`${JSON.stringify(ip)} is ${cls}, ${cls === 'public' ? 'allowed' : 'forbidden'}`, () => {
      assert.equal(classifyAddress(ip), cls);
      assert.equal(isForbiddenAddress(ip), cls !== 'public');
    });
  }
});

// With allowPrivateNetworks: [address, forbidden?]
const lanCases: Array<[string, boolean]> = [
  ['127.0.0.1', false],
  ['::1', false],
  ['::ffff:127.0.0.1', false],
  ['10.0.0.5', false],
  ['172.20.1.1', false],
  ['192.168.178.20', false],
  ['100.64.1.1', false],
  ['169.254.10.10', false],
  ['fe80::1', false],
  ['fd12::1', false],
  ['8.8.8.8', false],
  ['169.254.169.254', true],
  ['::ffff:169.254.169.254', true],
  ['169.254.170.2', true],
  ['100.100.100.200', true],
  ['fd00:ec2::254', true],
  ['0.0.0.0', true],
  ['::', true],
  ['224.0.0.1', true],
  ['ff02::1', true],
  ['255.255.255.255', true],
  ['240.0.0.1', true],
  ['2001:db8::1', true],
  ['not-an-ip', true],
];

describe('isForbiddenAddress with allowPrivateNetworks', () => {
  for (const [ip, forbidden] of lanCases) {
    test(`${ip} is ${forbidden ? 'still forbidden' : 'allowed'}`, () => {
      assert.equal(isForbiddenAddress(ip, { allowPrivateNetworks: true }), forbidden);
    });
  }
});
