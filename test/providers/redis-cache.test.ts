import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Ajv } from 'ajv';
import { Redis } from 'ioredis';
import { createLogger } from '../../core/log/logger.ts';
import type { ResponseCache } from '../../core/index.ts';
import plugin from '../../plugins/redis-cache/index.ts';
import type { RedisCacheOptions } from '../../plugins/redis-cache/options.ts';
import { testPluginContext } from '../helpers/plugin-context.ts';
import { startRedisServer, type RedisServerHandle } from '../helpers/redis-server.ts';

interface LogLine {
  level: string;
  msg: string;
  [field: string]: unknown;
}

/** A plugin context whose log lines are kept for the test, and which counts the closers registered. */
function capturingContext(name = 'redis-cache') {
  const lines: LogLine[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)) as LogLine);
      done();
    },
  });
  const base = testPluginContext(name);
  let closers = 0;
  const ctx = {
    ...base,
    log: createLogger('debug', sink).child({ plugin: name }),
    onClose(closer: () => Promise<void> | void) {
      closers += 1;
      base.onClose(closer);
    },
  };
  return { ctx, lines, closers: () => closers };
}

const warns = (lines: LogLine[]) => lines.filter((l) => l.level === 'warn');
const infos = (lines: LogLine[]) => lines.filter((l) => l.level === 'info');

// Every cache a test opens is closed at the end even when the test fails: a live reconnect loop
// would keep this file's process running and hang the suite instead of reporting the failure.
const opened: Array<{ close(): Promise<void> }> = [];
after(async () => {
  for (const ctx of opened) await ctx.close();
});

/** Creates a cache as the loader would; `ctx.close()` runs the closers it registered (its only way to close). */
async function open(options: RedisCacheOptions) {
  const captured = capturingContext();
  const cache = await plugin.create(captured.ctx, options);
  opened.push(captured.ctx);
  return { cache, ...captured };
}

/** How many clients the Redis at `url` serves, the one asking excluded. */
async function otherClients(url: string): Promise<number> {
  const probe = new Redis(url);
  try {
    const list = (await probe.call('CLIENT', 'LIST')) as string;
    return list.trim().split('\n').length - 1;
  } finally {
    probe.disconnect();
  }
}

async function waitFor(what: string, condition: () => boolean, timeoutMs: number): Promise<number> {
  const started = performance.now();
  while (!condition()) {
    if (performance.now() - started > timeoutMs) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await sleep(20);
  }
  return performance.now() - started;
}

/** How long the call took to reject (it must reject). */
async function rejectionTime(call: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await assert.rejects(call());
  return performance.now() - started;
}

