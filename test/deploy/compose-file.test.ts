import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import yaml from 'js-yaml';
import { readSettings } from '../../core/config/settings.ts';
import { PROJECT_ROOT } from '../../core/gateway.ts';
import { all, bytes, one, parseNginxConf, seconds, type Directive } from './nginx-conf.ts';

// No container engine runs here, so docker-compose.yml and the nginx conf it mounts are checked for the
// promises docs/deployment.md makes.

interface Service {
  build?: unknown;
  image?: string;
  restart?: string;
  deploy?: { replicas?: number };
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  command?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  stop_grace_period?: string;
}

const compose = yaml.load(readFileSync(join(PROJECT_ROOT, 'docker-compose.yml'), 'utf8')) as { services: Record<string, Service> };
const { gateway, nginx, redis } = compose.services;
const defaults = readSettings({});

/** A compose duration (`40s`, `1m30s`) in seconds. */
function composeSeconds(value: string): number {
  const parts = [...value.matchAll(/(\d+)(h|m|s)/g)];
  assert.equal(parts.map((p) => p[0]).join(''), value, `"${value}" is a duration`);
  return parts.reduce((sum, [, n, unit]) => sum + Number(n) * { h: 3600, m: 60, s: 1 }[unit as 'h' | 'm' | 's'], 0);
}

test('three gateway replicas are built from this folder, pick their profile from the environment and use the redis service', () => {
  assert.equal(gateway!.build, '.');
  assert.equal(gateway!.deploy?.replicas, 3);
  assert.match(gateway!.environment!.MANA_LLM_PROFILE!, /^\$\{MANA_LLM_PROFILE(:-[a-z-]+)?\}$/);
  assert.equal(gateway!.environment!.REDIS_URL, 'redis://redis:6379');
  // The container listens on the port the HEALTHCHECKs and nginx ask; PORT only chooses nginx's published one.
  assert.equal(gateway!.environment!.PORT, '3025');
  // Replicas cannot publish one port: callers go through nginx.
  assert.equal(gateway!.ports, undefined);
  // Each replica names itself (the default); one REPLICA_ID for all of them would make them indistinguishable.
  assert.ok(!gateway!.environment!.REPLICA_ID, 'REPLICA_ID is left to each replica');
  assert.deepEqual(gateway!.depends_on, { redis: { condition: 'service_healthy' } });
  // docker stop waits for the drain (SHUTDOWN_TIMEOUT) instead of killing after its default 10 s.
  assert.ok(composeSeconds(gateway!.stop_grace_period ?? '10s') > defaults.shutdownTimeoutMs / 1000);
});

test('nginx publishes the port, mounts the conf and waits for a healthy gateway', () => {
  assert.deepEqual(nginx!.ports, ['${PORT:-3025}:3025']);
  assert.ok(nginx!.volumes?.includes('./deploy/nginx/nginx.conf:/etc/nginx/nginx.conf:ro'));
  assert.deepEqual(nginx!.depends_on, { gateway: { condition: 'service_healthy' } });
  // `resolve` in an upstream block needs nginx 1.27.3 or newer.
  const version = /^nginx:(\d+)\.(\d+)(?:\.(\d+))?/.exec(nginx!.image ?? '');
  assert.ok(version, 'nginx is pinned to a version');
  const [major, minor, patch] = version.slice(1).map((n) => Number(n ?? 0));
  assert.ok(major! * 1e6 + minor! * 1e3 + patch! >= 1_027_003, `nginx ${nginx!.image} is 1.27.3 or newer`);
  assert.match(nginx!.healthcheck!.test.join(' '), /127\.0\.0\.1:3025\/health/);
});

test('every service restarts and has a healthcheck', () => {
  for (const [name, service] of Object.entries(compose.services)) {
    assert.match(service.restart ?? '', /^(always|unless-stopped)$/, `${name} restarts`);
    assert.ok(service.healthcheck?.test.length, `${name} has a healthcheck`);
  }
  assert.match(gateway!.healthcheck!.test.join(' '), /127\.0\.0\.1:3025\/health/);
  assert.match(redis!.image!, /^redis:\d/);
});

test('redis keeps nothing on disk and never evicts a key that has no TTL', () => {
  const command = redis!.command!;
  const flag = (name: string) => {
    const at = command.indexOf(name);
    assert.notEqual(at, -1, `redis is started with ${name}`);
    return command[at + 1];
  };
  assert.equal(flag('--save'), '');
  assert.equal(flag('--appendonly'), 'no');
  assert.match(flag('--maxmemory') ?? '', /^\d+(mb|gb)$/);
  // Shared state (leases, circuits, limits, usage) lives next to the cache: allkeys-* would evict it
  // as readily as a cached answer.
  const policy = flag('--maxmemory-policy') ?? '';
  assert.doesNotMatch(policy, /^allkeys-/);
  assert.equal(policy, 'volatile-lru');
});

