import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the running code lives: the repository when the TypeScript sources run (`npm start`, tests), the
 * compiled tree `dist/` after `npm run build`, the image's /app in the container.
 */
export const CODE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The project root: the folder that holds package.json, config/ and aliases.yaml. It is the code root
 * itself, except for the compiled tree in a checkout (`node dist/core/main.js`), which reads the
 * checkout's profiles and alias file, so that an edited aliases.yaml is what SIGHUP reloads.
 */
export const PROJECT_ROOT = existsSync(resolve(CODE_ROOT, 'package.json')) ? CODE_ROOT : resolve(CODE_ROOT, '..');

/**
 * A project-relative path to code (`./plugins/ollama`) as the running code has it: in the compiled tree
 * of a checkout the built-in plugins are compiled under dist/, beside core/. Other roots (tests, a
 * project's own plugin folders) resolve as given.
 */
export function codePath(root: string, relativePath: string): string {
  if (root === PROJECT_ROOT && CODE_ROOT !== PROJECT_ROOT) {
    const compiled = resolve(CODE_ROOT, relativePath);
    if (existsSync(compiled)) return compiled;
  }
  return resolve(root, relativePath);
}
