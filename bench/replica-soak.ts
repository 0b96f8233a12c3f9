import { request } from 'node:http';
import { FakeOllama } from '../test/helpers/fake-ollama.ts';
import { FakeOpenAI } from '../test/helpers/fake-openai.ts';
import { startRedisServer } from '../test/helpers/redis-server.ts';
import { startReplicas } from '../test/helpers/replica-set.ts';
import { aliasFile, callersFile, upstreamEnv } from '../test/helpers/test-gateway.ts';
import { optionFrom } from './cli-options.ts';
import { percentiles } from './stats.ts';

// `npm run soak:replicas [-- --requests 5000]`: three replicas on one Redis take a mix of requests
// (chat whole and streamed through an alias, a cloud model directly, the Responses API, embeddings on the
// capped GPU box) while Redis is killed and started again, then one replica is killed (SIGKILL) and
// started again. The client balances as nginx does here: round-robin, and on to the next replica only
// when a connection is refused — a request that reached a replica is never sent twice.
//
// Every request carries its own id in its text, and the fakes record what reached them, so the run
// proves: every request has one outcome; none reached an upstream twice; nothing failed but what was in
// flight on the replica that was killed (the caller sees its connection cut; nginx would answer 502).

const TOTAL = optionFrom('requests', 'SOAK_REQUESTS', 5000);
const WORKERS = optionFrom('workers', 'SOAK_WORKERS', 16);
const KEY = 'sk-soak-app-0123456789abcdef';

const ollama = new FakeOllama();
const groq = new FakeOpenAI();
const redis = await startRedisServer();
await ollama.start();
await groq.start();
ollama.fault({ path: '/api/chat', delayMs: 20 });
const set = await startReplicas(3, {
  ...upstreamEnv({ ollama, groq }),
  REDIS_URL: redis.url,
  OLLAMA_MAX_CONCURRENT: '4',
  SOAK_KEY: KEY,
  CALLERS_PATH: callersFile('callers:\n  app:\n    keys: ["${SOAK_KEY}"]\n    limits: { requestsPerMinute: 1000000, concurrent: 1000 }\n'),
  ALIASES_PATH: aliasFile('aliases:\n  mana/soak:\n    description: the GPU box, then the cloud\n    chain: [ollama/gemma3:4b, groq/llama-3.1-8b-instant]\n'),
});

type Outcome = { id: string; kind: string; status: number | 'cut'; ms: number; refusedFirst: number; replica: string };

const KINDS = ['chat', 'chat', 'chat-stream', 'chat-stream', 'cloud', 'responses', 'embeddings'] as const;

function payload(kind: (typeof KINDS)[number], id: string): { path: string; body: unknown } {
  const messages = [{ role: 'user', content: `soak ${id}` }];
  if (kind === 'chat') return { path: '/v1/chat/completions', body: { model: 'mana/soak', messages } };
  if (kind === 'chat-stream') return { path: '/v1/chat/completions', body: { model: 'mana/soak', messages, stream: true } };
  if (kind === 'cloud') return { path: '/v1/chat/completions', body: { model: 'groq/llama-3.1-8b-instant', messages } };
  if (kind === 'responses') return { path: '/v1/responses', body: { model: 'mana/soak', input: `soak ${id}`, store: false } };
  return { path: '/v1/embeddings', body: { model: 'ollama/nomic-embed-text', input: `soak ${id}` } };
}

