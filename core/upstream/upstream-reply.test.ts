import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { FakeServer } from '../../test/helpers/fake-server.ts';
import { ModelNotFoundError } from '../errors/model-not-found-error.ts';
import { ProviderAuthError } from '../errors/provider-auth-error.ts';
import { ProviderCapabilityError } from '../errors/provider-capability-error.ts';
import { ProviderRateLimitError } from '../errors/provider-rate-limit-error.ts';
import { UpstreamHttpError } from '../errors/upstream-http-error.ts';
import { UpstreamNetworkError } from '../errors/upstream-network-error.ts';
import { UpstreamProtocolError } from '../errors/upstream-protocol-error.ts';
import { UpstreamClient } from './http-client.ts';
import { errorFromUpstreamStatus } from './status-errors.ts';
import { discard, errorFromResponse, readJson, type StatusErrorMapping } from './upstream-reply.ts';

const KEY = 'sk-test-abcdefgh-0123456789';

/** What the server answers: status, headers and body; `cutAfter` sends only that many bytes of the body and resets. */
interface Reply {
  status: number;
  body: string;
  headers?: Record<string, string>;
  cutAfter?: number;
}

function answer(res: ServerResponse, reply: Reply): void {
  const bytes = Buffer.from(reply.body);
  res.writeHead(reply.status, { 'content-type': 'application/json', 'content-length': String(bytes.length), ...reply.headers });
  if (reply.cutAfter === undefined) {
    res.end(bytes);
    return;
  }
  res.write(bytes.subarray(0, reply.cutAfter), () => setTimeout(() => res.socket?.destroy(), 20));
}

let reply: Reply = { status: 200, body: '{}' };
const server = new FakeServer({ handle: ({ res }) => answer(res, reply), errorBody: () => ({}) });
let client: UpstreamClient;

before(async () => {
  await server.start();
  client = new UpstreamClient({ provider: 'acme', baseUrl: server.url, secrets: [KEY] });
});
after(async () => {
  await client.close();
  await server.stop();
});

async function read(given: Reply, statusError?: StatusErrorMapping): Promise<unknown> {
  const signal = new AbortController().signal;
  reply = given;
  const response = await client.send('/x', { signal });
  return readJson(client, response, signal, { statusError });
}

async function failure(given: Reply, statusError?: StatusErrorMapping): Promise<unknown> {
  return read(given, statusError).then(
    (value) => assert.fail(`expected a failure, got ${JSON.stringify(value)}`),
    (err: unknown) => err,
  );
}

describe('readJson', () => {
  test('a 2xx answer is its parsed JSON', async () => {
    assert.deepEqual(await read({ status: 200, body: '{"a":[1,2]}' }), { a: [1, 2] });
  });

  const errors: Array<{ name: string; reply: Reply; check: (err: unknown) => boolean }> = [
    { name: '200 that is not JSON → protocol error, key redacted', reply: { status: 200, body: `<html>${KEY}</html>` }, check: (e) => e instanceof UpstreamProtocolError && e.retryable && /not JSON/.test(e.message) && !e.message.includes('sk-test') },
    { name: '401 echoing the key → auth error, key redacted', reply: { status: 401, body: JSON.stringify({ error: { message: `Incorrect API key ${KEY}` } }) }, check: (e) => e instanceof ProviderAuthError && /Incorrect API key \[redacted\]/.test(e.message) && !e.message.includes('sk-test') },
    { name: '404 → model not found with the upstream message', reply: { status: 404, body: '{"error":"model \\"x\\" not found"}' }, check: (e) => e instanceof ModelNotFoundError && /model "x" not found/.test(e.message) },
    { name: '429 → rate limited with Retry-After', reply: { status: 429, body: '{}', headers: { 'retry-after': '7' } }, check: (e) => e instanceof ProviderRateLimitError && e.retryAfterSeconds === 7 },
    { name: '500 → retryable upstream error', reply: { status: 500, body: 'boom' }, check: (e) => e instanceof UpstreamHttpError && e.retryable && /acme: boom/.test(e.message) },
    { name: 'a 200 body dropped halfway → network error', reply: { status: 200, body: '{"a":"0123456789"}', cutAfter: 5 }, check: (e) => e instanceof UpstreamNetworkError && /dropped while reading/.test(e.message) },
    { name: 'an error body dropped halfway → the status still maps', reply: { status: 503, body: '{"error":"overloaded"}', cutAfter: 3 }, check: (e) => e instanceof UpstreamHttpError && e.retryable && /HTTP 503/.test(e.message) },
  ];
  for (const c of errors) {
    test(c.name, async () => {
      const err = await failure(c.reply);
      assert.ok(c.check(err), `unexpected error: ${String(err)}`);
    });
  }

  test('a status mapping of its own gets the message and hands the rest on', async () => {
    const seen: string[] = [];
    const mapping: StatusErrorMapping = (provider, status, message, retryAfter) => {
      seen.push(message);
      if (status === 400 && /does not support tools/.test(message)) return new ProviderCapabilityError(`${provider}: ${message}`);
      return errorFromUpstreamStatus(provider, status, message, retryAfter);
    };
    assert.ok((await failure({ status: 400, body: '{"error":"m does not support tools"}' }, mapping)) instanceof ProviderCapabilityError);
    assert.ok((await failure({ status: 400, body: '{"error":"bad option"}' }, mapping)) instanceof UpstreamHttpError);
    assert.deepEqual(seen, ['m does not support tools', 'bad option']);
  });
});

describe('errorFromResponse', () => {
  test('once the signal is aborted, its reason is the error', async () => {
    reply = { status: 500, body: 'boom' };
    const controller = new AbortController();
    const response = await client.send('/x', { signal: controller.signal });
    const reason = new Error('the caller left');
    controller.abort(reason);
    assert.equal(await errorFromResponse(client, response, controller.signal), reason);
  });
});

describe('discard', () => {
  test('drops a body, and a dropped connection is no error', async () => {
    reply = { status: 200, body: 'x'.repeat(1000) };
    await discard(await client.send('/x', { signal: new AbortController().signal }));
    reply = { status: 200, body: 'x'.repeat(1000), cutAfter: 10 };
    await discard(await client.send('/x', { signal: new AbortController().signal }));
  });
});