describe('redis-cache against a real redis-server', () => {
  let server: RedisServerHandle;
  let raw: Redis;
  let cache: ResponseCache;
  let cacheContext: { close(): Promise<void> } | undefined;

  before(async () => {
    server = await startRedisServer();
    raw = new Redis(server.url);
    ({ cache, ctx: cacheContext } = await open({ url: server.url }));
  });
  after(async () => {
    await cacheContext?.close();
    raw?.disconnect();
    await server?.close();
  });

  test('is healthy once connected, and a set value comes back', async () => {
    assert.equal(cache.healthy(), true);
    await cache.set('round-trip', '{"answer":42}', 60);
    assert.equal(await cache.get('round-trip'), '{"answer":42}');
  });

  test('a deleted key is gone', async () => {
    await cache.set('to-delete', 'v', 60);
    await cache.delete!('to-delete');
    assert.equal(await cache.get('to-delete'), undefined);
    assert.equal(await raw.exists('mana-llm:cache:to-delete'), 0);
  });

  test('an unknown key is a miss', async () => {
    assert.equal(await cache.get('never-set'), undefined);
  });

  test('keys carry the prefix, and the value its TTL (SET … EX)', async () => {
    await cache.set('k1', 'v1', 60);
    assert.equal(await raw.get('mana-llm:cache:k1'), 'v1');
    assert.equal(await raw.get('k1'), null);
    const ttl = await raw.ttl('mana-llm:cache:k1');
    assert.ok(ttl > 55 && ttl <= 60, `ttl ${ttl}`);

    const { cache: other, ctx: otherContext } = await open({ url: server.url, keyPrefix: 'other:' });
    try {
      await other.set('k1', 'v2', 60);
      assert.equal(await raw.get('other:k1'), 'v2');
      assert.equal(await cache.get('k1'), 'v1', 'another prefix is another namespace');
      assert.equal(await other.get('k1'), 'v2');
    } finally {
      await otherContext.close();
    }
  });

  test('an entry expires after its TTL', async () => {
    await cache.set('short', 'lived', 1);
    assert.equal(await cache.get('short'), 'lived');
    await sleep(1100);
    assert.equal(await cache.get('short'), undefined);
    assert.equal(await raw.exists('mana-llm:cache:short'), 0);
  });

  test('a TTL under one second is not stored', async () => {
    await cache.set('no-ttl', 'v', 0);
    await cache.set('tiny-ttl', 'v', 0.5);
    assert.equal(await raw.exists('mana-llm:cache:no-ttl', 'mana-llm:cache:tiny-ttl'), 0);
  });

  test('a value over maxValueBytes (UTF-8 bytes) is silently not stored', async () => {
    const { cache: small, ctx: smallContext } = await open({ url: server.url, maxValueBytes: 100 });
    try {
      await small.set('fits', 'a'.repeat(100), 60);
      await small.set('too-big', 'a'.repeat(101), 60);
      // 51 characters, 102 bytes: the bound is in bytes, not characters.
      await small.set('too-big-utf8', 'é'.repeat(51), 60);
      assert.equal(await small.get('fits'), 'a'.repeat(100));
      assert.equal(await small.get('too-big'), undefined);
      assert.equal(await small.get('too-big-utf8'), undefined);
      assert.equal(await raw.exists('mana-llm:cache:too-big', 'mana-llm:cache:too-big-utf8'), 0);
    } finally {
      await smallContext.close();
    }
  });

  test('the default value bound is 1 MiB', async () => {
    await cache.set('one-mib', 'x'.repeat(1024 * 1024), 60);
    await cache.set('over-one-mib', 'x'.repeat(1024 * 1024 + 1), 60);
    assert.equal(await raw.exists('mana-llm:cache:one-mib'), 1);
    assert.equal(await raw.exists('mana-llm:cache:over-one-mib'), 0);
  });

  test('a slow Redis: get and set reject at the command timeout instead of waiting', async () => {
    // CLIENT PAUSE holds every client's commands for 500 ms: Redis is up but does not answer.
    await raw.call('CLIENT', 'PAUSE', '500', 'ALL');
    const getMs = await rejectionTime(() => cache.get('round-trip'));
    const setMs = await rejectionTime(() => cache.set('during-pause', 'v', 60));
    assert.ok(getMs >= 100 && getMs < 500, `get rejected after ${getMs.toFixed(0)} ms (commandTimeoutMs 150)`);
    assert.ok(setMs >= 100 && setMs < 500, `set rejected after ${setMs.toFixed(0)} ms (commandTimeoutMs 150)`);
    assert.equal(cache.healthy(), true, 'a slow command is not an outage');
    await sleep(550);
    assert.equal(await cache.get('round-trip'), '{"answer":42}', 'late replies do not shift the answers of later commands');
  });
});

