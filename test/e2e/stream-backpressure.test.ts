import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, test } from 'node:test';
import { FakeOpenAI } from '../helpers/fake-openai.ts';
import { sleep } from '../helpers/fake-server.ts';
import { startTestGateway, upstreamEnv, type TestGateway } from '../helpers/test-gateway.ts';

// A caller that stops reading in the middle of a long, fast stream: the gateway's socket to it fills, the
// gateway stops reading the upstream until it drains (nothing is buffered without bound, nothing is
// dropped), and the time the caller spends not reading is not the upstream's stall. The stall limit is
// one second; the caller holds still for two.

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
