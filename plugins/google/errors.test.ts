import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from '@google/genai';
import {
  ModelNotFoundError,
  ProviderAuthError,
  ProviderBlockedError,
  ProviderRateLimitError,
  UpstreamHttpError,
  UpstreamNetworkError,
  UpstreamProtocolError,
  UpstreamTimeoutError,
} from '../../core/index.ts';
import { toGatewayError } from './errors.ts';

const KEY = 'AIzaSyFAKE-secret-key-1234567890';
const context = { provider: 'google', secrets: [KEY] };
const apiError = (status: number, error: object, prefix = '') => new ApiError({ status, message: prefix + JSON.stringify({ error }) });
const socketError = (code: string) => Object.assign(new Error('socket'), { code });

describe('toGatewayError', () => {
  const cases: Array<{ name: string; err: unknown; type: new (...args: any[]) => Error; check?: (err: any) => boolean }> = [
    {
      name: 'a wrong key (400 API_KEY_INVALID) is the provider key\'s fault',
      err: apiError(400, { code: 400, message: 'API key not valid. Please pass a valid API key.', status: 'INVALID_ARGUMENT', details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID' }] }),
      type: ProviderAuthError, check: (err) => err.code === 'provider_auth_error' && err.status === 502 && /API key not valid/.test(err.message) && !err.message.includes('..'),
    },
    { name: 'an expired key, recognised by its message', err: apiError(400, { code: 400, message: 'API key expired. Please renew the API key.', status: 'INVALID_ARGUMENT' }), type: ProviderAuthError },
    { name: '401', err: apiError(401, { code: 401, message: 'Request had invalid authentication credentials.', status: 'UNAUTHENTICATED' }), type: ProviderAuthError },
    { name: '403', err: apiError(403, { code: 403, message: 'Permission denied', status: 'PERMISSION_DENIED' }), type: ProviderAuthError },
    { name: '404 unknown model', err: apiError(404, { code: 404, message: 'models/x is not found', status: 'NOT_FOUND' }), type: ModelNotFoundError, check: (err) => /models\/x is not found/.test(err.message) },
    {
      name: '429 with RetryInfo',
      err: apiError(429, { code: 429, message: 'Quota exceeded', status: 'RESOURCE_EXHAUSTED', details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '37s' }] }),
      type: ProviderRateLimitError, check: (err) => err.retryable && err.retryAfterSeconds === 37 && err.headers['Retry-After'] === '37',
    },
    { name: '429 without RetryInfo', err: apiError(429, { code: 429, message: 'slow down', status: 'RESOURCE_EXHAUSTED' }), type: ProviderRateLimitError, check: (err) => err.retryAfterSeconds === undefined },
    { name: '500', err: apiError(500, { code: 500, message: 'An internal error has occurred.', status: 'INTERNAL' }), type: UpstreamHttpError, check: (err) => err.retryable && err.status === 502 && /internal error/.test(err.message) },
    { name: '503 from an error event inside a stream', err: apiError(503, { code: 503, message: 'The model is overloaded.', status: 'UNAVAILABLE' }, 'got status: UNAVAILABLE. '), type: UpstreamHttpError, check: (err) => err.retryable && /overloaded/.test(err.message) },
    { name: 'another 400 is the caller\'s', err: apiError(400, { code: 400, message: 'Invalid value at temperature', status: 'INVALID_ARGUMENT' }), type: UpstreamHttpError, check: (err) => !err.retryable && err.status === 400 && /temperature/.test(err.message) },
    { name: '408', err: apiError(408, { code: 408, message: 'timeout' }), type: UpstreamTimeoutError },
    { name: 'refused connection', err: new TypeError('fetch failed', { cause: socketError('ECONNREFUSED') }), type: UpstreamNetworkError, check: (err) => err.retryable && err.reason === 'connection_error' },
    { name: 'reset mid-stream', err: new TypeError('terminated', { cause: socketError('UND_ERR_SOCKET') }), type: UpstreamNetworkError },
    { name: 'a body that is not JSON', err: new SyntaxError('Unexpected token < in JSON at position 0'), type: UpstreamProtocolError, check: (err) => err.retryable },
    { name: 'a stream that stops mid-event', err: new Error('Incomplete JSON segment at the end'), type: UpstreamProtocolError },
    { name: 'a gateway error passes unchanged', err: new ProviderBlockedError('blocked'), type: ProviderBlockedError },
  ];
  for (const c of cases) {
    it(`${c.name} → ${c.type.name}`, () => {
      const mapped = toGatewayError(c.err, context);
      assert.ok(mapped instanceof c.type, `got ${String(mapped)}`);
      if (c.check) assert.ok(c.check(mapped), (mapped as Error).message);
    });
  }

  it('an aborted call gives back the signal\'s reason, whatever the SDK threw', () => {
    const controller = new AbortController();
    const reason = new UpstreamTimeoutError('first token', 'first_token');
    controller.abort(reason);
    assert.equal(toGatewayError(new DOMException('aborted', 'AbortError'), { ...context, signal: controller.signal }), reason);
  });

  it('never lets the API key through', () => {
    const echoes = [
      apiError(400, { code: 400, message: `API key not valid: ${KEY}`, status: 'INVALID_ARGUMENT' }),
      apiError(500, { code: 500, message: `boom ${KEY}` }),
      apiError(429, { code: 429, message: `quota for ${KEY}` }),
      new TypeError('fetch failed', { cause: Object.assign(new Error(`connect to ?key=${KEY}`), { code: 'ECONNREFUSED' }) }),
      new Error(`parse error near ${KEY}`),
    ];
    for (const err of echoes) {
      const mapped = toGatewayError(err, context) as Error;
      assert.ok(!mapped.message.includes(KEY) && !mapped.message.includes(KEY.slice(0, 8)), mapped.message);
    }
  });
});
