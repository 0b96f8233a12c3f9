import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { InvalidRequestError } from '../../core/errors/invalid-request-error.ts';
import { createImageFetcher, type ImageFetcherOptions } from '../../core/images/image-fetcher.ts';
import type { Resolver } from '../../core/images/safe-lookup.ts';
import { dataUrl, JPEG, PNG } from './image-bytes.ts';
import { hang, redirect, serve, startImageServer, streamBig, type ImageServer } from './image-server.ts';

const param = 'messages[0].content[1].image_url.url';
const maxBytes = 64 * 1024;

/** Asserts a 400 for `param` whose message matches `pattern`. */
async function refused(promise: Promise<unknown>, pattern: RegExp): Promise<InvalidRequestError> {
  let caught: unknown;
  await promise.then(
    () => assert.fail('expected a refusal'),
    (err) => (caught = err),
  );
  assert.ok(caught instanceof InvalidRequestError, `expected an InvalidRequestError, got ${String(caught)}`);
  assert.equal(caught.status, 400);
  assert.equal(caught.param, param);
  assert.match(caught.message, pattern);
  return caught;
}

function lanFetcher(options: ImageFetcherOptions = {}) {
  return createImageFetcher({ allowPrivateNetworks: true, maxBytes, timeoutMs: 2_000, ...options });
}

describe('image fetcher: what it accepts (private networks allowed, servers on loopback)', () => {
  let server: ImageServer;
  const big = streamBig(8 * 1024 * 1024, false);
  const bigWithLength = streamBig(8 * 1024 * 1024, true);
  before(async () => {
    server = await startImageServer({
      '/a.png': serve('image/png', PNG),
      '/photo': serve('image/jpeg; charset=binary', JPEG),
      '/mislabelled': serve('image/png', JPEG),
      '/page': serve('text/html; charset=utf-8', '<html>hi</html>'),
      '/no-type': (_req, res) => res.writeHead(200).end(PNG),
      '/fake.png': serve('image/png', '<html>not an image</html>'),
      '/big': big.handler,
      '/big-with-length': bigWithLength.handler,
      '/hang': hang,
      '/missing': (_req, res) => res.writeHead(404).end(),
      '/moved': redirect('/a.png'),
      '/moved-twice': redirect('/moved', 301),
      '/loop': redirect('/loop'),
      '/no-location': (_req, res) => res.writeHead(302).end(),
      '/to-file': redirect('file:///etc/passwd'),
      '/to-data': redirect(dataUrl('image/png', PNG)),
    });
  });
  after(() => server.close());

  test('fetches a PNG', async () => {
    const image = await lanFetcher().fetchImage(`${server.origin}/a.png`, param);
    assert.deepEqual(image, { mimeType: 'image/png', base64: PNG.toString('base64'), bytes: PNG.length });
    const request = server.requests.at(-1)!;
    assert.equal(request.method, 'GET');
    assert.match(String(request.headers.accept), /image\/png/);
  });

  test('a Content-Type with parameters is fine; the bytes decide the type', async () => {
    assert.equal((await lanFetcher().fetchImage(`${server.origin}/photo`, param)).mimeType, 'image/jpeg');
    assert.equal((await lanFetcher().fetchImage(`${server.origin}/mislabelled`, param)).mimeType, 'image/jpeg');
  });

  test('refuses a text/html Content-Type', async () => {
    await refused(lanFetcher().fetchImage(`${server.origin}/page`, param), /has Content-Type text\/html, not an accepted image type/);
  });

  test('refuses a response without a Content-Type', async () => {
    await refused(lanFetcher().fetchImage(`${server.origin}/no-type`, param), /has Content-Type \(none\)/);
  });

  test('refuses a body that is not an image although labelled image/png', async () => {
    await refused(lanFetcher().fetchImage(`${server.origin}/fake.png`, param), /served as image\/png but holds no image data/);
  });

  test('refuses an oversized body without Content-Length, stopping the download early', async () => {
    await refused(lanFetcher().fetchImage(`${server.origin}/big`, param), /larger than the limit of 64 KiB/);
    const seen = await big.result;
    assert.equal(seen.closedEarly, true, 'the server saw the connection close');
    assert.ok(seen.written < 8 * 1024 * 1024, `the server wrote only ${seen.written} bytes`);
  });

  test('refuses an oversized Content-Length before reading the body', async () => {
    await refused(lanFetcher().fetchImage(`${server.origin}/big-with-length`, param), /larger than the limit of 64 KiB/);
    const seen = await bigWithLength.result;
    assert.equal(seen.closedEarly, true);
    assert.ok(seen.written < 8 * 1024 * 1024, `the server wrote only ${seen.written} bytes`);
  });

  test('times out on a hanging server', async () => {
    const started = Date.now();
    await refused(lanFetcher({ timeoutMs: 300 }).fetchImage(`${server.origin}/hang`, param), /did not load within 300ms/);
    assert.ok(Date.now() - started < 2_000, `timed out within 2 s (took ${Date.now() - started} ms)`);
  });

  test("the caller's signal aborts the fetch with the caller's reason", async () => {
    const controller = new AbortController();
    const reason = new Error('client went away');
    setTimeout(() => controller.abort(reason), 50);
    await assert.rejects(lanFetcher().fetchImage(`${server.origin}/hang`, param, controller.signal), (err) => err === reason);
  });

  test('refuses a non-2xx answer', async () => {
    await refused(lanFetcher().fetchImage(`${server.origin}/missing`, param), /answered HTTP 404/);
  });

  test('follows redirects to another allowed path', async () => {
    const before = server.requests.length;
    const image = await lanFetcher().fetchImage(`${server.origin}/moved-twice`, param);
    assert.equal(image.mimeType, 'image/png');
    assert.deepEqual(server.requests.slice(before).map((r) => r.path), ['/moved-twice', '/moved', '/a.png']);
  });

  test('stops after maxRedirects', async () => {
    await refused(lanFetcher({ maxRedirects: 1 }).fetchImage(`${server.origin}/moved-twice`, param), /redirected more than 1 times/);
    await refused(lanFetcher().fetchImage(`${server.origin}/loop`, param), /redirected more than 3 times/);
  });

  test('refuses a redirect without a Location', async () => {
    await refused(lanFetcher().fetchImage(`${server.origin}/no-location`, param), /without a Location/);
  });

  test('refuses redirects to file: and data: URLs', async () => {
    await refused(lanFetcher().fetchImage(`${server.origin}/to-file`, param), /redirected to a URL that uses file:/);
    await refused(lanFetcher().fetchImage(`${server.origin}/to-data`, param), /redirected to a URL that uses data:/);
  });

  test('loadImage decodes data: URLs and fetches http: URLs', async () => {
    const fetcher = lanFetcher();
    assert.equal((await fetcher.loadImage(dataUrl('image/png', PNG), param)).mimeType, 'image/png');
    assert.equal((await fetcher.loadImage(`${server.origin}/a.png`, param)).bytes, PNG.length);
    await refused(fetcher.loadImage(dataUrl('text/plain', Buffer.from('x')), param), /type text\/plain/);
  });
});

