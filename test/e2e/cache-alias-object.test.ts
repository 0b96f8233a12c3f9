import assert from 'node:assert/strict';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { writeFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { createApp } from '../../core/http/app.ts';
import { DEFAULT_CALLER } from '../../core/http/request-vars.ts';
import { cacheLookup } from '../../core/http/routes/cache-step.ts';
import type { ServedRequest } from '../../core/http/routes/model-request.ts';
import { resolveModel } from '../../core/routing/model-resolver.ts';
import { RequestScope } from '../../core/routing/request-scope.ts';
import { FakeOllama } from '../helpers/fake-ollama.ts';
import { aliasFile, startProfileGateway, type TestGateway } from '../helpers/test-gateway.ts';

// The cache step takes the TTL of the alias whose chain the request walks — the object it resolved to —
// never a fresh lookup by name, which after a SIGHUP could find another alias of the same name.

const ollama = new FakeOllama();
let gateway: TestGateway;
let aliasesPath: string;

before(async () => {
  await ollama.start();
  aliasesPath = aliasFile('aliases:\n  mana/a:\n    cacheTtl: 0\n    chain: [ollama/gemma3:4b]\n');
  gateway = await startProfileGateway(
    'plugins:\n  - use: ${PLUGINS}/ollama\n    name: ollama\n    options: { baseUrl: "${OLLAMA_URL}" }\n  - use: ${PLUGINS}/memory-cache\n',
    { OLLAMA_URL: ollama.url, ALIASES_PATH: aliasesPath },
  );
});
after(async () => {
  await gateway.close();
  await ollama.stop();
});

test('a request resolved before a reload keeps its alias: cacheTtl 0 still means never cached', async () => {
  const { services } = gateway;
  const resolution = resolveModel('mana/a', services.aliases.current, services.resolver);
  writeFileSync(aliasesPath, 'aliases:\n  mana/a:\n    cacheTtl: 600\n    chain: [ollama/gemma3:4b]\n');
  await gateway.reloadAliases();
  assert.equal(services.aliases.current.aliases.get('mana/a')?.cacheTtl, 600, 'the reload took effect');

  // A request context as the app makes one for a request on the wire.
  const req = new IncomingMessage(new Socket());
  const ctx = createApp(services).createContext(req, new ServerResponse(req));
  ctx.vars = { requestId: 'r-1', caller: DEFAULT_CALLER };
  const scope = new RequestScope('r-1', 60_000);
  const served: ServedRequest = { route: 'chat', stream: false, requestedModel: 'mana/a', startedAt: scope.startedAt, resolution, scope, outcome: scope.outcome };
  const { plan } = await cacheLookup(ctx, services, served, { messages: [{ role: 'user', content: 'hi' }] }, 'chat');
  scope.finish();
  assert.equal(plan?.lookup, false, 'no lookup for the alias being walked');
  assert.equal(plan?.store, false, 'and no store');
  assert.equal(served.outcome.cache, 'bypass');
});
