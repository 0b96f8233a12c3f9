import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chainOutlook, type EntryFacts } from './chain-outlook.ts';

const healthy = (entry: string, more: Partial<EntryFacts> = {}): EntryFacts => ({
  entry,
  provider: entry.slice(0, entry.indexOf('/')),
  admission: 'pass',
  unhealthyUntil: null,
  lastError: null,
  ...more,
});

const cases: Array<{ name: string; facts: EntryFacts[]; want: Array<[action: string, reason: string | undefined, first: boolean, detail: RegExp]> }> = [
  {
    name: 'every entry healthy: the first answers, the rest stand by',
    facts: [healthy('ollama/gemma3:4b'), healthy('groq/llama')],
    want: [['answer', undefined, true, /^healthy$/], ['answer', undefined, false, /^healthy$/]],
  },
  {
    name: 'an unconfigured provider is skipped with its reason',
    facts: [healthy('openai/gpt-4o', { unconfigured: 'no API key' }), healthy('groq/llama')],
    want: [['skip', 'unconfigured', false, /openai: no API key/], ['answer', undefined, true, /healthy/]],
  },
  {
    name: 'an open circuit is skipped until its time, with the last error',
    facts: [healthy('ollama/m', { admission: 'reject', unhealthyUntil: Date.UTC(2026, 11, 3, 7), lastError: 'network' }), healthy('groq/llama')],
    want: [['skip', 'circuit_open', false, /until 2026-12-03T07:00:00.000Z \(last error: network\)/], ['answer', undefined, true, /healthy/]],
  },
  {
    name: 'a half-open circuit whose trial is taken is skipped until a trial succeeds',
    facts: [healthy('ollama/m', { admission: 'reject' })],
    want: [['skip', 'circuit_open', false, /until a trial succeeds/]],
  },
  {
    name: 'a circuit past its backoff answers as the trial',
    facts: [healthy('ollama/m', { admission: 'trial' })],
    want: [['answer', undefined, true, /half-open trial/]],
  },
  {
    name: 'a capped provider with busy slots and room in its queue answers after a wait',
    facts: [healthy('ollama/m', { slots: { inFlight: 4, max: 4, queued: 2, maxQueue: 16 } })],
    want: [['answer', undefined, true, /waits for a slot: all 4 busy, 2 queued/]],
  },
  {
    name: 'a capped provider with a full queue is skipped as overloaded',
    facts: [healthy('ollama/m', { slots: { inFlight: 4, max: 4, queued: 16, maxQueue: 16 } }), healthy('groq/llama')],
    want: [['skip', 'overloaded', false, /queue of 16 full/], ['answer', undefined, true, /healthy/]],
  },
  {
    name: 'a capped provider under its cap answers',
    facts: [healthy('ollama/m', { slots: { inFlight: 1, max: 4, queued: 0, maxQueue: 16 } })],
    want: [['answer', undefined, true, /^healthy$/]],
  },
  {
    name: 'every entry skipped: none is first',
    facts: [healthy('ollama/m', { admission: 'reject' }), healthy('groq/llama', { unconfigured: 'not in the profile' })],
    want: [['skip', 'circuit_open', false, /circuit open/], ['skip', 'unconfigured', false, /not in the profile/]],
  },
];

for (const c of cases) {
  test(`chain outlook: ${c.name}`, () => {
    const got = chainOutlook(c.facts);
    assert.equal(got.length, c.want.length);
    got.forEach((entry, i) => {
      const [action, reason, first, detail] = c.want[i]!;
      assert.equal(entry.entry, c.facts[i]!.entry);
      assert.equal(entry.action, action, `entry ${i} action`);
      assert.equal(entry.reason, reason, `entry ${i} reason`);
      assert.equal(entry.first, first, `entry ${i} first`);
      assert.match(entry.detail, detail);
    });
  });
}
