import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, test } from 'node:test';
import { FakeOpenAI } from '../helpers/fake-openai.ts';
import { sleep } from '../helpers/fake-server.ts';
import { startTestGateway, upstreamEnv, type TestGateway } from '../helpers/test-gateway.ts';

// A caller that stops reading in the middle of a long, fast stream: the gateway's socket to it fills, the
// gateway stops reading the upstream until it drains (nothing is buffered without bound, nothing is
// dropped), and the time the caller spends not reading is not the upstream's stall. The stall limit is
// one second; the caller holds still for two. Once the caller reads again the clock runs again: an
// upstream that then stops sending is cut a full stall limit after its last chunk.

const groq = new FakeOpenAI();
let gateway: TestGateway;
const TEXT = Array.from({ length: 10_000 }, (_, i) => `word${i} `).join('');

before(async () => {
  await groq.start();
  gateway = await startTestGateway({ ...upstreamEnv({ groq }), STALL_TIMEOUT: '1' });
});

after(async () => {
  await gateway.close();
  await groq.stop();
});

test('a caller that stops reading mid-stream gets every chunk in order once it reads again, and the stall clock does not count the wait', async () => {
  groq.reply({ text: TEXT, chunkSize: 16 });
  const url = new URL(`${gateway.baseURL}/chat/completions`);
  const body = JSON.stringify({ model: 'groq/llama-3.1-8b-instant', stream: true, messages: [{ role: 'user', content: 'long' }] });
  const text = await new Promise<string>((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      assert.equal(res.statusCode, 200);
      let received = '';
      res.setEncoding('utf8');
      res.once('data', (first: string) => {
        received += first;
        res.pause();
        // Hold still past the stall limit while the gateway's socket buffers fill up.
        void sleep(2_000).then(() => {
          res.on('data', (more: string) => (received += more));
          res.resume();
        });
      });
      res.on('end', () => resolve(received));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
  const events = text.split('\n\n').filter((e) => e.startsWith('data: '));
  assert.equal(events.at(-1), 'data: [DONE]', 'the stream ended cleanly, not with an error event');
  const content = events
    .slice(0, -1)
    .map((e) => JSON.parse(e.slice('data: '.length)) as { choices: { delta?: { content?: string } }[]; error?: unknown })
    .map((chunk) => {
      assert.equal(chunk.error, undefined);
      return chunk.choices[0]?.delta?.content ?? '';
    })
    .join('');
  assert.equal(content, TEXT, 'every chunk arrived, in order');
  assert.equal(gateway.services.health.all().find((p) => p.name === 'groq')!.consecutiveFailures, 0);
});

test('after the caller catches up, the stall clock runs again: an upstream that stops then is cut one stall limit after its last chunk', async () => {
  // 2,000 chunks of 4,000 characters (8 MB) before the upstream stops, far more than the sockets buffer
  // while the caller holds still, so the gateway is holding the upstream back, not waiting for it, when
  // the hold passes the stall limit.
  const size = 4_000;
  const sent = 2_000;
  groq.reply({ text: 'x'.repeat(size * (sent + 500)), chunkSize: size });
  groq.fault({ path: '/v1/chat/completions', stallAfterChunks: sent, times: 1 });
  const url = new URL(`${gateway.baseURL}/chat/completions`);
  const body = JSON.stringify({ model: 'groq/llama-3.1-8b-instant', stream: true, messages: [{ role: 'user', content: 'long' }] });
  let resumedAt = 0;
  let lastDataAt = 0;
  const text = await new Promise<string>((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      assert.equal(res.statusCode, 200);
      const parts: string[] = [];
      res.setEncoding('utf8');
      res.once('data', (first: string) => {
        parts.push(first);
        res.pause();
        void sleep(2_000).then(() => {
          resumedAt = performance.now();
          res.on('data', (more: string) => {
            if (!more.includes('"error"')) lastDataAt = performance.now();
            parts.push(more);
          });
          res.resume();
        });
      });
      res.on('end', () => resolve(parts.join('')));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
  const endedAt = performance.now();
  const events = text.split('\n\n').filter((e) => e.startsWith('data: ')).map((e) => JSON.parse(e.slice('data: '.length)) as { choices?: { delta?: { content?: string } }[]; error?: { code: string; message: string } });
  const last = events.at(-1)!;
  assert.equal(last.error?.code, 'timeout', `the stream ended with a timeout event, not ${JSON.stringify(last).slice(0, 200)}`);
  assert.match(last.error!.message, /stalled/);
  const content = events.slice(0, -1).map((e) => e.choices?.[0]?.delta?.content ?? '').join('');
  // The role chunk, then content: every chunk the upstream sent before it stopped reached the caller.
  assert.equal(content.length, size * (sent - 1), 'the hold cut nothing: every chunk the upstream sent arrived');
  assert.ok(lastDataAt > resumedAt, 'chunks still came after the caller read again');
  // Timers never fire early, so a stall counted from the resume or later ends it at least a second after it.
  assert.ok(endedAt - resumedAt >= 990, `the stall was counted from the resume (${Math.round(endedAt - resumedAt)} ms after it), not from before the hold`);
});
