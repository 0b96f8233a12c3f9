import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Ajv } from 'ajv';
import yaml from 'js-yaml';
import { interpolateString } from '../config/interpolate.ts';
import type { Caller, CallerLimits, Priority } from './caller.ts';
import { ModelAllowList, patternProblem } from './model-allow-list.ts';

/** The callers file cannot be read or is invalid; the message says what to fix (at start and on SIGHUP). Never holds a key. */
export class CallersFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CallersFileError';
  }
}

/** One loaded callers file: immutable, so a request keeps the caller it started with across a reload. */
export interface CallerSet {
  readonly callers: ReadonlyMap<string, Caller>;
  /** SHA-256 of each key (hex) → its caller. */
  readonly byKeyDigest: ReadonlyMap<string, Caller>;
}

/** What a callers file is checked against: the names it may refer to, and the keys the caller `default` already has. */
export interface CallersFileContext {
  aliasNames: readonly string[];
  providerNames: readonly string[];
  /** `API_KEYS` / `GPU_API_KEY`: a key may belong to one caller only. */
  defaultKeys: readonly string[];
  env: Record<string, string | undefined>;
}

const NAME = '^[A-Za-z0-9][A-Za-z0-9._-]*$';

const schema = {
  type: 'object',
  additionalProperties: false,
  required: ['callers'],
  properties: {
    callers: {
      type: 'object',
      propertyNames: { pattern: NAME },
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        required: ['keys'],
        properties: {
          keys: { type: 'array', minItems: 1, items: { type: 'string' } },
          models: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
          localOnly: { type: 'boolean' },
          priority: { enum: ['high', 'normal', 'low'] },
          admin: { type: 'boolean' },
          limits: {
            type: 'object',
            additionalProperties: false,
            properties: {
              requestsPerMinute: { type: 'integer', minimum: 1 },
              tokensPerMinute: { type: 'integer', minimum: 1 },
              concurrent: { type: 'integer', minimum: 1 },
            },
          },
          budget: {
            type: 'object',
            additionalProperties: false,
            required: ['usdPerDay'],
            properties: { usdPerDay: { type: 'number', minimum: 0 } },
          },
        },
      },
    },
  },
} as const;

const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

interface CallerEntry {
  keys: string[];
  models?: string[];
  localOnly?: boolean;
  priority?: Priority;
  admin?: boolean;
  limits?: CallerLimits;
  budget?: { usdPerDay: number };
}

const HASHED = /^sha256:([0-9a-fA-F]{64})$/;

/** SHA-256 of a key, hex: how keys are kept and compared (a plain key is never kept). */
export function keyDigest(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/**
 * Parses and validates callers-file text. `${VAR}` in a key is taken from the environment (a key that
 * comes out empty is refused, naming its variable); `sha256:<hex>` is a key's digest, so the file can be
 * committed. Every problem is a CallersFileError that names the caller and what to fix, never a key.
 */
export function parseCallersFile(text: string, source: string, context: CallersFileContext): CallerSet {
  let data: unknown;
  try {
    data = yaml.load(text);
  } catch (err) {
    throw new CallersFileError(`${source} is not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  if (!validate(data)) throw new CallersFileError(`${source} is invalid: ${(validate.errors ?? []).map(describe).join('; ')}`);
  const entries = (data as { callers: Record<string, CallerEntry> }).callers;
  const problems: string[] = [];
  const owners = new Map<string, string>();
  for (const key of context.defaultKeys) owners.set(keyDigest(key), 'default (API_KEYS / GPU_API_KEY)');
  const callers = new Map<string, Caller>();
  const byKeyDigest = new Map<string, Caller>();

  for (const [name, entry] of Object.entries(entries)) {
    if (name === 'default') {
      problems.push('callers.default: "default" is the caller of API_KEYS / GPU_API_KEY; give this caller another name');
      continue;
    }
    const digests: string[] = [];
    entry.keys.forEach((raw, index) => {
      const where = `callers.${name}.keys[${index}]`;
      const hashed = HASHED.exec(raw.trim());
      const digest = hashed ? hashed[1]!.toLowerCase() : plainKeyDigest(raw, where, context.env, problems);
      if (digest === undefined) return;
      const owner = owners.get(digest);
      if (owner !== undefined) {
        problems.push(`${where}: this key is already a key of ${owner === name ? 'this caller' : `caller ${owner}`}; a key may belong to one caller only`);
        return;
      }
      owners.set(digest, name);
      digests.push(digest);
    });
    for (const pattern of entry.models ?? []) {
      const problem = patternProblem(pattern, context.aliasNames, context.providerNames);
      if (problem) problems.push(`callers.${name}.models: ${problem}`);
    }
    const caller: Caller = Object.freeze({
      name,
      cacheScope: `caller:${name}`,
      admin: entry.admin ?? false,
      priority: entry.priority ?? 'normal',
      localOnly: entry.localOnly ?? false,
      models: entry.models ? new ModelAllowList(entry.models) : undefined,
      limits: entry.limits && Object.keys(entry.limits).length > 0 ? Object.freeze({ ...entry.limits }) : undefined,
      budgetUsdPerDay: entry.budget?.usdPerDay,
    });
    callers.set(name, caller);
    for (const digest of digests) byKeyDigest.set(digest, caller);
  }
  if (problems.length > 0) throw new CallersFileError(`${source} is invalid: ${problems.join('; ')}`);
  return { callers, byKeyDigest };
}

/** The digest of a plain key after `${VAR}` substitution, or undefined (with the problem recorded) when it comes out empty. */
function plainKeyDigest(raw: string, where: string, env: Record<string, string | undefined>, problems: string[]): string | undefined {
  const key = interpolateString(raw, env).trim();
  if (key !== '') return keyDigest(key);
  const variables = [...raw.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]);
  problems.push(variables.length > 0 ? `${where} is empty: set ${variables.join(', ')} in the environment` : `${where} is empty`);
  return undefined;
}

export async function readCallersFile(path: string, context: CallersFileContext): Promise<CallerSet> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new CallersFileError(`cannot read callers file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return parseCallersFile(text, path, context);
}

function describe(error: { instancePath: string; keyword: string; message?: string; params: Record<string, unknown> }): string {
  const where = error.instancePath ? error.instancePath.slice(1).replaceAll('/', '.') : 'the file';
  switch (error.keyword) {
    case 'additionalProperties':
      return `${where}: unknown key "${String(error.params.additionalProperty)}"`;
    case 'propertyNames':
      return `caller "${String(error.params.propertyName)}": a name is letters, digits, ".", "_" and "-"`;
    case 'enum':
      return `${where} must be one of ${((error.params.allowedValues as unknown[]) ?? []).join(', ')}`;
    case 'minItems':
      return `${where} is empty`;
    default:
      return `${where} ${error.message ?? 'is invalid'}`;
  }
}
