import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CallerLimitError } from '../errors/caller-limit-error.ts';
import { DEFAULT_CALLER, type Caller, type CallerLimits as Limits } from './caller.ts';
import { CallerLimits } from './caller-limits.ts';

const caller = (name: string, limits: Limits): Caller => ({ ...DEFAULT_CALLER, name, cacheScope: `caller:${name}`, limits });

const refusedFor = (limit: string) => (err: unknown) => {
  assert.ok(err instanceof CallerLimitError);
  assert.equal(err.limit, limit);
  assert.equal(err.status, 429);
  assert.equal(err.code, 'rate_limited');
  assert.ok(err.headers?.['Retry-After'], 'Retry-After is set');
  return true;
};

test('requests per minute: the limit is admitted, the next is refused with the seconds until the window ends', async () => {
  const limits = new CallerLimits();
  const batch = caller('batch', { requestsPerMinute: 3 });
  for (let i = 0; i < 3; i++) (await limits.admit(batch))();
  await assert.rejects(limits.admit(batch), (err: CallerLimitError) => {
    refusedFor('requests_per_minute')(err);
    assert.match(err.message, /caller "batch" is over its limit of 3 requests per minute/);
    assert.ok(err.retryAfterSeconds! >= 1 && err.retryAfterSeconds! <= 60);
    return true;
  });
  // Another caller has a window of its own.
  (await limits.admit(caller('other', { requestsPerMinute: 3 })))();
});

test('tokens per minute: admitted while the window is below the limit, refused once it reaches it', async () => {
  const limits = new CallerLimits();
  const chat = caller('chat', { tokensPerMinute: 100 });
  (await limits.admit(chat))();
  await limits.countTokens(chat, 99);
  (await limits.admit(chat))(); // 99 < 100
  await limits.countTokens(chat, 1);
  await assert.rejects(limits.admit(chat), (err: CallerLimitError) => refusedFor('tokens_per_minute')(err) && /used 100 tokens in the last minute/.test(err.message));
});

test('concurrent: a slot per request in flight, given back once', async () => {
  const limits = new CallerLimits();
  const app = caller('app', { concurrent: 2 });
  const first = await limits.admit(app);
  const second = await limits.admit(app);
  await assert.rejects(limits.admit(app), (err: CallerLimitError) => refusedFor('concurrent')(err) && /has 2 requests in flight/.test(err.message));
  first();
  first(); // a second release gives back nothing more
  assert.equal(limits.inFlightOf('app'), 1);
  const third = await limits.admit(app);
  second();
  third();
  assert.equal(limits.inFlightOf('app'), 0);
});

test('a request refused by one limit holds no slot of another', async () => {
  const limits = new CallerLimits();
  const both = caller('both', { requestsPerMinute: 1, concurrent: 5 });
  (await limits.admit(both))();
  await assert.rejects(limits.admit(both), refusedFor('requests_per_minute'));
  assert.equal(limits.inFlightOf('both'), 0);
});

test('requests arriving together cannot both take the last slot', async () => {
  const limits = new CallerLimits();
  const one = caller('one', { concurrent: 1, requestsPerMinute: 100 });
  const results = await Promise.allSettled([limits.admit(one), limits.admit(one)]);
  assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
});

test('a caller without limits is always admitted', async () => {
  const limits = new CallerLimits();
  for (let i = 0; i < 1000; i++) (await limits.admit(DEFAULT_CALLER))();
  await limits.countTokens(DEFAULT_CALLER, 1e9);
  (await limits.admit(DEFAULT_CALLER))();
});
