import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { FakeOllama } from '../helpers/fake-ollama.ts';
import { startTestGateway, upstreamEnv } from '../helpers/test-gateway.ts';

// /health is what load balancers and people read first: from the moment the gateway answers it, it says
// what the first probes found, and names providers without a key as unconfigured rather than unhealthy.

const ollama = new FakeOllama();
before(() => ollama.start());
after(() => ollama.stop());

interface Health {
  status: string;
  providers: Record<string, string>;
}

test('started with Ollama down, the very first /health says degraded and ollama unhealthy; keyless providers are unconfigured', async () => {
  // Port 9 on loopback: nothing listens there, so the first probe is refused.
  const gateway = await startTestGateway({ OLLAMA_URL: 'http://127.0.0.1:9' });
  try {
    const health = (await (await fetch(`${gateway.url}/health`)).json()) as Health;
    assert.equal(health.status, 'degraded');
    assert.equal(health.providers.ollama, 'unhealthy');
    assert.equal(health.providers.groq, 'unconfigured');
    assert.equal(health.providers.google, 'unconfigured');
    const detail = (await (await fetch(`${gateway.url}/v1/health`)).json()) as { providers: Array<{ name: string; lastProbeAt: string | null; lastError: string | null }> };
    const probed = detail.providers.find((p) => p.name === 'ollama')!;
    assert.notEqual(probed.lastProbeAt, null, 'the first probe ran before the port opened');
    assert.equal(probed.lastError, 'connection_error');
  } finally {
    await gateway.close();
  }
});

test('started with Ollama up, the first /health says ok, with the probe that proved it', async () => {
  const gateway = await startTestGateway(upstreamEnv({ ollama }));
  try {
    const health = (await (await fetch(`${gateway.url}/health`)).json()) as Health;
    assert.deepEqual([health.status, health.providers.ollama], ['ok', 'healthy']);
    assert.ok(ollama.requestsTo('/api/tags').length >= 1, 'Ollama was probed');
  } finally {
    await gateway.close();
  }
});
