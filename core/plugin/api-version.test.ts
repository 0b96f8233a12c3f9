import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isStartupError } from '../errors/startup-error.ts';
import { PLUGIN_API_VERSION } from './define-plugin.ts';
import { checkApiVersion } from './loader.ts';

// A plugin declares the plugin API range it was written for; the loader takes it only when this core's
// version satisfies it (fastify-plugin's rule), and says why not with a stable code.

const major = Number(PLUGIN_API_VERSION.split('.')[0]);
const cases: Array<[string, unknown, boolean]> = [
  ['the current major as a caret range', `^${major}`, true],
  ['the current major as a bare number (the older numeric form)', major, true],
  ['a range that includes this version', `>=${major} <${major + 1}`, true],
  ['this exact version', PLUGIN_API_VERSION, true],
  ['the previous major', `^${major - 1}`, false],
  ['the previous major as a number', major - 1, false],
  ['a future major', `^${major + 1}`, false],
  ['not a range', 'latest-and-greatest', false],
  ['nothing declared', undefined, false],
  ['a fraction', 1.5, false],
];
for (const [what, declared, accepted] of cases) {
  test(`${what} (${JSON.stringify(declared)}): ${accepted ? 'accepted' : 'refused'}`, () => {
    if (accepted) {
      checkApiVersion('p', declared);
      return;
    }
    assert.throws(
      () => checkApiVersion('p', declared),
      (err: unknown) => isStartupError(err) && err.code === 'MANA_ERR_PLUGIN_API_VERSION' && /plugin "p"/.test(err.message),
    );
  });
}