describe('image fetcher: SSRF refusals (default policy)', () => {
  let server: ImageServer;
  before(async () => {
    server = await startImageServer({ '/x': serve('image/png', PNG) });
  });
  after(() => server.close());

  const resolverCalls: string[] = [];
  const resolver: Resolver = async (hostname) => {
    resolverCalls.push(hostname);
    if (hostname === 'internal.test') return [{ address: '10.0.0.5', family: 4 }];
    if (hostname === 'metadata.test') return [{ address: '169.254.169.254', family: 4 }];
    throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
  };

  const untouched = () => {
    assert.deepEqual(server.requests, [], 'the server received no request');
    assert.equal(server.connections, 0, 'the server accepted no connection');
  };

  test('refuses http://127.0.0.1:<port>/x without the server hearing of it', async () => {
    const err = await refused(createImageFetcher().fetchImage(`${server.origin}/x`, param), /points to 127\.0\.0\.1, which is a loopback address/);
    assert.match(err.message, /only from public hosts/);
    untouched();
  });

  test('refuses http://localhost:<port>/x, which resolves to loopback', async () => {
    await refused(createImageFetcher().fetchImage(`http://localhost:${server.port}/x`, param), /has a host that resolves to a loopback address/);
    untouched();
  });

  test('refuses other spellings of loopback', async () => {
    const fetcher = createImageFetcher();
    for (const url of [
      `http://2130706433:${server.port}/x`,
      `http://0x7f.1:${server.port}/x`,
      `http://[::ffff:127.0.0.1]:${server.port}/x`,
      `http://[::1]:${server.port}/x`,
      `http://0.0.0.0:${server.port}/x`,
    ]) {
      await refused(fetcher.fetchImage(url, param), /which is a (loopback|unspecified) address/);
    }
    untouched();
  });

  test('refuses a hostname that resolves to a private address, before connecting anywhere', async () => {
    const started = Date.now();
    const err = await refused(createImageFetcher({ resolver }).fetchImage('http://internal.test/cat.png', param), /resolves to a private address/);
    assert.doesNotMatch(err.message, /10\.0\.0\.5/, 'the internal address is not told to the caller');
    assert.ok(resolverCalls.includes('internal.test'), `the hostname went through the resolver (got ${resolverCalls.join(', ')})`);
    // Connecting to 10.0.0.5 would hang until the timeout; the refusal is immediate.
    assert.ok(Date.now() - started < 1_000, `refused within 1 s (took ${Date.now() - started} ms)`);
  });

  test('refuses the metadata address even with private networks allowed', async () => {
    const fetcher = createImageFetcher({ resolver, allowPrivateNetworks: true });
    await refused(fetcher.fetchImage('http://169.254.169.254/latest/meta-data/', param), /169\.254\.169\.254, which is a metadata address/);
    await refused(fetcher.fetchImage('http://metadata.test/computeMetadata/v1/', param), /resolves to a metadata address/);
    await refused(fetcher.fetchImage('http://[fd00:ec2::254]/latest/meta-data/', param), /metadata address/);
  });

  test('refuses file:, ftp: and data: URLs, and URLs with credentials', async () => {
    const fetcher = createImageFetcher();
    await refused(fetcher.fetchImage('file:///etc/passwd', param), /uses file:; only http: and https:/);
    await refused(fetcher.fetchImage('ftp://example.com/a.png', param), /uses ftp:/);
    await refused(fetcher.fetchImage(dataUrl('image/png', PNG), param), /uses data: \(data: URLs are decoded inline/);
    await refused(fetcher.fetchImage('gopher://127.0.0.1:6379/_INFO', param), /uses gopher:/);
    await refused(fetcher.fetchImage('http://user:secret@example.com/a.png', param), /user name or password/);
    await refused(fetcher.fetchImage('not a url', param), /not a valid URL/);
  });

  test('a failing name lookup is a 400 that names the URL, not a 500', async () => {
    await refused(createImageFetcher({ resolver }).fetchImage('http://nowhere.test/a.png', param), /could not be fetched \(ENOTFOUND\)/);
  });
});

describe('image fetcher: a redirect from an allowed host to loopback', () => {
  let serverA: ImageServer;
  let serverB: ImageServer;
  before(async () => {
    serverB = await startImageServer({ '/secret': serve('image/png', PNG) });
    serverA = await startImageServer({
      '/to-literal': redirect(`http://127.0.0.1:${serverB.port}/secret`),
      '/to-name': redirect(`http://localhost:${serverB.port}/secret`),
    });
  });
  after(async () => {
    await serverA.close();
    await serverB.close();
  });

  // Only server A's port counts as "public": it stands in for a public host that answers with a redirect.
  const fetcher = () =>
    createImageFetcher({
      isAllowedAddress: ({ port }) => port === serverA.port,
      resolver: async (hostname) => {
        if (hostname === 'public.test' || hostname === 'localhost') return [{ address: '127.0.0.1', family: 4 }];
        throw Object.assign(new Error('ENOTFOUND'), { code: 'ENOTFOUND' });
      },
    });

  test('a redirect to http://127.0.0.1:<portB>/ is refused and B hears nothing', async () => {
    await refused(fetcher().fetchImage(`http://public.test:${serverA.port}/to-literal`, param), /^The image at http:\/\/127\.0\.0\.1:\d+\/secret \(redirected from http:\/\/public\.test:\d+\/to-literal\) points to 127\.0\.0\.1, which is a loopback address/);
    assert.equal(serverA.requests.length, 1);
    assert.deepEqual(serverB.requests, []);
    assert.equal(serverB.connections, 0);
  });

  test('a redirect to a name that resolves to loopback is refused at the lookup, and B hears nothing', async () => {
    await refused(fetcher().fetchImage(`http://public.test:${serverA.port}/to-name`, param), /^The image at http:\/\/localhost:\d+\/secret \(redirected from http:\/\/public\.test:\d+\/to-name\) has a host that resolves to a loopback address/);
    assert.equal(serverA.requests.length, 2);
    assert.deepEqual(serverB.requests, []);
    assert.equal(serverB.connections, 0);
  });
});