describe('redis-cache through an outage', () => {
  let server: RedisServerHandle;
  before(async () => {
    server = await startRedisServer();
  });
  after(async () => {
    await server?.close();
  });

  test('Redis stopped and restarted: fails fast, logs once, reconnects by itself', async () => {
    // A long command timeout, so that failing at once (no offline queue) cannot pass for timing out.
    const { cache, ctx, lines, closers } = await open({ url: server.url, commandTimeoutMs: 1000 });
    assert.equal(closers(), 1, 'exactly one closer is registered');
    await cache.set('before', 'outage', 60);
    assert.equal(await cache.get('before'), 'outage');
    assert.deepEqual(warns(lines), []);

    await server.stop();
    await waitFor('healthy() turning false', () => !cache.healthy(), 1000);
    for (let i = 0; i < 5; i++) {
      const getMs = await rejectionTime(() => cache.get('before'));
      const setMs = await rejectionTime(() => cache.set('during', 'outage', 60));
      assert.ok(getMs < 250, `get rejected after ${getMs.toFixed(0)} ms while Redis is down`);
      assert.ok(setMs < 250, `set rejected after ${setMs.toFixed(0)} ms while Redis is down`);
    }
    // Long enough for several reconnect attempts (200, 400, … ms apart), each an ioredis error.
    await sleep(1000);
    await assert.rejects(cache.get('before'));
    assert.equal(cache.healthy(), false);
    assert.equal(warns(lines).length, 1, `one warn per outage, got: ${JSON.stringify(warns(lines))}`);
    assert.match(warns(lines)[0].msg, /unreachable/);
    assert.equal(warns(lines)[0].redis, server.url, 'the log names where Redis is');
    assert.deepEqual(infos(lines), []);

    await server.start();
    const reconnectMs = await waitFor('reconnection', () => cache.healthy(), 5000);
    assert.ok(reconnectMs < 3000, `reconnected after ${reconnectMs.toFixed(0)} ms`);
    assert.equal(await cache.get('before'), undefined, 'the restarted Redis is empty (no persistence)');
    await cache.set('after', 'outage', 60);
    assert.equal(await cache.get('after'), 'outage');
    // The outage is over once the connection has held for a second (flapping is still the outage).
    await waitFor('the "back" info', () => infos(lines).length > 0, 3000);
    await sleep(200);
    assert.equal(warns(lines).length, 1);
    assert.equal(infos(lines).length, 1, `one info when it is back, got: ${JSON.stringify(infos(lines))}`);
    assert.match(infos(lines)[0].msg, /back/);

    // A second outage is a second warn, and only one.
    await server.stop();
    await waitFor('healthy() turning false', () => !cache.healthy(), 1000);
    await sleep(700);
    assert.equal(warns(lines).length, 2);

    // close() resolves while Redis is down, stops the reconnect loop, and logs nothing more.
    const closing = performance.now();
    await ctx.close();
    assert.ok(performance.now() - closing < 500, 'close does not wait for Redis');
    const linesAtClose = lines.length;
    await server.start();
    // Past the next reconnect attempt the client would have made (≤ 600 ms away at this point).
    await sleep(1000);
    assert.equal(await otherClients(server.url), 0, 'a closed cache does not reconnect');
    assert.equal(cache.healthy(), false);
    assert.equal(lines.length, linesAtClose);
  });

  test('starting while Redis is down does not fail the start', async () => {
    await server.stop();
    const started = performance.now();
    const { cache, ctx, lines } = await open({ url: server.url, connectTimeoutMs: 1000 });
    assert.ok(performance.now() - started < 1000, 'create waits at most connectTimeoutMs');
    assert.equal(cache.healthy(), false);
    await assert.rejects(cache.get('x'));
    assert.equal(warns(lines).length, 1);

    await server.start();
    await waitFor('the first connection', () => cache.healthy(), 5000);
    await cache.set('x', 'y', 60);
    assert.equal(await cache.get('x'), 'y');
    await waitFor('the "back" info', () => infos(lines).length === 1, 3000);
    await ctx.close(); // the closer the plugin registered
    assert.equal(cache.healthy(), false);
  });

  test('a flapping connection (ready, then dropped at once) is one outage: one warn, no secrets', async () => {
    // Redis accepts the connection and answers the ready check, but refuses the unknown user's AUTH,
    // so ioredis drops and redials every 200 ms, forever.
    const url = server.url.replace('redis://', 'redis://ghost:hunter2@');
    const { ctx, lines } = await open({ url });
    await sleep(1500);
    assert.equal(warns(lines).length, 1, `got: ${JSON.stringify(lines)}`);
    assert.equal(infos(lines).length, 0);
    assert.match(String(warns(lines)[0].reason), /WRONGPASS/, 'the warn says why');
    assert.doesNotMatch(JSON.stringify(lines), /hunter2|ghost/, 'credentials never reach the log');
    await ctx.close();
  });

  test('close() on a healthy connection quits it', async () => {
    const { cache, ctx } = await open({ url: server.url });
    assert.equal(cache.healthy(), true);
    assert.equal(await otherClients(server.url), 1);
    await ctx.close();
    assert.equal(cache.healthy(), false);
    await assert.rejects(cache.get('x'));
    let clients = await otherClients(server.url);
    for (let i = 0; i < 20 && clients > 0; i++, await sleep(25)) clients = await otherClients(server.url);
    assert.equal(clients, 0, 'QUIT closed the connection');
  });
});

describe('redis-cache options', () => {
  test('unconfigured without a URL', () => {
    assert.equal(plugin.unconfigured!({ url: '' }), 'REDIS_URL is not set');
    assert.equal(plugin.unconfigured!({}), 'REDIS_URL is not set');
    assert.equal(plugin.unconfigured!({ url: 'redis://127.0.0.1:6379' }), undefined);
  });

  test('the schema fills defaults and refuses unknown keys and non-Redis URLs', () => {
    const validate = new Ajv({ useDefaults: true, coerceTypes: true, strict: false }).compile(plugin.optionsSchema);
    const options: Record<string, unknown> = { url: '', commandTimeoutMs: '200' };
    assert.equal(validate(options), true);
    assert.deepEqual(options, { url: '', keyPrefix: 'mana-llm:cache:', commandTimeoutMs: 200, connectTimeoutMs: 1000, maxValueBytes: 1048576 });
    assert.equal(validate({ url: 'rediss://user:pw@host:6380/2' }), true);
    assert.equal(validate({ url: 'http://host' }), false);
    assert.equal(validate({ ttl: 5 }), false);
    assert.equal(validate({ commandTimeoutMs: 0 }), false);
  });
});
