// Runs every *.test.ts under core/, plugins/ and test/ with node's builtin test runner (through tsx).
// Node 20's runner takes no globs, so the files are listed here.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const roots = ['core', 'plugins', 'test', 'bench'];
const filter = process.argv.slice(2);

function collect(dir, out) {
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const entry of entries) {
    if (entry === 'node_modules') continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) collect(path, out);
    else if (entry.endsWith('.test.ts')) out.push(relative(root, path));
  }
  return out;
}

const files = roots
  .flatMap((r) => collect(join(root, r), []))
  .filter((f) => filter.length === 0 || filter.some((f2) => f.includes(f2)))
  .sort();
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
// Two files at a time: most of a test's time is waiting on its fakes, child processes and timers, and
// Node's default on a 2-core machine (one file at a time) left the CPU idle half the run.
const CONCURRENCY = process.env.TEST_CONCURRENCY ?? '2';
const result = spawnSync(
  process.execPath,
  // A test that hangs fails after two minutes instead of holding CI until its limit.
  ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-timeout=120000', `--test-concurrency=${CONCURRENCY}`, ...files],
  { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } },
);
process.exit(result.status ?? 1);
