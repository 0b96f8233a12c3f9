import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Profile } from '../config/profile.ts';
import { PluginRegistry } from '../plugin/registry.ts';
import { localProviders } from './pricing.ts';

test('localProviders: the entries marked local, by instance name (or the plugin\'s own name when the entry has none)', () => {
  const profile = {
    plugins: [
      { use: './plugins/ollama', name: 'gpu-box', local: true, options: {} },
      { use: './plugins/ollama', local: true, options: {} },
      { use: './plugins/openai-compat', name: 'groq', options: {} },
      { use: './plugins/openai-compat', name: 'lan-vllm', local: true, options: {} },
    ],
  } as unknown as Profile;
  const registry = new PluginRegistry();
  for (const name of ['gpu-box', 'ollama', 'groq', 'lan-vllm']) registry.plugins.push({ name, kind: 'provider', use: '', status: 'loaded' });
  const isLocal = localProviders(profile, registry);
  assert.deepEqual(['gpu-box', 'ollama', 'groq', 'lan-vllm', 'google'].map(isLocal), [true, true, false, true, false]);
});
