import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { matchesModel } from './model-patterns.ts';
import { DEFAULT_EMBEDDING_MODELS, DEFAULT_TOOL_MODELS, DEFAULT_VISION_MODELS } from './options.ts';

describe('matchesModel', () => {
  const cases: Array<[string, string[], boolean]> = [
    ['qwen2.5:7b', ['qwen2.5'], true],
    ['qwen2.5-coder:14b', ['qwen2.5'], true],
    ['qwen2:7b', ['qwen2.5'], false],
    ['QWEN2.5:7B', ['qwen2.5'], true],
    ['llama3.1', ['llama3.1'], true],
    ['gemma3:1b', ['gemma3', '!gemma3:1b'], false],
    ['gemma3:1b-it-qat', ['gemma3', '!gemma3:1b'], false],
    ['gemma3:12b', ['gemma3', '!gemma3:1b'], true],
    ['library/llama3.1:8b', ['llama3.1'], true],
    ['hf.co/org/mistral-7b-gguf:Q4_K_M', ['mistral'], true],
    ['hf.co/org/repo:Q4', ['hf.co/org/'], true],
    ['mistral:7b', ['mixtral'], false],
    ['anything', [], false],
  ];
  for (const [model, patterns, expected] of cases) test(`${model} ~ ${patterns.join(',')} → ${expected}`, () => assert.equal(matchesModel(model, patterns), expected));
});

describe('default patterns', () => {
  const cases: Array<[string, readonly string[], boolean]> = [
    ['llama3.1:8b', DEFAULT_TOOL_MODELS, true],
    ['qwen3:8b', DEFAULT_TOOL_MODELS, true],
    ['gpt-oss:20b', DEFAULT_TOOL_MODELS, true],
    ['llama3.2-vision:11b', DEFAULT_TOOL_MODELS, false],
    ['qwen2.5vl:7b', DEFAULT_TOOL_MODELS, false],
    ['gemma3:4b', DEFAULT_TOOL_MODELS, false],
    ['gemma3:4b', DEFAULT_VISION_MODELS, true],
    ['gemma3:270m', DEFAULT_VISION_MODELS, false],
    ['llava:13b', DEFAULT_VISION_MODELS, true],
    ['mistral-small3.1:24b', DEFAULT_VISION_MODELS, true],
    ['llama3.1:8b', DEFAULT_VISION_MODELS, false],
    ['nomic-embed-text:latest', DEFAULT_EMBEDDING_MODELS, true],
    ['qwen3-embedding:0.6b', DEFAULT_EMBEDDING_MODELS, true],
    ['qwen3:8b', DEFAULT_EMBEDDING_MODELS, false],
  ];
  for (const [model, patterns, expected] of cases) test(`${model} → ${expected}`, () => assert.equal(matchesModel(model, patterns), expected));
});
