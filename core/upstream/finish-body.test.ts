import assert from 'node:assert/strict';
import { test } from 'node:test';
import { finishAfterEndMarker } from './finish-body.ts';

test('a body that ends after the marker is read to its end, not cut', async () => {
  let destroyed = false;
  await finishAfterEndMarker(Promise.resolve({ done: true }), { destroy: () => (destroyed = true) });
  assert.equal(destroyed, false);
});

test('a body that stays open is cut after the grace period', async () => {
  let destroyed = false;
  const started = Date.now();
  await finishAfterEndMarker(new Promise(() => undefined), { destroy: () => (destroyed = true) }, 30);
  assert.equal(destroyed, true);
  assert.ok(Date.now() - started < 500, 'did not wait long');
});

test('a read that fails after the marker is no error', async () => {
  let destroyed = false;
  await finishAfterEndMarker(Promise.reject(new Error('reset')), { destroy: () => (destroyed = true) });
  assert.equal(destroyed, false);
});