/** One request on a fresh connection: its status once the whole body is read, 'cut' when the connection broke after it was sent, 'refused' when nothing was sent. */
function send(url: string, path: string, body: unknown): Promise<number | 'cut' | 'refused'> {
  return new Promise((resolve) => {
    const text = JSON.stringify(body);
    const req = request(`${url}${path}`, { method: 'POST', agent: false, headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}`, 'content-length': Buffer.byteLength(text) } }, (res) => {
      res.on('data', () => undefined);
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', () => resolve('cut'));
      res.on('aborted', () => resolve('cut'));
    });
    req.on('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED' ? 'refused' : 'cut'));
    req.end(text);
  });
}

const outcomes: Outcome[] = [];
const events: string[] = [];
let next = 0;
let restarting: Promise<unknown> | undefined;
let killedUrl: string | undefined;
const started = Date.now();
const mark = (what: string) => events.push(`${((Date.now() - started) / 1000).toFixed(1)} s, request ${next}: ${what}`);

async function worker(): Promise<void> {
  while (next < TOTAL) {
    const index = next++;
    if (index === Math.floor(TOTAL * 0.2)) {
      mark('Redis killed');
      void redis.stop();
    }
    if (index === Math.floor(TOTAL * 0.4)) {
      mark('Redis started again');
      await redis.start();
    }
    if (index === Math.floor(TOTAL * 0.6)) {
      mark('replica 2 killed (SIGKILL)');
      killedUrl = set.at(1).url;
      set.at(1).child.kill('SIGKILL');
    }
    if (index === Math.floor(TOTAL * 0.7)) {
      mark('replica 2 starting again');
      restarting = set.restart(1).then(() => mark('replica 2 listening again'));
    }
    const kind = KINDS[index % KINDS.length]!;
    const id = `r${index}x`;
    const { path, body } = payload(kind, id);
    const begun = Date.now();
    let refusedFirst = 0;
    for (let hop = 0; ; hop++) {
      const replica = set.at(index + hop);
      const status = await send(replica.url, path, body);
      if (status === 'refused' && hop < 6) {
        refusedFirst += 1;
        continue;
      }
      outcomes.push({ id, kind, status: status === 'refused' ? 'cut' : status, ms: Date.now() - begun, refusedFirst, replica: replica.url });
      break;
    }
  }
}

try {
  await Promise.all(Array.from({ length: WORKERS }, worker));
  await restarting;
  const elapsedS = (Date.now() - started) / 1000;
  // What reached the upstreams, by request id.
  const reached = new Map<string, number>();
  for (const r of [...ollama.requests, ...groq.requests]) {
    const match = /soak (r\d+x)/.exec(JSON.stringify(r.body));
    if (match) reached.set(match[1]!, (reached.get(match[1]!) ?? 0) + 1);
  }
  const byStatus: Record<string, number> = {};
  for (const o of outcomes) byStatus[String(o.status)] = (byStatus[String(o.status)] ?? 0) + 1;
  const twice = [...reached].filter(([, n]) => n > 1).map(([id]) => id);
  const unanswered = outcomes.filter((o) => o.status === 200 && !reached.has(o.id)).length;
  const [p50, p99] = percentiles(outcomes.filter((o) => o.status === 200).map((o) => o.ms), [50, 99]);
  const summary = {
    requests: outcomes.length,
    distinctIds: new Set(outcomes.map((o) => o.id)).size,
    byStatus,
    cutElsewhereThanOnTheKilledReplica: outcomes.filter((o) => o.status === 'cut' && o.replica !== killedUrl).length,
    failedOtherThanCut: outcomes.filter((o) => o.status !== 200 && o.status !== 'cut').map((o) => `${o.id} ${o.kind} ${o.status}`),
    reachedAnUpstreamTwice: twice.length,
    answeredWithoutReachingAnUpstream: unanswered,
    sentOnAfterARefusedConnection: outcomes.filter((o) => o.refusedFirst > 0).length,
    p50Ms: p50,
    p99Ms: p99,
    elapsedS,
    events,
  };
  process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  const ok = summary.requests === TOTAL && summary.cutElsewhereThanOnTheKilledReplica === 0 && summary.distinctIds === TOTAL && summary.failedOtherThanCut.length === 0 && twice.length === 0 && unanswered === 0;
  process.exitCode = ok ? 0 : 1;
} finally {
  await set.stop();
  await ollama.stop();
  await groq.stop();
  await redis.close();
}
