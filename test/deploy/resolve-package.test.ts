import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { after, test } from 'node:test';
import { StartupError } from '../../core/errors/startup-error.ts';
import { resolvePackage } from '../../core/plugin/resolve-package.ts';

// A plugin named by package name is found in <root>/node_modules the way `import` would find it there.

const roots: string[] = [];
after(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

/** A temporary project with one installed package: its package.json fields and its files. */
function project(name: string, manifest: Record<string, unknown>, files: string[]): string {
  const root = mkdtempSync(join(tmpdir(), 'mana-llm-resolve-'));
  roots.push(root);
  const folder = join(root, 'node_modules', ...name.split('/'));
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'package.json'), JSON.stringify({ name, type: 'module', ...manifest }));
  for (const file of files) {
    mkdirSync(dirname(join(folder, file)), { recursive: true });
    writeFileSync(join(folder, file), 'export default {};\n');
  }
  return root;
}

test('entry points a package may declare', () => {
  const cases: Array<{ why: string; manifest: Record<string, unknown>; files: string[]; expected: string; specifier?: string; name?: string }> = [
    { why: 'exports as a string', manifest: { exports: './main.js' }, files: ['main.js'], expected: 'main.js' },
    { why: 'exports "." as a string', manifest: { exports: { '.': './main.js' } }, files: ['main.js'], expected: 'main.js' },
    { why: 'import wins over require', manifest: { exports: { '.': { require: './cjs.cjs', import: './esm.js' } } }, files: ['esm.js', 'cjs.cjs'], expected: 'esm.js' },
    { why: 'default when there is no import', manifest: { exports: { '.': { require: './cjs.cjs', default: './any.js' } } }, files: ['any.js'], expected: 'any.js' },
    { why: 'conditions at the top level', manifest: { exports: { import: './esm.js', default: './any.js' } }, files: ['esm.js'], expected: 'esm.js' },
    { why: 'nested conditions, in key order', manifest: { exports: { '.': { types: './x.d.ts', node: { import: './node.js' }, default: './any.js' } } }, files: ['node.js'], expected: 'node.js' },
    { why: 'a fallback array', manifest: { exports: { '.': [{ worker: './w.js' }, './main.js'] } }, files: ['main.js'], expected: 'main.js' },
    { why: 'main', manifest: { main: 'lib/entry.js' }, files: ['lib/entry.js'], expected: 'lib/entry.js' },
    { why: 'main without its extension', manifest: { main: 'lib/entry' }, files: ['lib/entry.js'], expected: 'lib/entry.js' },
    { why: 'main naming a folder', manifest: { main: 'lib' }, files: ['lib/index.js'], expected: 'lib/index.js' },
    { why: 'neither: index.js', manifest: {}, files: ['index.js'], expected: 'index.js' },
    { why: 'a scoped name', name: '@acme/mana-llm-plugin-x', manifest: { exports: './main.js' }, files: ['main.js'], expected: 'main.js' },
    { why: 'a subpath export', specifier: 'mana-llm-plugin-x/extra', manifest: { exports: { '.': './main.js', './extra': './extra.js' } }, files: ['extra.js'], expected: 'extra.js' },
  ];
  for (const c of cases) {
    const name = c.name ?? 'mana-llm-plugin-x';
    const root = project(name, c.manifest, c.files);
    const found = resolvePackage(c.specifier ?? name, root);
    assert.equal(relative(join(root, 'node_modules', ...name.split('/')), found).replaceAll('\\', '/'), c.expected, c.why);
  }
});

test('what cannot be resolved is a StartupError that says what to do', () => {
  const cases: Array<{ why: string; specifier: string; root: string; message: RegExp }> = [
    { why: 'not installed', specifier: 'mana-llm-plugin-missing', root: project('other', {}, ['index.js']), message: /package "mana-llm-plugin-missing" is not installed: expected .*node_modules.*package\.json \(run `npm install mana-llm-plugin-missing`/ },
    { why: 'no import condition', specifier: 'mana-llm-plugin-x', root: project('mana-llm-plugin-x', { exports: { '.': { require: './cjs.cjs' } } }, ['cjs.cjs']), message: /exports no "\." entry for import/ },
    { why: 'entry file missing', specifier: 'mana-llm-plugin-x', root: project('mana-llm-plugin-x', { exports: './gone.js' }, []), message: /names \.\/gone\.js as its entry, but .* does not exist/ },
    { why: 'escapes its folder', specifier: 'mana-llm-plugin-x', root: project('mana-llm-plugin-x', { main: '../../secret.js' }, []), message: /points outside its folder/ },
    { why: 'not a package name', specifier: 'mana-llm-plugin-x/../../etc', root: project('mana-llm-plugin-x', {}, []), message: /not a package name or a path/ },
  ];
  for (const c of cases) {
    assert.throws(() => resolvePackage(c.specifier, c.root), (err: Error) => {
      assert.ok(err instanceof StartupError, c.why);
      assert.match(err.message, c.message, c.why);
      assert.match(err.message, new RegExp(`^plugin "${c.specifier.replace(/[./]/g, '\\$&')}"`), c.why);
      return true;
    });
  }
});
