import assert from 'node:assert/strict';
import { test } from 'node:test';
import { adoptForeignError } from './foreign-error.ts';

const shaped = (fields: Record<string, unknown>) => Object.assign(new Error('from a package plugin'), fields);

const cases: Array<[string, unknown, { status: number; code: string; retryable: boolean; reason: string } | undefined]> = [
  ['a retryable 5xx shape', shaped({ status: 502, code: 'upstream_error', retryable: true, reason: 'upstream_5xx' }), { status: 502, code: 'upstream_error', retryable: true, reason: 'upstream_5xx' }],
  ['an auth shape without reason', shaped({ status: 502, code: 'provider_auth_error', retryable: false }), { status: 502, code: 'provider_auth_error', retryable: false, reason: 'provider_auth_error' }],
  ['a blocked shape', shaped({ status: 422, code: 'content_blocked', retryable: false }), { status: 422, code: 'content_blocked', retryable: false, reason: 'content_blocked' }],
  ['an unknown code', shaped({ status: 500, code: 'whatever', retryable: true }), undefined],
  ['no retryable flag', shaped({ status: 502, code: 'upstream_error' }), undefined],
  ['a status outside 4xx/5xx', shaped({ status: 200, code: 'upstream_error', retryable: true }), undefined],
  ['a plain error', new Error('x'), undefined],
  ['not an error', { status: 502, code: 'upstream_error', retryable: true }, undefined],
];
for (const [what, err, expected] of cases) {
  test(what, () => {
    const adopted = adoptForeignError(err);
    assert.deepEqual(adopted && { status: adopted.status, code: adopted.code, retryable: adopted.retryable, reason: adopted.reason }, expected);
  });
}
