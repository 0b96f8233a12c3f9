import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { FakeOllama } from '../helpers/fake-ollama.ts';
import { FakeOpenAI } from '../helpers/fake-openai.ts';
import { postChat } from '../helpers/sse.ts';
import { startProfileGateway, startTestGateway, upstreamEnv, type TestGateway } from '../helpers/test-gateway.ts';

// Images in requests: data: URLs are checked, http(s) URLs are fetched only when the profile allows it,
// and never from loopback, private or metadata addresses.

const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
const ollama = new FakeOllama();
const groq = new FakeOpenAI();
let imageServer: Server;
let imageUrl: string;
let imageHits = 0;
let imageConnections = 0;

const profile = (images: string) => `
routing: { unprefixedProvider: ollama }
images: ${images}
plugins:
  - { use: \${PLUGINS}/ollama, name: ollama, options: { baseUrl: "\${OLLAMA_URL}" } }
  - { use: \${PLUGINS}/openai-compat, name: groq, options: { baseUrl: "\${GROQ_BASE_URL}", apiKey: "\${GROQ_API_KEY}" } }
`;

const withImage = (url: string, model = 'ollama/gemma3:4b') => ({
  model,
  messages: [{ role: 'user', content: [{ type: 'text', text: 'what is this?' }, { type: 'image_url', image_url: { url } }] }],
});

before(async () => {
  await ollama.start();
  await groq.start();
  imageServer = createServer((req, res) => {
    imageHits += 1;
    res.writeHead(200, { 'content-type': 'image/png' });
    res.end(Buffer.from(PNG, 'base64'));
  });
  imageServer.on('connection', () => void imageConnections++);
  await new Promise<void>((resolve) => imageServer.listen(0, '127.0.0.1', resolve));
  imageUrl = `http://127.0.0.1:${(imageServer.address() as AddressInfo).port}/photo.png`;
});

after(async () => {
  await ollama.stop();
  await groq.stop();
  await new Promise((resolve) => imageServer.close(resolve));
});

describe('data: URLs', () => {
  let gateway: TestGateway;
  before(async () => void (gateway = await startTestGateway(upstreamEnv({ ollama, groq }))));
  after(async () => gateway.close());

  test('a real PNG reaches Ollama as base64 in images[]', async () => {
    const seen = ollama.requestsTo('/api/chat').length;
    const answer = await postChat(gateway.baseURL, withImage(`data:image/png;base64,${PNG}`));
    assert.equal(answer.status, 200);
    assert.deepEqual((await ollama.onlyRequestSince('/api/chat', seen)).body.messages[0].images, [PNG]);
  });

  const refused: Array<[string, string, RegExp]> = [
    ['text dressed up as a PNG', `data:image/png;base64,${Buffer.from('hello, not an image at all').toString('base64')}`, /image/i],
    ['a type that is not an image', `data:text/html;base64,${Buffer.from('<b>x</b>').toString('base64')}`, /image/i],
    ['a file: URL', 'file:///etc/passwd', /data: URL or an http\(s\) URL/],
    ['a javascript: URL', 'javascript:alert(1)', /data: URL or an http\(s\) URL/],
  ];
  for (const [what, url, message] of refused) {
    test(`${what} is a 400 naming the part`, async () => {
      const answer = await postChat(gateway.baseURL, withImage(url));
      assert.equal(answer.status, 400);
      assert.equal(answer.events[0].error.param, 'messages[0].content[1].image_url.url');
      assert.match(answer.events[0].error.message, message);
    });
  }

  test('without fetchUrls an http(s) URL is passed on untouched to a provider that fetches it itself', async () => {
    const seen = groq.requestsTo('/v1/chat').length;
    const answer = await postChat(gateway.baseURL, withImage('https://images.example.com/cat.png', 'groq/gpt-4o-mini'));
    assert.equal(answer.status, 200);
    assert.equal((await groq.onlyRequestSince('/v1/chat', seen)).body.messages[0].content[1].image_url.url, 'https://images.example.com/cat.png');
  });
});

describe('fetching http(s) image URLs (images.fetchUrls)', () => {
  test('never from loopback, localhost or the metadata address: refused before any connection', async () => {
    const gateway = await startProfileGateway(profile('{ fetchUrls: true }'), upstreamEnv({ ollama, groq }));
    try {
      const port = new URL(imageUrl).port;
      for (const url of [imageUrl, `http://localhost:${port}/photo.png`, `http://[::1]:${port}/photo.png`, 'http://169.254.169.254/latest/meta-data/', 'http://2130706433/x.png']) {
        const before = imageConnections;
        const answer = await postChat(gateway.baseURL, withImage(url));
        assert.equal(answer.status, 400, url);
        assert.equal(answer.events[0].error.param, 'messages[0].content[1].image_url.url');
        assert.equal(imageConnections, before, `no connection was made for ${url}`);
      }
    } finally {
      await gateway.close();
    }
  });

  test('where the profile allows private networks, the image is fetched and sent on as data', async () => {
    const gateway = await startProfileGateway(profile('{ fetchUrls: true, allowPrivateNetworks: true }'), upstreamEnv({ ollama, groq }));
    try {
      const hits = imageHits;
      const ollamaSeen = ollama.requestsTo('/api/chat').length;
      const answer = await postChat(gateway.baseURL, withImage(imageUrl));
      assert.equal(answer.status, 200);
      assert.equal(imageHits, hits + 1);
      assert.deepEqual((await ollama.onlyRequestSince('/api/chat', ollamaSeen)).body.messages[0].images, [PNG]);
      const groqSeen = groq.requestsTo('/v1/chat').length;
      const viaGroq = await postChat(gateway.baseURL, withImage(imageUrl, 'groq/gpt-4o-mini'));
      assert.equal(viaGroq.status, 200);
      assert.equal((await groq.onlyRequestSince('/v1/chat', groqSeen)).body.messages[0].content[1].image_url.url, `data:image/png;base64,${PNG}`);
    } finally {
      await gateway.close();
    }
  });

  test('the total image bytes of a request are bounded', async () => {
    const gateway = await startProfileGateway(profile('{ maxTotalBytes: 100 }'), upstreamEnv({ ollama, groq }));
    try {
      const image = { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } };
      const answer = await postChat(gateway.baseURL, { model: 'ollama/gemma3:4b', messages: [{ role: 'user', content: [image, image] }] });
      assert.equal(answer.status, 400);
      assert.match(answer.events[0].error.message, /add up to more than/);
    } finally {
      await gateway.close();
    }
  });
});
