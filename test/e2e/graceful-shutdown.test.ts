import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { FakeOllama } from '../helpers/fake-ollama.ts';
import { parseSse } from '../helpers/sse.ts';
import { spawnGateway, upstreamEnv } from '../helpers/test-gateway.ts';

// A deploy sends SIGTERM: answers in flight are not lost. Streams that finish within SHUTDOWN_TIMEOUT
// complete normally; what is still running after it ends with an error event, never a silent cut.

const ollama = new FakeOllama();

before(async () => {
  await ollama.start();
});

after(async () => {
  await ollama.stop();
});

async function streamDuringShutdown(env: Record<string, string>, chunkDelayMs: number) {
  const gateway = await spawnGateway({ ...upstreamEnv({ ollama }), ...env });
  ollama.reply({ text: 'abcdefghijklmnopqrst', chunkSize: 2 });
  ollama.fault({ path: '/api/chat', chunkDelayMs, times: 1 });
  const response = await fetch(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gemma3:4b', stream: true, messages: [{ role: 'user', content: 'x' }] }),
  });
  assert.equal(response.status, 200);
  const reading = response.text();
  gateway.child.kill('SIGTERM');
  const exit = new Promise<number | null>((resolve) => gateway.child.once('exit', (code) => resolve(code)));
  const transcript = parseSse(response.status, response.headers, await reading);
  // Nothing new is accepted once the shutdown has begun.
  await assert.rejects(fetch(`${gateway.url}/health`, { signal: AbortSignal.timeout(2000) }));
  return { transcript, code: await exit };
}

test('SIGTERM during a stream: the stream completes, then the process exits 0', async () => {
  const { transcript, code } = await streamDuringShutdown({ SHUTDOWN_TIMEOUT: '10' }, 60);
  assert.equal(transcript.text, 'abcdefghijklmnopqrst');
  assert.equal(transcript.done, true);
  assert.equal(code, 0);
});

test('a stream still running at the shutdown deadline ends with an error event, then the process exits 0', async () => {
  const { transcript, code } = await streamDuringShutdown({ SHUTDOWN_TIMEOUT: '0.4' }, 150);
  assert.equal(transcript.done, false);
  const last = transcript.events.at(-1);
  assert.match(last.error.message, /shutting down/);
  assert.ok(transcript.text.length > 0 && transcript.text.length < 20, `part of the text arrived, not all (got ${JSON.stringify(transcript.text)})`);
  assert.equal(code, 0);
});
