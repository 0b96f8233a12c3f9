import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GatewayTimeoutError } from '../errors/gateway-timeout-error.ts';
import { ClientClosedError } from '../errors/client-closed-error.ts';
import { RequestScope } from './request-scope.ts';

function scope(timeoutMs = 60_000): RequestScope {
  return new RequestScope('req-1', timeoutMs);
}

describe('RequestScope', () => {
  test('listeners hear the first abort once, with its reason; later aborts change nothing', () => {
    const s = scope();
    const heard: Error[] = [];
    s.onAbort((reason) => heard.push(reason));
    s.onAbort((reason) => heard.push(reason));
    const first = new ClientClosedError();
    s.abort(first);
    s.abort(new Error('second'));
    s.finish();
    assert.deepEqual(heard, [first, first]);
    assert.equal(s.reason, first);
    assert.equal(s.aborted, true);
    assert.equal(s.clientClosed, true);
  });

  test('an unlinked listener is not called', () => {
    const s = scope();
    let called = false;
    const unlink = s.onAbort(() => (called = true));
    unlink();
    s.clientClose();
    s.finish();
    assert.equal(called, false);
  });

  test('a listener added after the abort is called at once', () => {
    const s = scope();
    s.clientClose();
    let reason: Error | undefined;
    s.onAbort((r) => (reason = r));
    s.finish();
    assert.ok(reason instanceof ClientClosedError, 'the late listener got the abort reason');
  });

  test('its AbortSignal follows it whether asked for before or after the abort', () => {
    const before = scope();
    const early = before.signal;
    assert.equal(early.aborted, false);
    before.clientClose();
    assert.equal(early.aborted, true);
    assert.ok(early.reason instanceof ClientClosedError, 'the early signal carries the reason');
    before.finish();

    const after = scope();
    after.clientClose();
    assert.equal(after.signal.aborted, true);
    assert.equal(after.signal, after.signal, 'one signal per scope');
    after.finish();
  });

  test('the deadline aborts with a gateway timeout that carries the attempts so far', async () => {
    const s = scope(20);
    s.attempts.push({ model: 'a/b', reason: 'timeout', message: 'slow' });
    // The deadline timer is unref'd (it must not keep a stopping gateway alive); this one keeps the test up.
    const keepAlive = setTimeout(() => undefined, 5_000);
    const reason = await new Promise<Error>((resolve) => s.onAbort(resolve));
    clearTimeout(keepAlive);
    assert.ok(reason instanceof GatewayTimeoutError, `a GatewayTimeoutError (got ${reason.constructor.name})`);
    assert.equal((reason as GatewayTimeoutError).details?.attempts, s.attempts);
    assert.equal(s.clientClosed, false);
    s.finish();
  });

  test('finish() stops the deadline', async () => {
    const s = scope(20);
    s.finish();
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(s.aborted, false);
  });
});