const conf = parseNginxConf(readFileSync(join(PROJECT_ROOT, 'deploy/nginx/nginx.conf'), 'utf8'));
const http = one(conf, 'http').block!;
const server = one(http, 'server').block!;
const root = one(server, 'location', '/').block!;

/** The value of `name` in effect in `location`: its own, else the server's, else http's (nginx inheritance). */
function inEffect(location: Directive[], name: string): string[] | undefined {
  for (const level of [location, server, http]) {
    const found = all(level, name);
    if (found.length > 0) return found[0]!.args;
  }
  return undefined;
}

test('nginx balances over the gateway service, re-resolving it through Docker DNS, with keep-alive', () => {
  assert.deepEqual(one(http, 'resolver').args[0], '127.0.0.11');
  const upstream = one(http, 'upstream', 'mana_llm').block!;
  assert.deepEqual(one(upstream, 'server').args, ['gateway:3025', 'resolve']);
  assert.ok(one(upstream, 'zone'), 'resolve needs a shared zone');
  assert.ok(Number(one(upstream, 'keepalive').args[0]) > 0);
  // Idle connections close before the gateway's keep-alive timeout (65 s), never after.
  assert.ok(seconds(one(upstream, 'keepalive_timeout').args[0]!) < 65);
  assert.deepEqual(one(server, 'listen').args, ['3025']);
  assert.deepEqual(one(root, 'proxy_pass').args, ['http://mana_llm']);
  assert.deepEqual(inEffect(root, 'proxy_http_version'), ['1.1']);
  // A location with a proxy_set_header of its own would inherit none of the server's.
  for (const location of all(server, 'location')) assert.equal(all(location.block!, 'proxy_set_header').length, 0, `location ${location.args.join(' ')} sets no header of its own`);
  assert.ok(all(server, 'proxy_set_header').some((d) => d.args[0] === 'Connection' && d.args[1] === ''), 'Connection "" for keep-alive upstream');
  assert.ok(all(server, 'proxy_set_header').some((d) => d.args[0] === 'X-Request-Id'), 'X-Request-Id is passed on');
  // Authorization is passed on because nothing drops the caller's headers.
  assert.equal(inEffect(root, 'proxy_pass_request_headers')?.[0] ?? 'on', 'on');
  assert.ok(!all(server, 'proxy_set_header').some((d) => /^(authorization|x-api-key)$/i.test(d.args[0]!)), 'the caller\'s key is not rewritten');
});

test('nginx streams unbuffered, waits longer than REQUEST_TIMEOUT and takes bodies of MAX_BODY_SIZE', () => {
  assert.deepEqual(inEffect(root, 'proxy_buffering'), ['off']);
  assert.deepEqual(inEffect(root, 'proxy_cache'), ['off']);
  assert.ok(seconds(inEffect(root, 'proxy_read_timeout')![0]!) >= defaults.timeouts.requestMs / 1000, 'proxy_read_timeout ≥ REQUEST_TIMEOUT');
  assert.ok(seconds(inEffect(root, 'proxy_send_timeout')![0]!) >= defaults.timeouts.requestMs / 1000, 'proxy_send_timeout ≥ REQUEST_TIMEOUT');
  assert.ok(bytes(inEffect(root, 'client_max_body_size')![0]!) >= defaults.maxBodyBytes, 'client_max_body_size ≥ MAX_BODY_SIZE');
});

test('nginx moves on to another replica only when the connection fails, never for a request it sent', () => {
  const next = inEffect(root, 'proxy_next_upstream');
  assert.ok(next, 'proxy_next_upstream is set');
  assert.deepEqual([...next].sort(), ['error', 'timeout']);
  assert.ok(!next.includes('non_idempotent'), 'a POST that reached a replica is not sent again');
  assert.ok(seconds(inEffect(root, 'proxy_connect_timeout')![0]!) <= 10, 'a dead replica is given up on quickly');
});

test('nginx passes /health through and keeps /metrics for the replicas themselves', () => {
  const health = one(server, 'location', '=', '/health').block!;
  assert.deepEqual(one(health, 'proxy_pass').args, ['http://mana_llm']);
  const metrics = one(server, 'location', '=', '/metrics').block!;
  assert.equal(one(metrics, 'return').args[0], '404');
});
