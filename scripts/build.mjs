// `npm run build`: compiles core/ and plugins/ to dist/ and copies beside them what the gateway reads at
// start (config/ and aliases.yaml), so that dist/ is a complete tree: `node dist/core/main.js` runs it,
// and the container image is this tree. Edit the originals at the repository root, then build again.
import { spawnSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const dist = join(root, 'dist');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

rmSync(dist, { recursive: true, force: true });
const compiled = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (compiled.status !== 0) process.exit(compiled.status ?? 1);
cpSync(join(root, 'config'), join(dist, 'config'), { recursive: true });
cpSync(join(root, 'aliases.yaml'), join(dist, 'aliases.yaml'));
