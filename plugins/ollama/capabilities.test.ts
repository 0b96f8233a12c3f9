import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ModelNotFoundError } from '../../core/index.ts';
import type { Capabilities } from '../../core/index.ts';
import { capabilitiesFromPatterns, capabilitiesFromShow, showCapabilityList } from './capabilities.ts';
import { CapabilityCache, SHOW_ANSWER_TTL_MS, SHOW_FAILURE_TTL_MS } from './capability-cache.ts';
import { resolveOptions } from './options.ts';

const caps = (over: Partial<Capabilities>): Capabilities => ({
  chat: true, stream: true, embeddings: false, vision: false, tools: false, json: true, jsonSchema: true, ...over,
});
const none = caps({ chat: false, stream: false, json: false, jsonSchema: false });

describe('capabilitiesFromShow', () => {
  const cases: Array<[string[], Capabilities]> = [
    [['completion'], caps({})],
    [['completion', 'tools'], caps({ tools: true })],
    [['completion', 'vision'], caps({ vision: true })],
    [['completion', 'vision', 'tools', 'thinking'], caps({ vision: true, tools: true })],
    [['embedding'], { ...none, embeddings: true }],
    [[], none],
  ];
  for (const [list, expected] of cases) test(JSON.stringify(list), () => assert.deepEqual(capabilitiesFromShow(list), expected));
});

describe('capabilitiesFromPatterns (defaults)', () => {
  const settings = resolveOptions({});
  const cases: Array<[string, Capabilities]> = [
    ['llama3.1:8b', caps({ tools: true })],
    ['gemma3:4b', caps({ vision: true })],
    ['gemma3:1b', caps({})],
    ['llama4:scout', caps({ tools: true, vision: true })],
    ['nomic-embed-text:latest', { ...none, embeddings: true }],
    ['qwen3-embedding:4b', { ...none, embeddings: true }],
    ['some-unknown:7b', caps({})],
  ];
  for (const [model, expected] of cases) test(model, () => assert.deepEqual(capabilitiesFromPatterns(model, settings), expected));
  test('configured patterns replace the defaults', () => {
    assert.deepEqual(capabilitiesFromPatterns('mine:1b', resolveOptions({ toolModels: ['mine'] })), caps({ tools: true }));
  });
});

describe('showCapabilityList', () => {
  const cases: Array<[unknown, unknown]> = [
    [{ capabilities: ['completion', 7, 'tools'] }, ['completion', 'tools']],
    [{ modelfile: '' }, undefined],
    [null, undefined],
  ];
  for (const [body, expected] of cases) test(JSON.stringify(body), () => assert.deepEqual(showCapabilityList(body), expected));
});

describe('CapabilityCache', () => {
  const guess = (): Capabilities => caps({ tools: false });
  function cache(answers: Array<string[] | undefined | Error>) {
    const asked: string[] = [];
    let clock = 0;
    const c = new CapabilityCache(
      async (model) => {
        asked.push(model);
        const next = answers.shift();
        if (next instanceof Error) throw next;
        return next;
      },
      guess,
      () => clock,
    );
    return { c, asked, advance: (ms: number) => void (clock += ms) };
  }

  test('asks once per model, concurrent callers included', async () => {
    const { c, asked } = cache([['completion', 'tools']]);
    const [a, b] = await Promise.all([c.get('m'), c.get('m')]);
    assert.deepEqual(a, caps({ tools: true }));
    assert.deepEqual(b, a);
    assert.deepEqual(await c.get('m'), a);
    assert.deepEqual(asked, ['m']);
  });

  test('an answer without a list falls back to the guess', async () => {
    const { c } = cache([undefined]);
    assert.deepEqual(await c.get('m'), guess());
  });

  test('a failure is remembered for a short time, then asked again', async () => {
    const { c, asked, advance } = cache([new Error('down'), ['completion', 'vision']]);
    assert.deepEqual(await c.get('m'), guess());
    advance(SHOW_FAILURE_TTL_MS - 1);
    assert.deepEqual(await c.get('m'), guess());
    assert.equal(asked.length, 1);
    advance(2);
    assert.deepEqual(await c.get('m'), caps({ vision: true }));
    assert.equal(asked.length, 2);
  });

  test('a model the server does not have is passed on as model_not_found, not guessed', async () => {
    const { c } = cache([new ModelNotFoundError("ollama: model 'ghost' not found")]);
    await assert.rejects(c.get('ghost'), { code: 'model_not_found' });
  });

  test('an answer expires after its longer time', async () => {
    const { c, asked, advance } = cache([['completion'], ['completion', 'tools']]);
    await c.get('m');
    advance(SHOW_ANSWER_TTL_MS + 1);
    assert.deepEqual(await c.get('m'), caps({ tools: true }));
    assert.equal(asked.length, 2);
  });
});
