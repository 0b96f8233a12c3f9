import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dockerIgnore } from './docker-ignore.ts';
import { parseCommand, parseCopy, parseDockerfile, parseEnv, parseHealthcheck } from './dockerfile.ts';

// The container-assembly test is only as good as its reading of the Dockerfile and .dockerignore.

test('stages, continuation lines and comments', () => {
  const stages = parseDockerfile(
    [
      '# syntax=docker/dockerfile:1',
      'FROM node:24-slim AS deps',
      'WORKDIR /app',
      'RUN npm ci \\',
      '  # a comment inside a continued line is dropped',
      '  --omit=dev',
      '',
      'from node:24-slim',
      'HEALTHCHECK --interval=30s \\',
      '  CMD node -e "1"',
      'CMD ["node", "main.js"]',
    ].join('\n'),
  );
  assert.deepEqual(
    stages.map((s) => ({ image: s.image, name: s.name, keywords: s.instructions.map((i) => `${i.keyword} ${i.args}`) })),
    [
      { image: 'node:24-slim', name: 'deps', keywords: ['WORKDIR /app', 'RUN npm ci --omit=dev'] },
      { image: 'node:24-slim', name: undefined, keywords: ['HEALTHCHECK --interval=30s CMD node -e "1"', 'CMD ["node", "main.js"]'] },
    ],
  );
});

test('COPY forms', () => {
  const cases: Array<[string, ReturnType<typeof parseCopy>]> = [
    ['core ./core', { sources: ['core'], dest: './core' }],
    ['package.json package-lock.json ./', { sources: ['package.json', 'package-lock.json'], dest: './' }],
    ['--from=deps /app/node_modules ./node_modules', { from: 'deps', sources: ['/app/node_modules'], dest: './node_modules' }],
    ['--chown=node:node --link aliases.yaml ./', { sources: ['aliases.yaml'], dest: './' }],
    ['["a b.txt", "./"]', { sources: ['a b.txt'], dest: './' }],
  ];
  for (const [args, expected] of cases) assert.deepEqual(parseCopy(args), expected, args);
});

test('ENV, CMD and HEALTHCHECK forms', () => {
  assert.deepEqual(parseEnv('NODE_ENV=production PORT=3025'), { NODE_ENV: 'production', PORT: '3025' });
  assert.deepEqual(parseEnv('GREETING="hello world" EMPTY='), { GREETING: 'hello world', EMPTY: '' });
  assert.deepEqual(parseEnv('LEGACY some value'), { LEGACY: 'some value' });
  assert.deepEqual(parseCommand('["node", "--import", "tsx", "core/main.ts"]'), ['node', '--import', 'tsx', 'core/main.ts']);
  assert.deepEqual(parseCommand('npm ci --omit=dev'), ['/bin/sh', '-c', 'npm ci --omit=dev']);
  assert.deepEqual(parseHealthcheck('--interval=30s --retries=3 CMD curl -f http://localhost/health'), {
    options: { interval: '30s', retries: '3' },
    command: ['/bin/sh', '-c', 'curl -f http://localhost/health'],
  });
  assert.equal(parseHealthcheck('NONE'), undefined);
});

test('.dockerignore patterns', () => {
  const ignored = dockerIgnore(['# comment', 'node_modules', '/build', '**/*.test.ts', 'docs/*.md', '.env', '.env.*', '!.env.example', 'tmp?'].join('\n'));
  const cases: Array<[string, boolean]> = [
    ['node_modules/koa/index.js', true], // a folder pattern excludes what is under it
    ['build/out.js', true],
    ['src/build/out.js', false], // patterns are anchored at the context root
    ['core/x.test.ts', true],
    ['x.test.ts', true], // `**/` matches zero folders too
    ['core/x.ts', false],
    ['docs/guide.md', true],
    ['docs/sub/guide.md', false], // `*` stays within one segment
    ['.env', true],
    ['.env.production', true],
    ['.env.example', false], // `!` re-includes; the last match wins
    ['tmp1/file', true],
    ['tmp12/file', false],
  ];
  for (const [path, expected] of cases) assert.equal(ignored(path), expected, path);
});
