import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestGateway, type TestGateway } from '../helpers/test-gateway.ts';

// The route is judged before the body: a wrong method is a 405 and an unknown path a 404 whatever the
// body says, and the gateway does not read a body no route will take.

let gateway: TestGateway;
before(async () => {
  gateway = await startTestGateway();
});
after(() => gateway.close());

const send = (method: string, path: string, body: string, type: string) => fetch(`${gateway.url}${path}`, { method, headers: { 'content-type': type }, body });

const cases: Array<[string, string, string, string, string, number, string | null]> = [
  ['a text body to a GET route', 'POST', '/v1/models', 'hello', 'text/plain', 405, 'GET, HEAD'],
  ['malformed JSON to a GET route', 'POST', '/v1/models', '{"model":', 'application/json', 405, 'GET, HEAD'],
  ['a body far over the limit to a GET route', 'POST', '/v1/aliases', 'x'.repeat(64 * 1024), 'text/plain', 405, 'GET, HEAD'],
  ['a JSON body with another method on a POST route', 'PUT', '/v1/chat/completions', '{"messages":[]}', 'application/json', 405, 'POST'],
  ['a text body to an unknown path', 'POST', '/v1/nowhere', 'hello', 'text/plain', 404, null],
];
for (const [what, method, path, body, type, status, allow] of cases) {
  test(`${what}: ${status}`, async () => {
    const response = await send(method, path, body, type);
    const envelope = (await response.json()) as { error: { code: string; message: string } };
    assert.equal(response.status, status, envelope.error.message);
    assert.equal(envelope.error.code, 'invalid_request');
    assert.equal(response.headers.get('allow'), allow);
  });
}

test('a route that takes a body still refuses a text one with a 400 that says what to send', async () => {
  const response = await send('POST', '/v1/chat/completions', 'hello', 'text/plain');
  assert.equal(response.status, 400);
  assert.match(((await response.json()) as { error: { message: string } }).error.message, /Content-Type: application\/json/);
});
