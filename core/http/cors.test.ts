import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import Koa from 'koa';
import { corsFromOrigins, originMatcher } from './cors.ts';

describe('originMatcher', () => {
  const cases: Array<[string, string, boolean]> = [
    ['http://localhost:*', 'http://localhost:5173', true],
    ['http://localhost:*', 'http://localhost', true],
    ['http://localhost:*', 'http://localhost.evil.com:80', false],
    ['http://localhost:*', 'http://localhost:80x', false],
    ['https://app.example.com/', 'https://app.example.com', true],
    ['https://app.example.com', 'https://app.example.com.evil.com', false],
  ];
  for (const [pattern, origin, expected] of cases) {
    test(`${pattern} ${expected ? 'matches' : 'does not match'} ${origin}`, () => assert.equal(originMatcher(pattern)(origin), expected));
  }
});

describe('corsFromOrigins on a real server', () => {
  const servers: Server[] = [];
  const bases: Record<string, string> = {};

  async function serve(name: string, origins: string[]): Promise<void> {
    const app = new Koa();
    app.use(corsFromOrigins(origins));
    app.use((ctx) => {
      ctx.body = `${ctx.method} reached the route`;
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    servers.push(server);
    bases[name] = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  before(async () => {
    await serve('listed', ['http://localhost:*', 'https://app.example.com']);
    await serve('any', ['*']);
  });
  after(() => Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve)))));

  const preflight = { 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' };
  const cases: Array<{
    name: string;
    server: string;
    method: string;
    headers: Record<string, string>;
    status: number;
    allowOrigin: string | null;
    reachesRoute: boolean;
    expose?: RegExp;
  }> = [
    { name: 'a preflight from a listed origin', server: 'listed', method: 'OPTIONS', headers: { origin: 'http://localhost:3000', ...preflight }, status: 204, allowOrigin: 'http://localhost:3000', reachesRoute: false },
    { name: 'a preflight from another origin', server: 'listed', method: 'OPTIONS', headers: { origin: 'https://evil.example.com', ...preflight }, status: 200, allowOrigin: null, reachesRoute: true },
    { name: 'an OPTIONS that is no preflight', server: 'listed', method: 'OPTIONS', headers: { origin: 'http://localhost:3000' }, status: 200, allowOrigin: 'http://localhost:3000', reachesRoute: true },
    { name: 'a request from a listed origin', server: 'listed', method: 'POST', headers: { origin: 'https://app.example.com' }, status: 200, allowOrigin: 'https://app.example.com', reachesRoute: true, expose: /X-Mana-LLM-Resolved/ },
    { name: 'a request from another origin', server: 'listed', method: 'GET', headers: { origin: 'https://evil.example.com' }, status: 200, allowOrigin: null, reachesRoute: true },
    { name: 'a request without Origin', server: 'listed', method: 'GET', headers: {}, status: 200, allowOrigin: null, reachesRoute: true },
    { name: 'any origin with "*"', server: 'any', method: 'GET', headers: { origin: 'https://anything.example' }, status: 200, allowOrigin: '*', reachesRoute: true, expose: /X-Request-Id/ },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const response = await fetch(bases[c.server]!, { method: c.method, headers: c.headers });
      const body = await response.text();
      assert.equal(response.status, c.status, body);
      assert.equal(response.headers.get('access-control-allow-origin'), c.allowOrigin);
      assert.equal(body.includes('reached the route'), c.reachesRoute, body);
      assert.match(response.headers.get('vary') ?? '', /Origin/, 'Vary: Origin on every answer');
      if (c.expose) assert.match(response.headers.get('access-control-expose-headers') ?? '', c.expose);
      if (c.status === 204) {
        assert.match(response.headers.get('access-control-allow-headers') ?? '', /Authorization/);
        assert.match(response.headers.get('access-control-allow-methods') ?? '', /POST/);
        assert.equal(response.headers.get('access-control-max-age'), '600');
      }
    });
  }
});
