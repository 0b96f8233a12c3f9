import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import plugin from '../../plugins/memory-cache/index.ts';
import { ByteLru, ENTRY_OVERHEAD_BYTES } from '../../core/cache/byte-lru.ts';
import { memoryCache } from '../../plugins/memory-cache/memory-cache.ts';
import { resolveOptions } from '../../plugins/memory-cache/options.ts';
import { manualClock } from '../helpers/manual-clock.ts';
import { testPluginContext } from '../helpers/plugin-context.ts';

const MiB = 1024 * 1024;
const cost = (key: string, value: string) => Buffer.byteLength(key) + Buffer.byteLength(value) + ENTRY_OVERHEAD_BYTES;

/** Recomputes what the LRU should be holding from its entries, to check its own bookkeeping. */
function recount(lru: ByteLru): number {
  let bytes = 0;
  for (const key of lru.keys()) bytes += cost(key, lru.get(key)!);
  return bytes;
}

describe('memory-cache plugin', () => {
  test('hit, miss, always healthy', async () => {
    const cache = await plugin.create(testPluginContext('memory-cache'), {});
    assert.equal(cache.name, 'memory-cache');
    assert.equal(cache.healthy(), true);
    assert.equal(await cache.get('k'), undefined);
    await cache.set('k', '{"answer":42}', 60);
    assert.equal(await cache.get('k'), '{"answer":42}');
    assert.equal(await cache.get('other'), undefined);
  });

  test('an entry expires after its TTL (in seconds)', async () => {
    const clock = manualClock();
    const cache = memoryCache('memory-cache', resolveOptions({}), clock.now);
    await cache.set('short', 'lived', 0.05);
    await cache.set('long', 'lived', 60);
    clock.advance(49);
    assert.equal(await cache.get('short'), 'lived');
    clock.advance(1);
    assert.equal(await cache.get('short'), undefined);
    assert.equal(await cache.get('long'), 'lived');
    clock.advance(60_000 - 50);
    assert.equal(await cache.get('long'), undefined);
  });

  test('the default entry bound is 1 MiB', async () => {
    const cache = await plugin.create(testPluginContext('memory-cache'), {});
    const fits = 'x'.repeat(MiB - cost('a', ''));
    await cache.set('a', fits, 60);
    await cache.set('b', fits + 'x', 60);
    assert.equal(await cache.get('a'), fits);
    assert.equal(await cache.get('b'), undefined);
  });

  test('the byte bound holds for 50,000 entries of 1 KB in a 1 MiB cache, in memory too', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    const cache = await plugin.create(testPluginContext('memory-cache'), { maxBytes: MiB });
    for (let i = 0; i < 50_000; i++) {
      // Distinct strings, so V8 cannot share one value among all entries.
      await cache.set(`key-${i}`, String(i).padEnd(1024, '.'), 60);
    }
    gc();
    const grownMiB = (process.memoryUsage().heapUsed - heapBefore) / MiB;
    // Unbounded, 50,000 values of 1 KB would hold over 50 MiB.
    assert.ok(grownMiB < 10, `heap grew by ${grownMiB.toFixed(1)} MiB`);
    assert.equal(await cache.get('key-0'), undefined, 'the oldest were evicted');
    assert.equal(await cache.get('key-49999'), '49999'.padEnd(1024, '.'));
  });
});

