// `npm run build`: compiles core/ and plugins/ to plain JavaScript in dist/ (with source maps).
// `node dist/core/main.js` runs it and reads the checkout's config/ and aliases.yaml (core/project-root.ts);
// the container image holds the compiled files beside its own copies of those.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const dist = join(root, 'dist');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

rmSync(dist, { recursive: true, force: true });
const compiled = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (compiled.status !== 0) process.exit(compiled.status ?? 1);
