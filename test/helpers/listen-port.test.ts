import assert from 'node:assert/strict';
import { createConnection, createServer, type AddressInfo, type Server } from 'node:net';
import { test } from 'node:test';
import { candidatePort, ephemeralRange, PortInUseError, startOnFreePort } from './listen-port.ts';
import { startRedisServer } from './redis-server.ts';

// The port helper's promise: a port someone else took between the pick and the bind costs a retry, not
// a failed test.

test('a candidate lies outside the ephemeral range the kernel hands out for port 0', () => {
  const [low, high] = ephemeralRange();
  for (let i = 0; i < 1000; i++) {
    const port = candidatePort();
    assert.ok(port >= 1024 && port <= 65_535 && (port < low || port > high), `${port} outside ${low}-${high}`);
  }
});

test('a port in use is retried with another; any other error is not', async () => {
  const seen: number[] = [];
  const port = await startOnFreePort(async (candidate) => {
    seen.push(candidate);
    if (seen.length < 3) throw new PortInUseError(candidate);
    return candidate;
  });
  assert.equal(seen.length, 3);
  assert.equal(new Set(seen).size, 3, `three different candidates (${seen.join(', ')})`);
  assert.equal(port, seen[2]);

  let calls = 0;
  const other = new Error('bad config');
  await assert.rejects(
    startOnFreePort(async () => {
      calls++;
      throw other;
    }),
    (err) => err === other,
  );
  assert.equal(calls, 1);
});

test('it gives up after eight ports in use, with the last refusal', async () => {
  let calls = 0;
  await assert.rejects(
    startOnFreePort(async (candidate) => {
      calls++;
      throw new PortInUseError(candidate);
    }),
    PortInUseError,
  );
  assert.equal(calls, 8);
});

test('redis-server on a port another process holds moves to another port and serves there', async () => {
  const holder: Server = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  const taken = (holder.address() as AddressInfo).port;
  const redis = await startRedisServer([taken]);
  try {
    assert.notEqual(redis.port, taken);
    assert.equal(await ping(redis.port), '+PONG');
  } finally {
    await redis.close();
    await new Promise((resolve) => holder.close(resolve));
  }
});

/** The first reply line of a raw RESP PING (no client library involved). */
function ping(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    socket.once('error', reject);
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk;
      if (reply.includes('\r\n')) {
        socket.destroy();
        resolve(reply.split('\r\n')[0]!);
      }
    });
  });
}
