import { readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { Ajv } from 'ajv';
import yaml from 'js-yaml';
import { interpolate } from './interpolate.ts';
import { pricesSchema, type Prices } from '../callers/price-table.ts';
import { StartupError } from '../errors/startup-error.ts';

/** One plugin instance the profile asks for. */
export interface PluginEntry {
  /** A module path relative to the project root (`./plugins/ollama`) or an npm package name. */
  use: string;
  /** The instance name; defaults to the plugin's own name. */
  name?: string;
  options: Record<string, unknown>;
  /** Seconds; override the gateway-wide timeouts for this provider. */
  timeouts?: { firstToken?: number; stall?: number; attempt?: number };
  /** It runs on the platform's own hardware (a local-only caller is served by no other provider; it costs 0). */
  local?: boolean;
  /** A cap on this provider's upstream requests in flight, with a bounded queue behind it. */
  limits?: { maxConcurrent: number; maxQueue: number; overflow: 'reject' | 'fallback' };
  /** Seconds between this provider's health probes, instead of `HEALTH_PROBE_INTERVAL`. */
  probeInterval?: number;
}

export interface Profile {
  name: string;
  path: string;
  routing: {
    /** The provider that serves model names with no known provider prefix (`gemma3:4b`). */
    unprefixedProvider?: string;
    /** The model a request without `model` gets when the alias file names no default. */
    defaultModel?: string;
  };
  /** How images sent by URL are handled (see core/images). Sizes in bytes, timeout in seconds. */
  images: { fetchUrls: boolean; maxBytes: number; maxTotalBytes: number; timeout: number; allowPrivateNetworks: boolean; allowHosts: string | string[] };
  /** How the response cache (when a cache plugin is loaded) is used. */
  cache: { ttl: number; shareAcrossKeys: boolean };
  /** USD per 1M tokens by `provider/model`, over the shipped price table (config/prices.yaml). */
  prices: Prices;
  plugins: PluginEntry[];
}

const profileSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['plugins'],
  properties: {
    description: { type: 'string' },
    routing: {
      type: 'object',
      additionalProperties: false,
      properties: {
        unprefixedProvider: { type: 'string', minLength: 1 },
        defaultModel: { type: 'string', minLength: 1 },
      },
    },
    images: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        fetchUrls: { type: 'boolean', default: false },
        maxBytes: { type: 'integer', minimum: 1, default: 10485760 },
        maxTotalBytes: { type: 'integer', minimum: 1, default: 20971520 },
        timeout: { type: 'number', exclusiveMinimum: 0, default: 10 },
        allowPrivateNetworks: { type: 'boolean', default: false },
        // Trusted private hosts (`host` or `host:port`): a list, or a comma-separated string from the environment.
        allowHosts: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string', minLength: 1 } }], default: [] },
      },
    },
    prices: { ...pricesSchema, default: {} },
    cache: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        ttl: { type: 'number', minimum: 0, default: 3600 },
        shareAcrossKeys: { type: 'boolean', default: false },
      },
    },
    plugins: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['use'],
        properties: {
          use: { type: 'string', minLength: 1 },
          name: { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]*$' },
          options: { type: 'object', default: {} },
          local: { type: 'boolean', default: false },
          probeInterval: { type: 'number', exclusiveMinimum: 0 },
          timeouts: {
            type: 'object',
            additionalProperties: false,
            properties: {
              firstToken: { type: 'number', exclusiveMinimum: 0 },
              stall: { type: 'number', exclusiveMinimum: 0 },
              attempt: { type: 'number', exclusiveMinimum: 0 },
            },
          },
          limits: {
            type: 'object',
            additionalProperties: false,
            required: ['maxConcurrent'],
            properties: {
              maxConcurrent: { type: 'integer', minimum: 1 },
              maxQueue: { type: 'integer', minimum: 0, default: 0 },
              overflow: { enum: ['reject', 'fallback'], default: 'fallback' },
            },
          },
        },
      },
    },
  },
} as const;

const validateProfile = new Ajv({ allErrors: true, useDefaults: true, coerceTypes: true, strict: false }).compile(profileSchema);

/** Files of `config/` that are not profiles. */
export const NOT_PROFILES: ReadonlySet<string> = new Set(['prices.yaml']);

/**
 * Where a profile is: a value with a `/` or ending in `.yaml` / `.yml` is the path of a profile file
 * anywhere (relative to the working directory — the one `npm start` was typed in, `INIT_CWD`, since npm
 * runs scripts in the project folder), so a deployment can keep its profile outside the checkout; any other value names `config/<name>.yaml` of the project. The name logs show is the file's
 * base name. Plugin paths (`use: ./plugins/…`) stay relative to the project root either way.
 */
export function profileLocation(root: string, value: string, cwd: string = process.env.INIT_CWD || process.cwd()): { name: string; path: string; isPath: boolean } {
  if (value.includes('/') || value.includes('\\') || /\.ya?ml$/.test(value)) {
    const path = resolve(cwd, value);
    return { name: basename(path).replace(/\.ya?ml$/, ''), path, isPath: true };
  }
  if (NOT_PROFILES.has(`${value}.yaml`)) throw new StartupError('MANA_ERR_PROFILE_NOT_FOUND', `config/${value}.yaml is the price table, not a profile: set MANA_LLM_PROFILE to a profile (default, macmini, gpu-server) or a profile file's path`);
  if (!/^[A-Za-z0-9_.-]+$/.test(value)) throw new StartupError('MANA_ERR_PROFILE_NOT_FOUND', `MANA_LLM_PROFILE "${value}" is not a profile name (letters, digits, - _ .) nor a path (one with a / or ending in .yaml)`);
  return { name: value, path: join(root, 'config', `${value}.yaml`), isPath: false };
}

/** Reads the profile `value` names (see profileLocation), fills in `${VAR}`s, and checks its shape; any problem is a StartupError. */
export async function loadProfile(root: string, value: string, env: Record<string, string | undefined>): Promise<Profile> {
  const { name, path, isPath } = profileLocation(root, value);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new StartupError(
      'MANA_ERR_PROFILE_NOT_FOUND',
      isPath
        ? `profile file ${path} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}): MANA_LLM_PROFILE "${value}" is taken as a path, relative to ${process.env.INIT_CWD || process.cwd()}`
        : `profile "${name}" not found: expected ${path} (set MANA_LLM_PROFILE to one of the files in config/, or to a profile file's path)`,
    );
  }
  let parsed: unknown;
  try {
    parsed = yaml.load(text);
  } catch (err) {
    throw new StartupError('MANA_ERR_PROFILE_INVALID', `profile ${path} is not valid YAML: ${(err as Error).message}`);
  }
  const data = interpolate(parsed, env);
  if (!validateProfile(data)) {
    const detail = (validateProfile.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ');
    throw new StartupError('MANA_ERR_PROFILE_INVALID', `profile ${path} is invalid: ${detail}`);
  }
  const profile = data as unknown as Omit<Profile, 'name' | 'path'>;
  return { name, path, routing: profile.routing ?? {}, images: profile.images, cache: profile.cache, prices: profile.prices, plugins: profile.plugins };
}
