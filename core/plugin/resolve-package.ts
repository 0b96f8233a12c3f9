import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { StartupError } from '../errors/startup-error.ts';

// A third-party plugin is an npm package installed in the project. It is looked up in the project
// root's node_modules only — not wherever Node's resolution would wander from core/ — so that the
// profile means the same thing in a checkout, in the container image and in a test's temporary root.

/** The conditions an ESM import of a plugin matches in `exports`, as Node's own resolver would. */
const CONDITIONS = new Set(['node', 'import', 'default']);

// npm's rules for a package name, loosely: optional @scope/, then a name; an optional /subpath after it.
const PACKAGE = /^((?:@[a-z0-9~][a-z0-9._~-]*\/)?[a-z0-9~][a-z0-9._~-]*)(\/.+)?$/i;

interface PackageJson {
  exports?: unknown;
  main?: unknown;
}

/** The absolute path of the file `import(name)` should load, for a package installed under `<root>/node_modules`. */
export function resolvePackage(specifier: string, root: string): string {
  const match = PACKAGE.exec(specifier);
  if (!match || specifier.split('/').some((part) => part === '..' || part === '.')) {
    throw new StartupError('MANA_ERR_PLUGIN_LOAD', `plugin "${specifier}": not a package name or a path (paths start with ./ or /)`);
  }
  const name = match[1]!;
  const subpath = match[2] ? `.${match[2]}` : '.';
  const folder = join(root, 'node_modules', ...name.split('/'));
  const manifestPath = join(folder, 'package.json');
  if (!existsSync(manifestPath)) {
    throw new StartupError(
      'MANA_ERR_PLUGIN_LOAD',
      `plugin "${specifier}": package "${name}" is not installed: expected ${manifestPath} (run \`npm install ${name}\` in ${root})`,
    );
  }
  let manifest: PackageJson;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as PackageJson;
  } catch (err) {
    throw new StartupError('MANA_ERR_PLUGIN_LOAD', `plugin "${specifier}": ${manifestPath} is not valid JSON: ${(err as Error).message}`);
  }
  const usesExports = manifest.exports !== undefined;
  const target = usesExports ? fromExports(manifest.exports, subpath) : fromMain(manifest, subpath);
  if (target === undefined) {
    throw new StartupError(
      'MANA_ERR_PLUGIN_LOAD',
      `plugin "${specifier}": package "${name}" exports no "${subpath}" entry for import (its package.json "exports" has no import or default condition for it)`,
    );
  }
  const entry = join(folder, target);
  const inside = relative(folder, entry);
  if (inside.startsWith('..') || isAbsolute(inside)) throw new StartupError('MANA_ERR_PLUGIN_LOAD', `plugin "${specifier}": package "${name}" points outside its folder (${target})`);
  // `exports` targets are exact; a legacy `main` may omit the extension or name a folder.
  const candidates = usesExports ? [entry] : [entry, `${entry}.js`, `${entry}.mjs`, join(entry, 'index.js')];
  const file = candidates.find((path) => existsSync(path) && statSync(path).isFile());
  if (!file) throw new StartupError('MANA_ERR_PLUGIN_LOAD', `plugin "${specifier}": package "${name}" names ${target} as its entry, but ${entry} does not exist`);
  return file;
}

/** `exports` as a string, an array of fallbacks, a subpath map (`{".": …}`) or a conditions object. */
function fromExports(exports: unknown, subpath: string): string | undefined {
  if (isSubpathMap(exports)) {
    const entry = (exports as Record<string, unknown>)[subpath];
    return entry === undefined ? undefined : fromTarget(entry);
  }
  return subpath === '.' ? fromTarget(exports) : undefined;
}

function isSubpathMap(exports: unknown): boolean {
  return typeof exports === 'object' && exports !== null && !Array.isArray(exports) && Object.keys(exports).some((key) => key.startsWith('.'));
}

/** A target is a path, or conditions tried in their own key order (Node's rule), nested as deep as needed. */
function fromTarget(target: unknown): string | undefined {
  if (typeof target === 'string') return target;
  if (Array.isArray(target)) {
    for (const item of target) {
      const found = fromTarget(item);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (typeof target === 'object' && target !== null) {
    for (const [condition, value] of Object.entries(target)) {
      if (!CONDITIONS.has(condition)) continue;
      const found = fromTarget(value);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** Without `exports`: `main`, else index.js; a subpath is a file inside the package. */
function fromMain(manifest: PackageJson, subpath: string): string {
  if (subpath !== '.') return subpath;
  if (typeof manifest.main === 'string' && manifest.main !== '') return manifest.main;
  return 'index.js';
}
