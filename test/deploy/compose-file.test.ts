import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import yaml from 'js-yaml';
import { PROJECT_ROOT } from '../../core/gateway.ts';

// No container engine runs here, so docker-compose.yml is checked for the promises docs/deployment.md makes.

interface Service {
  build?: unknown;
  image?: string;
  restart?: string;
  environment?: Record<string, string>;
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
}

const compose = yaml.load(readFileSync(join(PROJECT_ROOT, 'docker-compose.yml'), 'utf8')) as { services: Record<string, Service> };

test('the gateway is built from this folder, picks its profile from the environment and uses the redis service', () => {
  const gateway = compose.services.gateway!;
  assert.equal(gateway.build, '.');
  assert.match(gateway.environment!.MANA_LLM_PROFILE!, /^\$\{MANA_LLM_PROFILE(:-[a-z-]+)?\}$/);
  assert.equal(gateway.environment!.REDIS_URL, 'redis://redis:6379');
  // The container listens on the port the HEALTHCHECKs ask; PORT only chooses the published one.
  assert.equal(gateway.environment!.PORT, '3025');
  assert.deepEqual(gateway.ports, ['${PORT:-3025}:3025']);
  assert.deepEqual(gateway.depends_on, { redis: { condition: 'service_healthy' } });
});

test('both services restart and have a healthcheck', () => {
  for (const [name, service] of Object.entries(compose.services)) {
    assert.match(service.restart ?? '', /^(always|unless-stopped)$/, `${name} restarts`);
    assert.ok(service.healthcheck?.test.length, `${name} has a healthcheck`);
  }
  assert.match(compose.services.gateway!.healthcheck!.test.join(' '), /127\.0\.0\.1:3025\/health/);
  assert.match(compose.services.redis!.image!, /^redis:\d/);
});
