import assert from 'node:assert/strict';
import type { LookupAddress } from 'node:dns';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { ForbiddenAddressError } from '../../core/errors/forbidden-address-error.ts';
import { createSafeLookup, type Resolver, type SafeLookupOptions } from '../../core/images/safe-lookup.ts';
import { startImageServer, type ImageServer } from './image-server.ts';

const records: Record<string, Array<{ address: string; family: number }>> = {
  'public.test': [
    { address: '93.184.216.34', family: 4 },
    { address: '2606:2800:220:1:248:1893:25c8:1946', family: 6 },
  ],
  'mixed.test': [
    { address: '93.184.216.34', family: 4 },
    { address: '10.0.0.5', family: 4 },
  ],
  'private.test': [{ address: '10.0.0.5', family: 4 }],
  'loop.test': [{ address: '127.0.0.1', family: 4 }],
  'metadata.test': [{ address: '169.254.169.254', family: 4 }],
  'mapped.test': [{ address: '::ffff:127.0.0.1', family: 6 }],
  'garbage.test': [{ address: 'not-an-address', family: 4 }],
  'empty.test': [],
};

const resolver: Resolver = async (hostname) => {
  const found = records[hostname];
  if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
  return found;
};

function lookup(hostname: string, all: boolean, options: SafeLookupOptions = {}, family = 0) {
  const fn = createSafeLookup({ resolver, ...options });
  return new Promise<{ err: NodeJS.ErrnoException | null; address: string | LookupAddress[]; family?: number }>((resolve) =>
    fn(hostname, { all, family }, (err, address, family) => resolve({ err, address, family })),
  );
}

// [hostname, options, the addresses handed to the socket, or the error code]
const cases: Array<[string, SafeLookupOptions, string[] | string]> = [
  ['public.test', {}, ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946']],
  ['mixed.test', {}, 'EFORBIDDEN_ADDRESS'],
  ['mixed.test', { allowPrivateNetworks: true }, ['93.184.216.34', '10.0.0.5']],
  ['private.test', {}, 'EFORBIDDEN_ADDRESS'],
  ['private.test', { allowPrivateNetworks: true }, ['10.0.0.5']],
  ['loop.test', {}, 'EFORBIDDEN_ADDRESS'],
  ['loop.test', { allowPrivateNetworks: true }, ['127.0.0.1']],
  ['metadata.test', { allowPrivateNetworks: true }, 'EFORBIDDEN_ADDRESS'],
  ['mapped.test', {}, 'EFORBIDDEN_ADDRESS'],
  ['garbage.test', { allowPrivateNetworks: true }, 'EFORBIDDEN_ADDRESS'],
  ['empty.test', {}, 'ENOTFOUND'],
  ['unknown.test', {}, 'ENOTFOUND'],
  ['127.0.0.1', {}, 'EFORBIDDEN_ADDRESS'],
  ['8.8.8.8', {}, ['8.8.8.8']],
  ['loop.test', { isAllowedAddress: ({ port }) => port === 8080, port: 8080 }, ['127.0.0.1']],
  ['loop.test', { isAllowedAddress: ({ port }) => port === 8080, port: 9090 }, 'EFORBIDDEN_ADDRESS'],
];

describe('createSafeLookup', () => {
  for (const [hostname, options, expected] of cases) {
    test(`${hostname} ${JSON.stringify(options)} → ${Array.isArray(expected) ? expected.join(', ') : expected}`, async () => {
      const { err, address } = await lookup(hostname, true, options);
      if (typeof expected === 'string') {
        assert.equal(err?.code, expected);
      } else {
        assert.equal(err, null);
        assert.deepEqual((address as LookupAddress[]).map((a) => a.address), expected);
      }
    });
  }

  test('without `all` it answers the first address and its family', async () => {
    const { err, address, family } = await lookup('public.test', false);
    assert.equal(err, null);
    assert.equal(address, '93.184.216.34');
    assert.equal(family, 4);
  });

  test('a family filter applies after every address was vetted', async () => {
    assert.equal((await lookup('public.test', false, {}, 6)).address, '2606:2800:220:1:248:1893:25c8:1946');
    assert.equal((await lookup('mixed.test', true, {}, 4)).err?.code, 'EFORBIDDEN_ADDRESS');
  });

  test('the refusal names the host and the address', async () => {
    const { err } = await lookup('private.test', true);
    assert.ok(err instanceof ForbiddenAddressError, `a ForbiddenAddressError (got ${String(err)})`);
    assert.equal(err.message, 'private.test resolves to 10.0.0.5, which is a private address');
    assert.equal(err.addressClass, 'private');
  });
});

describe('net.connect with the safe lookup', () => {
  let server: ImageServer;
  before(async () => (server = await startImageServer({})));
  after(() => server.close());

  function tryConnect(options: SafeLookupOptions) {
    return new Promise<NodeJS.ErrnoException | null>((resolve) => {
      const socket = connect({ host: 'loop.test', port: server.port, lookup: createSafeLookup({ resolver, ...options }) });
      socket.once('connect', () => {
        socket.destroy();
        resolve(null);
      });
      socket.once('error', (err) => resolve(err));
    });
  }

  test('a name that resolves to loopback never gets a connection', async () => {
    const err = await tryConnect({});
    assert.equal(err?.code, 'EFORBIDDEN_ADDRESS');
    assert.equal(server.connections, 0);
  });

  test('the same name connects when private networks are allowed (the check is what stopped it)', async () => {
    assert.equal(await tryConnect({ allowPrivateNetworks: true }), null);
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(server.connections, 1);
  });
});
