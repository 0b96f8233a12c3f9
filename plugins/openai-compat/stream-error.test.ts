import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ModelNotFoundError,
  ProviderAuthError,
  ProviderRateLimitError,
  UpstreamHttpError,
  UpstreamTimeoutError,
} from '../../core/index.ts';
import { errorFromStreamEvent } from './stream-error.ts';

const cases: Array<{ name: string; error: unknown; type: Function; retryable: boolean; status: number; includes: string }> = [
  {
    name: 'OpenAI server_error without a code',
    error: { message: 'The server had an error while processing your request.', type: 'server_error' },
    type: UpstreamHttpError,
    retryable: true,
    status: 502,
    includes: 'The server had an error',
  },
  { name: 'OpenRouter numeric 502', error: { code: 502, message: 'Provider returned error' }, type: UpstreamHttpError, retryable: true, status: 502, includes: 'Provider returned error' },
  { name: 'numeric 429', error: { code: 429, message: 'slow down' }, type: ProviderRateLimitError, retryable: true, status: 429, includes: 'slow down' },
  { name: 'numeric string 401', error: { code: '401', message: 'bad key' }, type: ProviderAuthError, retryable: false, status: 502, includes: 'bad key' },
  { name: 'numeric 404', error: { code: 404, message: 'no such model' }, type: ModelNotFoundError, retryable: false, status: 404, includes: 'no such model' },
  { name: 'numeric 408', error: { code: 408, message: 'took too long' }, type: UpstreamTimeoutError, retryable: true, status: 504, includes: 'took too long' },
  { name: 'word code (OpenRouter server_error)', error: { code: 'server_error', message: 'Provider disconnected' }, type: UpstreamHttpError, retryable: true, status: 502, includes: 'Provider disconnected' },
  { name: 'code out of HTTP range', error: { code: 42, message: 'odd' }, type: UpstreamHttpError, retryable: true, status: 502, includes: 'odd' },
  { name: 'a bare string', error: 'boom', type: UpstreamHttpError, retryable: true, status: 502, includes: 'boom' },
  { name: 'no message', error: {}, type: UpstreamHttpError, retryable: true, status: 502, includes: 'mid-stream' },
];

for (const c of cases) {
  test(`errorFromStreamEvent: ${c.name}`, () => {
    const err = errorFromStreamEvent('openrouter', c.error);
    assert.ok(err instanceof c.type, `${err.name} is not ${c.type.name}`);
    assert.equal(err.retryable, c.retryable);
    assert.equal(err.status, c.status);
    assert.ok(err.message.includes(c.includes), err.message);
    assert.ok(err.message.includes('openrouter'), err.message);
  });
}

test('errorFromStreamEvent redacts the message', () => {
  const err = errorFromStreamEvent('groq', { message: 'key sk-secret rejected' }, (t) => t.replace('sk-secret', '[redacted]'));
  assert.ok(!err.message.includes('sk-secret'), `the key is redacted (got ${err.message})`);
});
