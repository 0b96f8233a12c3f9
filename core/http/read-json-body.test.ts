import assert from 'node:assert/strict';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { isGatewayError } from '../errors/gateway-error.ts';
import { ClientClosedError } from '../errors/client-closed-error.ts';
import { parseJson, readJsonBody } from './read-json-body.ts';

describe('parseJson', () => {
  const accepted: Array<[string, unknown]> = [
    ['{"model":"a"}', { model: 'a' }],
    ['  \n\t{"a":[1,2]}  ', { a: [1, 2] }],
    ['[1]', [1]],
    ['\ufeff{"bom":true}', { bom: true }],
    ['{"constructor":{"prototype":1}}', { constructor: { prototype: 1 } }],
  ];
  for (const [text, value] of accepted) {
    test(`accepts ${JSON.stringify(text)}`, () => assert.deepEqual(parseJson(text), value));
  }

  const refused: Array<[string, RegExp]> = [
    ['', /body is empty/],
    ['   ', /body is empty/],
    ['"a string"', /must be a JSON object/],
    ['42', /must be a JSON object/],
    ['null', /must be a JSON object/],
    ['{"a":', /not valid JSON/],
    ['{"__proto__":{"admin":true}}', /"__proto__"/],
    ['{"a":{"\\u005f_proto__":{"admin":true}}}', /"__proto__"/],
    ['{"\\u005F\\u005F\\u0070roto__" : 1}', /"__proto__"/],
  ];
  for (const [text, message] of refused) {
    test(`refuses ${JSON.stringify(text)} with a 400 that says why`, () => {
      assert.throws(
        () => parseJson(text),
        (err: unknown) => isGatewayError(err) && err.status === 400 && err.code === 'invalid_request' && message.test(err.message),
      );
    });
  }

  test('a "__proto__" inside a string value is only text', () => {
    assert.deepEqual(parseJson('{"content":"what is __proto__ in JS?"}'), { content: 'what is __proto__ in JS?' });
  });
});

describe('readJsonBody against a real server', () => {
  let server: Server;
  let port: number;
  // What the server's reader made of the last request: the value or the error.
  let outcome: Promise<{ value?: unknown; error?: unknown }>;

  before(async () => {
    server = createServer((req, res) => {
      outcome = readJsonBody(req, { maxBytes: 64, label: '64b' }).then(
        (value) => ({ value }),
        (error: unknown) => ({ error }),
      );
      void outcome.then(() => res.end('done'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  function send(body: Buffer | string, headers: Record<string, string | number> = {}, chunked = false): Promise<void> {
    return new Promise((resolve) => {
      const payload = typeof body === 'string' ? Buffer.from(body) : body;
      const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/', headers: { 'content-type': 'application/json', ...(chunked ? {} : { 'content-length': payload.length }), ...headers } }, (res) => {
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', () => resolve());
      req.end(payload);
    });
  }

  const body = '{"model":"m","n":1}';
  const cases: Array<{ name: string; payload: Buffer | string; headers?: Record<string, string>; chunked?: boolean }> = [
    { name: 'plain, with Content-Length', payload: body },
    { name: 'chunked, without Content-Length', payload: body, chunked: true },
    { name: 'charset=utf-8', payload: body, headers: { 'content-type': 'application/json; charset=UTF-8' } },
    { name: 'gzip', payload: gzipSync(body), headers: { 'content-encoding': 'gzip' } },
    { name: 'deflate', payload: deflateSync(body), headers: { 'content-encoding': 'deflate' } },
    { name: 'br', payload: brotliCompressSync(body), headers: { 'content-encoding': 'br' } },
  ];
  for (const { name, payload, headers, chunked } of cases) {
    test(`reads a body sent ${name}`, async () => {
      await send(payload, headers, chunked);
      assert.deepEqual(await outcome, { value: { model: 'm', n: 1 } });
    });
  }

  const big = JSON.stringify({ text: 'x'.repeat(100) });
  const refusals: Array<{ name: string; payload: Buffer | string; headers?: Record<string, string>; chunked?: boolean; status: number; message: RegExp }> = [
    { name: 'a Content-Length over the limit', payload: big, status: 413, message: /limit of 64b/ },
    { name: 'a chunked body that grows over the limit', payload: big, chunked: true, status: 413, message: /limit of 64b/ },
    { name: 'a gzip body that inflates over the limit', payload: gzipSync(big), headers: { 'content-encoding': 'gzip' }, status: 413, message: /limit of 64b/ },
    { name: 'another charset', payload: body, headers: { 'content-type': 'application/json; charset=latin1' }, status: 400, message: /charset "latin1".*UTF-8/ },
    { name: 'an unknown Content-Encoding', payload: body, headers: { 'content-encoding': 'zstd' }, status: 400, message: /Content-Encoding "zstd"/ },
    { name: 'gzip that is not gzip', payload: body, headers: { 'content-encoding': 'gzip' }, status: 400, message: /could not be decompressed/ },
  ];
  for (const { name, payload, headers, chunked, status, message } of refusals) {
    test(`refuses ${name} (${status})`, async () => {
      await send(payload, headers, chunked);
      const { error } = await outcome;
      assert.ok(isGatewayError(error), `a typed gateway error (got ${String(error)})`);
      assert.equal(error.status, status);
      assert.match(error.message, message);
    });
  }

  for (const [name, headers, firstBytes] of [
    ['plain', {}, Buffer.from('{"model":')],
    ['gzip', { 'content-encoding': 'gzip' }, gzipSync('{"model":"m","n":1}').subarray(0, 12)],
  ] as const) {
    test(`a client that goes away mid-body (${name}) ends the read with ClientClosedError`, async () => {
      await new Promise<void>((resolve) => {
        const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/', headers: { 'content-type': 'application/json', 'content-length': 60, ...headers } });
        req.on('error', () => resolve());
        req.write(firstBytes);
        setTimeout(() => {
          req.destroy();
          resolve();
        }, 50);
      });
      const { error } = await outcome;
      assert.ok(error instanceof ClientClosedError, `ClientClosedError (got ${String(error)})`);
    });
  }
});
