import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ResponseCache } from '../contracts/response-cache.ts';
import { ResponseStoreUnavailableError } from '../errors/response-store-unavailable-error.ts';
import { createLogger } from '../log/logger.ts';
import { ResponseStore, type StoredResponse } from './response-store.ts';

// Stored Responses-API answers: per caller, readable until deleted or expired, never failing a request
// when the backend is down, and never passing an outage off as "not found".

const log = createLogger('silent');
const record = (text: string): StoredResponse => ({ v: 1, response: { id: 'resp_1', text }, conversation: [{ role: 'user', content: text }] });

/** A backend that fails every command, as Redis does while it is down. */
const down: ResponseCache = {
  name: 'down',
  get: () => Promise.reject(new Error('connection refused')),
  set: () => Promise.reject(new Error('connection refused')),
  healthy: () => false,
};

/** A backend with get and set only (a cache plugin written before `delete`). */
function withoutDelete(): ResponseCache & { values: Map<string, string> } {
  const values = new Map<string, string>();
  return { name: 'plain', values, get: async (k) => values.get(k), set: async (k, v) => void values.set(k, v), healthy: () => true };
}

describe('ResponseStore', () => {
  test('a saved response reads back for its caller only, and is gone once deleted', async () => {
    const store = new ResponseStore(undefined, 60, log);
    await store.save('key:a', 'resp_1', record('hello'));
    assert.deepEqual(await store.load('key:a', 'resp_1'), record('hello'));
    assert.equal(await store.load('key:b', 'resp_1'), undefined, "another caller's id is not there");
    assert.equal(await store.load(undefined, 'resp_1'), undefined, 'nor for an open gateway');
    assert.equal(await store.delete('key:b', 'resp_1'), false, 'another caller cannot delete it');
    assert.equal(await store.delete('key:a', 'resp_1'), true);
    assert.equal(await store.load('key:a', 'resp_1'), undefined);
    assert.equal(await store.delete('key:a', 'resp_1'), false, 'a second delete finds nothing');
  });

  test('a backend without delete: the value is overwritten with an empty one, which reads as absent', async () => {
    const backend = withoutDelete();
    const store = new ResponseStore(backend, 60, log);
    await store.save('key:a', 'resp_1', record('hello'));
    assert.equal(await store.delete('key:a', 'resp_1'), true);
    assert.equal(await store.load('key:a', 'resp_1'), undefined);
  });

  test('RESPONSE_STORE_TTL=0 stores nothing', async () => {
    const backend = withoutDelete();
    const store = new ResponseStore(backend, 0, log);
    assert.equal(store.enabled, false);
    await store.save('key:a', 'resp_1', record('hello'));
    assert.equal(backend.values.size, 0);
    assert.equal(await store.load('key:a', 'resp_1'), undefined);
  });

  test('a backend that is down: saving does not reject, reading says unavailable rather than absent', async () => {
    const store = new ResponseStore(down, 60, log);
    await store.save('key:a', 'resp_1', record('hello'));
    await assert.rejects(store.load('key:a', 'resp_1'), ResponseStoreUnavailableError);
    await assert.rejects(store.delete('key:a', 'resp_1'), ResponseStoreUnavailableError);
  });
});
