import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { FakeOllama } from '../helpers/fake-ollama.ts';
import { FakeOpenAI } from '../helpers/fake-openai.ts';
import { postChat } from '../helpers/sse.ts';
import { aliasFile, startTestGateway, upstreamEnv, type TestGateway } from '../helpers/test-gateway.ts';

// One structured line per request, with the same id as the response header and the error body, and
// nothing of the conversation in it.

const ollama = new FakeOllama();
const groq = new FakeOpenAI();
let gateway: TestGateway;
const PROMPT = 'my secret diary entry about tuesday';
const ANSWER = 'a confidential answer about tuesday';

before(async () => {
  await ollama.start();
  await groq.start();
  ollama.reply({ text: ANSWER, usage: { prompt: 9, completion: 4 } });
  groq.reply({ text: ANSWER });
  gateway = await startTestGateway(
    { ...upstreamEnv({ ollama, groq }), ALIASES_PATH: aliasFile('aliases:\n  mana/chain:\n    description: d\n    chain: [ollama/gemma3:4b, groq/llama-3.1-8b-instant]\n') },
    { captureLog: true },
  );
});

after(async () => {
  await gateway.close();
  await ollama.stop();
  await groq.stop();
});

const requestLines = (id: string) => gateway.logLines.filter((l) => l.component === 'request' && l.requestId === id);

test("the caller's X-Request-Id is echoed and names the one log line of the request", async () => {
  const answer = await postChat(gateway.baseURL, { model: 'gemma3:4b', messages: [{ role: 'user', content: PROMPT }] }, { 'x-request-id': 'trace-123' });
  assert.equal(answer.headers.get('x-request-id'), 'trace-123');
  const lines = requestLines('trace-123');
  assert.equal(lines.length, 1, 'exactly one line');
  const line = lines[0]!;
  assert.equal(line.level, 'info');
  assert.equal(line.route, 'chat');
  assert.equal(line.requestedModel, 'gemma3:4b');
  assert.equal(line.resolved, 'ollama/gemma3:4b');
  assert.equal(line.provider, 'ollama');
  assert.equal(line.status, 200);
  assert.equal(line.promptTokens, 9);
  assert.equal(line.completionTokens, 4);
  assert.equal(typeof line.durationMs, 'number');
  assert.equal(line.clientAborted, false);
});

test('a generated id when the caller sent none (or an unusable one), in the header, the log and the error body', async () => {
  const answer = await postChat(gateway.baseURL, { model: 'mana/nope', messages: [{ role: 'user', content: 'x' }] }, { 'x-request-id': 'bad id with spaces' });
  const id = answer.headers.get('x-request-id')!;
  assert.match(id, /^[0-9a-f-]{36}$/);
  assert.equal(answer.events[0].error.request_id, id);
  const [line] = requestLines(id);
  assert.equal(line!.status, 404);
  assert.equal(line!.errorCode, 'model_not_found');
});

test('fallback attempts and time to first token are in the line of a stream', async () => {
  ollama.fault({ path: '/api/chat', status: 500, times: 1 });
  const answer = await postChat(gateway.baseURL, { model: 'mana/chain', stream: true, messages: [{ role: 'user', content: PROMPT }] });
  const [line] = requestLines(answer.headers.get('x-request-id')!);
  assert.equal(line!.resolved, 'groq/llama-3.1-8b-instant');
  assert.deepEqual(line!.attempts, [{ model: 'ollama/gemma3:4b', reason: 'upstream_5xx' }]);
  assert.equal(typeof line!.ttftMs, 'number');
  assert.equal(line!.stream, true);
});

test('a refused request gets a line too (401 through the access log, 400 through the request log)', async () => {
  const invalid = await postChat(gateway.baseURL, { model: 'gemma3:4b', messages: [] });
  const [line] = requestLines(invalid.headers.get('x-request-id')!);
  assert.equal(line!.status, 400);
  const unknown = await fetch(`${gateway.url}/nowhere`);
  const access = gateway.logLines.find((l) => l.component === 'access' && l.requestId === unknown.headers.get('x-request-id'));
  assert.equal(access?.status, 404);
});

test('no prompt and no answer ever appear in the log', () => {
  const text = JSON.stringify(gateway.logLines);
  assert.ok(!text.includes('tuesday'), 'the conversation stayed out of the log');
});

test('without API_KEYS the start warns that the gateway is open', () => {
  const warning = gateway.logLines.find((l) => l.level === 'warn' && String(l.msg).includes('API_KEYS is not set'));
  assert.ok(warning, 'the open-gateway warning was logged at start');
});
