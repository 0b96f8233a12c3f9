import assert from 'node:assert/strict';
import { lookup } from 'node:dns/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { after, before, test } from 'node:test';
import { classifyAddress } from '../../core/images/ip-policy.ts';
import { FakeOllama } from '../helpers/fake-ollama.ts';
import { postChat } from '../helpers/sse.ts';
import { spawnGateway, upstreamEnv, type GatewayProcess } from '../helpers/test-gateway.ts';

// SSRF against a real gateway process that fetches image URLs (IMAGE_FETCH_URLS) and trusts exactly one
// host (IMAGE_ALLOW_HOSTS=127.0.0.1:<port of A>): A is reachable; a redirect from A to another loopback
// port, localhost, this machine's own hostname (a private or loopback address) and the metadata address
// are refused — and the refused servers never see a connection.

const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
const ollama = new FakeOllama();
let gateway: GatewayProcess;
let a: Server;
let b: Server;
let portA = 0;
let portB = 0;
let connectionsToB = 0;

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

before(async () => {
  await ollama.start();
  b = createServer((_req, res) => res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.from(PNG, 'base64')));
  b.on('connection', () => void connectionsToB++);
  portB = await listen(b);
  a = createServer((req, res) => {
    if (req.url === '/redirect') res.writeHead(302, { location: `http://127.0.0.1:${portB}/photo.png` }).end();
    else res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.from(PNG, 'base64'));
  });
  portA = await listen(a);
  gateway = await spawnGateway({ ...upstreamEnv({ ollama }), IMAGE_FETCH_URLS: 'true', IMAGE_ALLOW_HOSTS: `127.0.0.1:${portA}` });
});

after(async () => {
  assert.equal(await gateway.stop(), 0);
  await ollama.stop();
  await new Promise((resolve) => a.close(resolve));
  await new Promise((resolve) => b.close(resolve));
});

const ask = (url: string) =>
  postChat(`${gateway.url}/v1`, { model: 'ollama/gemma3:4b', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url } }] }] });

test('the trusted host serves the image, which reaches Ollama as data', async () => {
  const seen = ollama.requestsTo('/api/chat').length;
  const answer = await ask(`http://127.0.0.1:${portA}/photo.png`);
  assert.equal(answer.status, 200);
  assert.deepEqual((await ollama.onlyRequestSince('/api/chat', seen)).body.messages[0].images, [PNG]);
});

test('refused without a connection: a redirect to 127.0.0.1, localhost, our own hostname, the metadata address', async () => {
  const ownAddress = (await lookup(hostname()).catch(() => undefined))?.address;
  const urls = [
    `http://127.0.0.1:${portA}/redirect`,
    `http://localhost:${portB}/photo.png`,
    `http://127.0.0.1:${portB}/photo.png`,
    'http://169.254.169.254/latest/meta-data/',
  ];
  // This machine's own name resolves to one of its private (or loopback) addresses.
  if (ownAddress && classifyAddress(ownAddress) !== 'public') urls.push(`http://${hostname()}:${portB}/photo.png`);
  for (const url of urls) {
    const answer = await ask(url);
    assert.equal(answer.status, 400, url);
    assert.equal(answer.events[0].error.param, 'messages[0].content[0].image_url.url', url);
  }
  assert.equal(connectionsToB, 0, 'the refused server never saw a connection');
});
