import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { presentedToken, tokenMatches } from './scrape-token.ts';

describe('presentedToken', () => {
  const cases: Array<[string | undefined, string | undefined]> = [
    ['Bearer s3cret', 's3cret'],
    ['bearer   s3cret  ', 's3cret'],
    ['Basic czNjcmV0', undefined],
    ['s3cret', undefined],
    ['', undefined],
    [undefined, undefined],
  ];
  for (const [authorization, expected] of cases) test(String(authorization), () => assert.equal(presentedToken({ authorization }), expected));
});

describe('tokenMatches', () => {
  const cases: Array<[string | undefined, boolean]> = [
    ['metrics-token-0123', true],
    ['metrics-token-012', false],
    ['metrics-token-01234', false],
    ['METRICS-TOKEN-0123', false],
    ['', false],
    [undefined, false],
  ];
  for (const [presented, expected] of cases) test(String(presented), () => assert.equal(tokenMatches(presented, 'metrics-token-0123'), expected));
});
