import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CircuitBreaker } from './circuit-breaker.ts';

function breaker(threshold = 2, backoffMs = 60_000) {
  const clock = { now: 1_000_000 };
  const circuit = new CircuitBreaker({ threshold, backoffMs, now: () => clock.now });
  return { circuit, clock };
}

describe('circuit breaker', () => {
  test('stays closed below the threshold and a success resets the count', () => {
    const { circuit } = breaker(2);
    circuit.fail('timeout');
    assert.equal(circuit.admit(), 'pass');
    circuit.succeed();
    circuit.fail('timeout');
    assert.equal(circuit.admit(), 'pass');
    assert.equal(circuit.snapshot().consecutiveFailures, 1);
    assert.equal(circuit.snapshot().healthy, true);
  });

  test('opens at the threshold and rejects until the backoff has passed', () => {
    const { circuit, clock } = breaker(2, 60_000);
    circuit.fail('connection_error');
    circuit.fail('connection_error');
    const snap = circuit.snapshot();
    assert.equal(snap.state, 'open');
    assert.equal(snap.healthy, false);
    assert.equal(snap.unhealthyUntil, clock.now + 60_000);
    assert.equal(snap.lastError, 'connection_error');
    assert.equal(circuit.admit(), 'reject');
    clock.now += 59_999;
    assert.equal(circuit.admit(), 'reject');
    clock.now += 1;
    assert.equal(circuit.admit(), 'trial');
  });

  test('half-open admits one trial at a time, not a stampede', () => {
    const { circuit, clock } = breaker(1, 1000);
    circuit.fail('upstream_5xx');
    clock.now += 1000;
    assert.equal(circuit.admit(), 'trial');
    assert.equal(circuit.snapshot().state, 'half_open');
    for (let i = 0; i < 10; i++) assert.equal(circuit.admit(), 'reject');
  });

  test('a successful trial closes the circuit', () => {
    const { circuit, clock } = breaker(1, 1000);
    circuit.fail('timeout');
    clock.now += 1000;
    circuit.admit();
    circuit.succeed();
    assert.equal(circuit.snapshot().state, 'closed');
    assert.equal(circuit.admit(), 'pass');
    assert.equal(circuit.snapshot().unhealthyUntil, null);
  });

  test('a failed trial opens it again for a full backoff', () => {
    const { circuit, clock } = breaker(3, 1000);
    circuit.fail('timeout');
    circuit.fail('timeout');
    circuit.fail('timeout');
    clock.now += 1000;
    assert.equal(circuit.admit(), 'trial');
    circuit.fail('timeout');
    assert.equal(circuit.snapshot().state, 'open');
    assert.equal(circuit.admit(), 'reject');
    clock.now += 999;
    assert.equal(circuit.admit(), 'reject');
    clock.now += 1;
    assert.equal(circuit.admit(), 'trial');
  });

  test('a released trial lets the next caller try', () => {
    const { circuit, clock } = breaker(1, 1000);
    circuit.fail('timeout');
    clock.now += 1000;
    assert.equal(circuit.admit(), 'trial');
    circuit.release();
    assert.equal(circuit.admit(), 'trial');
  });

  test('a 429 with Retry-After keeps the provider out that long even below the threshold', () => {
    const { circuit, clock } = breaker(5, 60_000);
    circuit.fail('rate_limited', 7000);
    assert.equal(circuit.snapshot().healthy, false);
    assert.equal(circuit.snapshot().unhealthyUntil, clock.now + 7000);
    assert.equal(circuit.admit(), 'reject');
    clock.now += 7000;
    assert.equal(circuit.admit(), 'trial');
  });

  test('a passing probe closes an open circuit but not a Retry-After window', () => {
    const { circuit, clock } = breaker(2, 60_000);
    circuit.fail('timeout');
    circuit.fail('timeout');
    assert.equal(circuit.snapshot().state, 'open');
    circuit.succeed();
    assert.equal(circuit.snapshot().state, 'closed');
    circuit.fail('rate_limited', 30_000);
    circuit.succeed();
    assert.equal(circuit.admit(), 'reject');
    clock.now += 30_000;
    assert.equal(circuit.admit(), 'trial');
  });

  test('Retry-After is capped', () => {
    const clock = { now: 0 };
    const circuit = new CircuitBreaker({ threshold: 2, backoffMs: 1000, maxRetryAfterMs: 5000, now: () => clock.now });
    circuit.fail('rate_limited', 86_400_000);
    assert.equal(circuit.snapshot().unhealthyUntil, 5000);
  });
});