describe('ByteLru', () => {
  test('evicts the least recently used first; a read counts as a use', () => {
    const each = cost('a', 'x'.repeat(100));
    const lru = new ByteLru(3 * each, 1000);
    lru.set('a', 'x'.repeat(100), 60_000);
    lru.set('b', 'x'.repeat(100), 60_000);
    lru.set('c', 'x'.repeat(100), 60_000);
    assert.equal(lru.get('a'), 'x'.repeat(100));
    lru.set('d', 'x'.repeat(100), 60_000);
    assert.deepEqual(lru.keys(), ['c', 'a', 'd'], 'b was the least recently used');
    assert.equal(lru.get('b'), undefined);
    assert.equal(lru.bytes, 3 * each);
  });

  test('a large entry evicts as many old ones as it needs', () => {
    const lru = new ByteLru(10_000, 10_000);
    for (const key of ['a', 'b', 'c', 'd']) lru.set(key, 'x'.repeat(2000), 60_000);
    lru.set('big', 'x'.repeat(5000), 60_000);
    assert.deepEqual(lru.keys(), ['c', 'd', 'big']);
    assert.ok(lru.bytes <= 10_000, `the cache stays within 10,000 bytes (${lru.bytes} bytes)`);
  });

  test('the byte bound holds after every insert, and the tally matches the entries', () => {
    const maxBytes = 64 * 1024;
    const lru = new ByteLru(maxBytes, 16 * 1024);
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 5000; i++) {
      const key = `k${Math.floor(random() * 400)}`;
      // Mixed sizes, multi-byte characters, some over the entry bound; a quarter are reads.
      if (random() < 0.25) lru.get(key);
      else lru.set(key, 'ü'.repeat(Math.floor(random() * 10_000)), 60_000);
      assert.ok(lru.bytes <= maxBytes, `after operation ${i}: ${lru.bytes} > ${maxBytes}`);
    }
    assert.equal(lru.bytes, recount(lru));
    assert.ok(lru.size > 5, 'the cache is in use');
  });

  test('50,000 entries of 1 KB into 1 MiB: full, and never over', () => {
    const lru = new ByteLru(MiB, MiB);
    for (let i = 0; i < 50_000; i++) lru.set(`key-${i}`, 'v'.repeat(1024), 60_000);
    const each = cost('key-49999', 'v'.repeat(1024));
    assert.ok(lru.bytes <= MiB, `the cache is never over 1 MiB (${lru.bytes} bytes)`);
    assert.ok(lru.bytes > MiB - each, `the cache is full, not over-evicted (${lru.bytes} bytes)`);
    assert.equal(lru.size, Math.floor(MiB / each));
    assert.equal(lru.keys()[lru.size - 1], 'key-49999');
  });

  test('an entry over maxEntryBytes (or over the whole bound) is not stored', () => {
    const lru = new ByteLru(5000, 1000);
    const fits = 'x'.repeat(1000 - cost('k', ''));
    lru.set('k', fits, 60_000);
    lru.set('big', fits + 'xxx', 60_000);
    lru.set('big-utf8', 'é'.repeat(fits.length / 2 + 1), 60_000);
    assert.equal(lru.get('k'), fits);
    assert.equal(lru.get('big'), undefined);
    assert.equal(lru.get('big-utf8'), undefined);
    assert.equal(lru.bytes, 1000);

    const tiny = new ByteLru(500, 1000);
    tiny.set('k', 'x'.repeat(400), 60_000);
    assert.equal(tiny.size, 0, 'an entry larger than the whole cache would evict everything and still not fit');
  });

  test('updating a key replaces its size, and makes it the most recent', () => {
    const lru = new ByteLru(10_000, 10_000);
    lru.set('k', 'x'.repeat(3000), 60_000);
    lru.set('other', 'y', 60_000);
    lru.set('k', 'x'.repeat(10), 60_000);
    assert.equal(lru.size, 2);
    assert.equal(lru.bytes, cost('k', 'x'.repeat(10)) + cost('other', 'y'));
    assert.deepEqual(lru.keys(), ['other', 'k']);
    assert.equal(lru.get('k'), 'x'.repeat(10));
  });

  test('an expired entry is a miss and is removed', () => {
    const clock = manualClock();
    const lru = new ByteLru(10_000, 10_000, clock.now);
    lru.set('short', 'v', 1000);
    lru.set('long', 'v', 5000);
    clock.advance(999);
    assert.equal(lru.get('short'), 'v');
    clock.advance(1);
    assert.equal(lru.get('short'), undefined);
    assert.deepEqual(lru.keys(), ['long']);
    assert.equal(lru.bytes, cost('long', 'v'));
    assert.equal(lru.get('long'), 'v');
  });

  test('a TTL of zero or less is not stored', () => {
    const lru = new ByteLru(10_000, 10_000);
    lru.set('zero', 'v', 0);
    lru.set('negative', 'v', -5);
    assert.equal(lru.size, 0);
    assert.equal(lru.bytes, 0);
  });
});
