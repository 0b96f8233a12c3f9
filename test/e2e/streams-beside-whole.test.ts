import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { FakeOpenAI } from '../helpers/fake-openai.ts';
import { sleep } from '../helpers/fake-server.ts';
import { postChat } from '../helpers/sse.ts';
import { startTestGateway, upstreamEnv, type TestGateway } from '../helpers/test-gateway.ts';

// More streams open to one provider than any HTTP connection pool would hold (undici's old default here
// was 256), and a small whole request beside them: it must reach the provider and be answered while every
// stream is still open. With a silent pool cap the extra streams and the whole request would wait for a
// stream to end, and the fake would never see them.

const OPEN_STREAMS = 300;
const groq = new FakeOpenAI();
let gateway: TestGateway;

before(async () => {
  await groq.start();
  gateway = await startTestGateway({
    ...upstreamEnv({ groq }),
    // The held streams stall after their first chunk; the gateway must not end them while the test runs.
    STALL_TIMEOUT: '120',
    FIRST_TOKEN_TIMEOUT: '15',
  });
});

after(async () => {
  await gateway.close();
  await groq.stop();
});

test(`a whole request is answered while ${OPEN_STREAMS} streams are open to the same provider`, async () => {
  groq.reply({ text: 'a long answer that the held streams never finish', chunkSize: 2 });
  // Each held stream gets its first chunk and then nothing more, with its socket left open.
  groq.fault({ path: '/v1/chat/completions', stallAfterChunks: 1, times: OPEN_STREAMS });
  const seen = groq.requestsTo('/v1/chat/completions').length;
  const callers = new AbortController();
  const held = Array.from({ length: OPEN_STREAMS }, async () => {
    const response = await fetch(`${gateway.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'groq/llama-3.1-8b-instant', stream: true, messages: [{ role: 'user', content: 'hold' }] }),
      signal: callers.signal,
    });
    if (response.status !== 200) return `status ${response.status}: ${await response.text()}`;
    await response.body!.getReader().read(); // the first chunk: the stream is committed and open
    return 'open';
    // Settled here, never rejected: a stream that failed while the test waits must not be an unhandled rejection.
  }).map((opened) => opened.catch((err: Error) => (callers.signal.aborted ? 'open' : `failed: ${err.message}`)));
  try {
    const deadline = Date.now() + 20_000;
    while (groq.requestsTo('/v1/chat/completions').length - seen < OPEN_STREAMS && Date.now() < deadline) await sleep(20);
    assert.equal(groq.requestsTo('/v1/chat/completions').length - seen, OPEN_STREAMS, 'every stream reached the provider at once');
    const opened = await Promise.all(held);
    assert.deepEqual(opened.filter((o) => o !== 'open'), [], 'every stream answered its first chunk');

    groq.reply({ text: 'the small answer' });
    const whole = await postChat(gateway.baseURL, { model: 'groq/llama-3.1-8b-instant', messages: [{ role: 'user', content: 'quick' }] });
    assert.equal(whole.status, 200);
    assert.equal(whole.events[0].choices[0].message.content, 'the small answer');
    assert.equal(gateway.services.health.all().find((p) => p.name === 'groq')!.consecutiveFailures, 0);
  } finally {
    callers.abort();
    await Promise.all(held);
  }
});
