import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hostList, parseTrustedHost, trustedHostsPredicate } from './trusted-hosts.ts';

const never = () => false;
const allow = trustedHostsPredicate(['10.1.2.3', '127.0.0.1:8080', 'images.lan', '[fd00::5]:9000'], never);
const target = (hostname: string, address: string, port: number) => ({ hostname, address, family: address.includes(':') ? 6 : 4, port });

const cases: Array<[string, ReturnType<typeof target>, boolean]> = [
  ['a trusted private address, any port', target('10.1.2.3', '10.1.2.3', 80), true],
  ['a hostname that resolves to a trusted address', target('nas.lan', '10.1.2.3', 443), true],
  ['a trusted address on its port', target('127.0.0.1', '127.0.0.1', 8080), true],
  ['a trusted address on another port', target('127.0.0.1', '127.0.0.1', 9090), false],
  ['localhost resolving to the trusted address and port', target('localhost', '127.0.0.1', 8080), true],
  ['a trusted hostname, whatever it resolves to', target('images.lan', '192.168.1.9', 80), true],
  ['an untrusted private address', target('10.1.2.4', '10.1.2.4', 80), false],
  ['a trusted IPv6 address and port', target('[fd00::5]', 'fd00::5', 9000), true],
  ['the metadata address, even if a trusted name resolves to it', target('images.lan', '169.254.169.254', 80), false],
];
for (const [what, t, expected] of cases) test(what, () => assert.equal(allow(t), expected));

test('without entries the normal policy decides', () => {
  const policy = trustedHostsPredicate([], () => true);
  assert.equal(policy(target('x', '10.0.0.1', 1)), true);
});

test('entries parse as host and optional port', () => {
  assert.deepEqual(parseTrustedHost(' Images.LAN:8080 '), { host: 'images.lan', port: 8080 });
  assert.deepEqual(parseTrustedHost('[::1]:80'), { host: '::1', port: 80 });
  assert.deepEqual(parseTrustedHost('fd00::5'), { host: 'fd00::5' });
});

test('a list comes from an environment string or from YAML', () => {
  assert.deepEqual(hostList('a, b:1 ,,'), ['a', 'b:1']);
  assert.deepEqual(hostList(['a', ' b ']), ['a', 'b']);
  assert.deepEqual(hostList(''), []);
  assert.deepEqual(hostList(undefined), []);
});
