import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import Koa from 'koa';
import { isGatewayError } from '../errors/gateway-error.ts';
import { RouteTable } from './route-table.ts';

describe('RouteTable', () => {
  let server: Server;
  let base: string;

  before(async () => {
    const table = new RouteTable()
      .post('/v1/chat/completions', (ctx) => {
        ctx.body = 'chat';
      })
      .get('/v1/models', (ctx) => {
        ctx.body = 'list';
      })
      .get('/v1/models/*id', (ctx) => {
        ctx.body = `model ${ctx.params?.id}`;
      });
    const app = new Koa();
    app.use(async (ctx, next) => {
      try {
        await next();
      } catch (err) {
        assert.ok(isGatewayError(err), `a typed error (got ${String(err)})`);
        ctx.status = err.status;
        if (err.headers) ctx.set(err.headers);
        ctx.body = err.message;
      }
    });
    app.use(table.middleware());
    app.use((ctx) => {
      ctx.status = 404;
      ctx.body = 'no route';
    });
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const cases: Array<{ method: string; path: string; status: number; body?: string | RegExp; allow?: string }> = [
    { method: 'POST', path: '/v1/chat/completions', status: 200, body: 'chat' },
    { method: 'GET', path: '/v1/models', status: 200, body: 'list' },
    { method: 'GET', path: '/v1/models/ollama/gemma3:4b', status: 200, body: 'model ollama/gemma3:4b' },
    { method: 'GET', path: '/v1/models/google%2Fgemini-2.5-flash', status: 200, body: 'model google/gemini-2.5-flash' },
    { method: 'GET', path: '/v1/models/a%2525b', status: 200, body: 'model a%25b' },
    { method: 'GET', path: '/v1/models/%E0%A4%A', status: 200, body: 'model %E0%A4%A' },
    { method: 'HEAD', path: '/v1/models', status: 200, body: '' },
    { method: 'GET', path: '/v1/chat/completions', status: 405, body: /does not take GET; use POST/, allow: 'POST' },
    { method: 'DELETE', path: '/v1/models', status: 405, body: /use GET or HEAD/, allow: 'GET, HEAD' },
    { method: 'OPTIONS', path: '/v1/chat/completions', status: 204, allow: 'POST, OPTIONS' },
    { method: 'POST', path: '/v1/chat/completions/', status: 200, body: 'chat' },
    { method: 'GET', path: '/v1/models/', status: 200, body: 'list' },
    { method: 'GET', path: '/v1/models//', status: 404, body: 'no route' },
    { method: 'GET', path: '/v1/chat', status: 404, body: 'no route' },
    { method: 'GET', path: '/nothing', status: 404, body: 'no route' },
  ];
  for (const { method, path, status, body, allow } of cases) {
    test(`${method} ${path} → ${status}`, async () => {
      const response = await fetch(`${base}${path}`, { method });
      const text = await response.text();
      assert.equal(response.status, status, text);
      if (typeof body === 'string') assert.equal(text, body);
      else if (body) assert.match(text, body);
      if (allow) assert.equal(response.headers.get('allow'), allow);
    });
  }

  test('a route defined twice is refused at start', () => {
    const table = new RouteTable().get('/a', () => undefined);
    assert.throws(() => table.get('/a', () => undefined), /route GET \/a is defined twice/);
  });
});
