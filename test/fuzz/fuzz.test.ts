import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { after, before, test } from 'node:test';
import { FakeOllama } from '../helpers/fake-ollama.ts';
import { spawnGateway, upstreamEnv, type GatewayProcess } from '../helpers/test-gateway.ts';
import { fuzzCase, type FuzzCase } from './hostile-input.ts';

// Thousands of hostile requests against a real gateway process: every answer is an answer (no hang),
// none is a 5xx, every 4xx is the OpenAI error envelope, and the process stays up with stable memory.

const CASES = Number(process.env.FUZZ_CASES ?? 2000);
const CONCURRENCY = 16;
const ollama = new FakeOllama();
let gateway: GatewayProcess;

before(async () => {
  await ollama.start();
  gateway = await spawnGateway({ ...upstreamEnv({ ollama }), LOG_LEVEL: 'warn', MAX_BODY_SIZE: '1mb' });
});

after(async () => {
  await gateway.stop();
  await ollama.stop();
});

function send(url: URL, fuzz: FuzzCase): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, method: fuzz.method, path: fuzz.path, headers: { ...fuzz.headers, ...(fuzz.body ? { 'content-length': String(fuzz.body.length) } : {}) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.setTimeout(10_000, () => req.destroy(new Error('no answer within 10 s')));
    req.on('error', reject);
    req.end(fuzz.body);
  });
}

function rssKb(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
}

test(`fuzz: ${CASES} hostile requests, no 5xx, no hang, envelopes everywhere`, async () => {
  const url = new URL(gateway.url);
  const statuses: Record<number, number> = {};
  const labels: Record<string, number> = {};
  const failures: string[] = [];
  let next = 0;
  let rssAfterWarmup = 0;
  const worker = async () => {
    while (next < CASES) {
      const index = next++;
      if (index === 300) rssAfterWarmup = rssKb(gateway.child.pid!);
      const fuzz = fuzzCase(index);
      labels[fuzz.label] = (labels[fuzz.label] ?? 0) + 1;
      const { status, body } = await send(url, fuzz).catch((err: Error) => ({ status: -1, body: err.message }));
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (status < 200 || status >= 500) failures.push(`case ${index} (${fuzz.label} ${fuzz.method} ${fuzz.path.slice(0, 60)}): ${status} ${body.slice(0, 200)}`);
      else if (status >= 400) {
        let envelope: any;
        try {
          envelope = JSON.parse(body);
        } catch {
          envelope = undefined;
        }
        if (typeof envelope?.error?.code !== 'string' || typeof envelope.error.message !== 'string') failures.push(`case ${index} (${fuzz.label}): ${status} without an envelope: ${body.slice(0, 200)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const rssAfter = rssKb(gateway.child.pid!);
  console.log(`fuzz: ${CASES} cases; by kind ${JSON.stringify(labels)}; by status ${JSON.stringify(statuses)}; RSS ${Math.round(rssAfterWarmup / 1024)} MB after warm-up, ${Math.round(rssAfter / 1024)} MB at the end`);
  assert.deepEqual(failures.slice(0, 20), []);
  assert.equal(gateway.child.exitCode, null, 'the process is still up');
  assert.equal((await fetch(`${gateway.url}/health`)).status, 200);
  assert.ok(rssAfter < rssAfterWarmup * 1.5 + 30 * 1024, `memory stays stable (${rssAfterWarmup} → ${rssAfter} kB)`);
});
