/**
 * Why the gateway cannot start, as a stable word (like Fastify's `FST_ERR_*`): tests, scripts and
 * `check-config` match the code, never the prose, so a message may be reworded freely.
 */
export type StartupErrorCode =
  /** An environment variable that does not parse (`PORT=abc`). */
  | 'MANA_ERR_SETTING'
  /** `MANA_LLM_PROFILE` names no readable profile file. */
  | 'MANA_ERR_PROFILE_NOT_FOUND'
  /** The profile is not YAML, or its shape is wrong. */
  | 'MANA_ERR_PROFILE_INVALID'
  /** `routing.unprefixedProvider` names no provider of the profile. */
  | 'MANA_ERR_PROFILE_ROUTING'
  /** The alias file cannot be read or is invalid. */
  | 'MANA_ERR_ALIAS_FILE'
  /** The shipped price table (config/prices.yaml) or a profile's `prices:` is invalid. */
  | 'MANA_ERR_PRICES'
  /** The callers file cannot be read or is invalid (or `CALLERS_PATH` names no file). */
  | 'MANA_ERR_CALLERS_FILE'
  /** A plugin's `use` is neither a path nor an installed package, or its module does not load. */
  | 'MANA_ERR_PLUGIN_LOAD'
  /** The module loads but its default export is not a plugin definition (or declares an unknown kind). */
  | 'MANA_ERR_PLUGIN_INVALID'
  /** The plugin is written for a plugin API version range this core does not satisfy. */
  | 'MANA_ERR_PLUGIN_API_VERSION'
  /** Two plugin instances of the profile share a name. */
  | 'MANA_ERR_PLUGIN_NAME_TAKEN'
  /** The plugin's options do not match its schema (or the schema itself is broken). */
  | 'MANA_ERR_PLUGIN_OPTIONS'
  /** The plugin's `create` threw, or returned something that is not what its kind promises. */
  | 'MANA_ERR_PLUGIN_CREATE'
  /** The port cannot be bound. */
  | 'MANA_ERR_LISTEN';

/** A problem that stops the gateway from starting; its message names what to fix, its code what kind it is. */
export class StartupError extends Error {
  constructor(
    readonly code: StartupErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StartupError';
  }
}

/** Guard that works across module copies (a compiled tree beside the sources), unlike `instanceof`. */
export function isStartupError(err: unknown): err is StartupError {
  if (!(err instanceof Error) || err.name !== 'StartupError') return false;
  const code: unknown = (err as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('MANA_ERR_');
}
