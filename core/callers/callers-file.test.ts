import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CallersFileError, keyDigest, parseCallersFile, type CallersFileContext } from './callers-file.ts';

const context: CallersFileContext = {
  aliasNames: ['mana/fast-text', 'mana/structured'],
  providerNames: ['ollama', 'groq', 'google'],
  defaultKeys: ['the-default-key'],
  env: { CHAT_KEY: 'chat-secret', EMPTY: '' },
};

const parse = (text: string) => parseCallersFile(text, 'callers.yaml', context);

test('a full caller: keys from the environment and as digests, models, priority, limits, budget, admin', () => {
  const set = parse(`
callers:
  chat-backend:
    keys: ["\${CHAT_KEY}", "sha256:${keyDigest('second-key').toUpperCase()}"]
    models: ["mana/*", "ollama/*"]
    localOnly: false
    priority: high
    limits: { requestsPerMinute: 600, tokensPerMinute: 200000, concurrent: 20 }
    budget: { usdPerDay: 5 }
  ops:
    keys: [ops-key]
    admin: true
`);
  const chat = set.callers.get('chat-backend')!;
  assert.equal(set.byKeyDigest.get(keyDigest('chat-secret')), chat);
  assert.equal(set.byKeyDigest.get(keyDigest('second-key')), chat, 'an upper-case digest is the same key');
  assert.equal(chat.priority, 'high');
  assert.deepEqual(chat.limits, { requestsPerMinute: 600, tokensPerMinute: 200000, concurrent: 20 });
  assert.equal(chat.budgetUsdPerDay, 5);
  assert.equal(chat.cacheScope, 'caller:chat-backend');
  assert.equal(chat.models!.allows('mana/fast-text'), true);
  assert.equal(chat.models!.allows('groq/llama-3.1-8b-instant'), false);
  const ops = set.callers.get('ops')!;
  assert.equal(ops.admin, true);
  assert.equal(ops.priority, 'normal');
  assert.equal(ops.models, undefined, 'no list: everything');
  assert.equal(ops.limits, undefined);
  assert.equal(JSON.stringify([...set.callers.values()]).includes('chat-secret'), false, 'no plain key is kept');
});

describe('rejected files say what to fix, and never show a key', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['YAML that does not parse', 'callers: [', /not valid YAML/],
    ['no callers section', 'other: {}', /must have required property 'callers'/],
    ['an unknown key of a caller', 'callers:\n  a:\n    keys: [k]\n    rate: 5', /callers\.a: unknown key "rate"/],
    ['an unknown limit', 'callers:\n  a:\n    keys: [k]\n    limits: { perHour: 5 }', /callers\.a\.limits: unknown key "perHour"/],
    ['an unknown priority', 'callers:\n  a:\n    keys: [k]\n    priority: urgent', /callers\.a\.priority must be one of high, normal, low/],
    ['no keys', 'callers:\n  a:\n    models: ["mana/*"]', /must have required property 'keys'/],
    ['an empty key list', 'callers:\n  a:\n    keys: []', /callers\.a\.keys is empty/],
    ['an empty key', 'callers:\n  a:\n    keys: [""]', /callers\.a\.keys\[0\] is empty/],
    ['a key whose variable is unset', 'callers:\n  a:\n    keys: ["${UNSET_KEY}"]', /callers\.a\.keys\[0\] is empty: set UNSET_KEY/],
    ['a key whose variable is empty', 'callers:\n  a:\n    keys: ["${EMPTY}"]', /set EMPTY in the environment/],
    ['a key used by two callers', 'callers:\n  a:\n    keys: [same]\n  b:\n    keys: [same]', /callers\.b\.keys\[0\]: this key is already a key of caller a/],
    ['a key used twice by one caller', 'callers:\n  a:\n    keys: [same, same]', /already a key of this caller/],
    ['a plain key and its digest', `callers:\n  a:\n    keys: [same]\n  b:\n    keys: ["sha256:${keyDigest('same')}"]`, /already a key of caller a/],
    ['a key of API_KEYS', 'callers:\n  a:\n    keys: [the-default-key]', /already a key of caller default/],
    ['a caller named default', 'callers:\n  default:\n    keys: [k]', /"default" is the caller of API_KEYS/],
    ['a bad caller name', 'callers:\n  "has space":\n    keys: [k]', /caller "has space": a name is letters/],
    ['a models pattern naming no alias', 'callers:\n  a:\n    keys: [k]\n    models: ["mana/nope"]', /"mana\/nope" names no alias/],
    ['a models pattern naming no provider', 'callers:\n  a:\n    keys: [k]\n    models: ["openai/*"]', /"openai\/\*" matches no alias and no provider/],
    ['a * inside a pattern', 'callers:\n  a:\n    keys: [k]\n    models: ["mana/*-text"]', /"\*" may only end a pattern/],
    ['a limit of zero', 'callers:\n  a:\n    keys: [k]\n    limits: { concurrent: 0 }', /concurrent must be >= 1/],
    ['a negative budget', 'callers:\n  a:\n    keys: [k]\n    budget: { usdPerDay: -1 }', /usdPerDay must be >= 0/],
  ];
  for (const [what, text, message] of cases) {
    test(what, () => {
      assert.throws(() => parse(text), (err: Error) => {
        assert.ok(err instanceof CallersFileError, err.message);
        assert.match(err.message, message);
        assert.equal(/same|the-default-key|chat-secret/.test(err.message.replace(/caller (a|b)\b/g, '')), false, `no key in: ${err.message}`);
        return true;
      });
    });
  }
});

test('every problem of a file is reported at once', () => {
  assert.throws(() => parse('callers:\n  a:\n    keys: [""]\n    models: ["mana/nope"]'), /keys\[0\] is empty.*mana\/nope/);
});
