import { readFile } from 'node:fs/promises';
import { Ajv } from 'ajv';
import yaml from 'js-yaml';
import { AliasFileError } from '../errors/alias-file-error.ts';

export interface Alias {
  name: string;
  description: string;
  /** `provider/model` entries, tried in order. */
  chain: string[];
  /** Seconds answers of this alias stay cached (overrides the profile's); 0 turns caching off for it. */
  cacheTtl?: number;
}

/** One loaded alias file: immutable, so a request keeps the chain it started with across a reload. */
export interface AliasSet {
  default: string | null;
  aliases: ReadonlyMap<string, Alias>;
}


const schema = {
  type: 'object',
  additionalProperties: false,
  required: ['aliases'],
  properties: {
    default: { type: ['string', 'null'] },
    aliases: {
      type: 'object',
      propertyNames: { pattern: '^mana/[A-Za-z0-9][A-Za-z0-9._-]*$' },
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        required: ['chain'],
        properties: {
          description: { type: 'string' },
          cacheTtl: { type: 'integer', minimum: 0 },
          chain: {
            type: 'array',
            minItems: 1,
            items: { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]*/.+$' },
          },
        },
      },
    },
  },
} as const;

const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

/** Parses and validates alias-file text; every problem is an AliasFileError whose message says what to fix. */
export function parseAliasFile(text: string, source: string): AliasSet {
  let data: unknown;
  try {
    data = yaml.load(text);
  } catch (err) {
    throw new AliasFileError(`${source} is not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  if (!validate(data)) {
    throw new AliasFileError(`${source} is invalid: ${(validate.errors ?? []).map(describe).join('; ')}`);
  }
  const file = data as { default?: string | null; aliases: Record<string, { description?: string; chain: string[]; cacheTtl?: number }> };
  const aliases = new Map<string, Alias>();
  for (const [name, entry] of Object.entries(file.aliases)) {
    const alias: Alias = { name, description: entry.description ?? '', chain: [...entry.chain] };
    if (entry.cacheTtl !== undefined) alias.cacheTtl = entry.cacheTtl;
    aliases.set(name, alias);
  }
  const defaultAlias = file.default ?? null;
  if (defaultAlias !== null && !aliases.has(defaultAlias)) {
    throw new AliasFileError(`${source} is invalid: default "${defaultAlias}" names no alias of the file`);
  }
  return { default: defaultAlias, aliases };
}

export async function readAliasFile(path: string): Promise<AliasSet> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new AliasFileError(`cannot read alias file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return parseAliasFile(text, path);
}

function describe(error: { instancePath: string; keyword: string; message?: string; params: Record<string, unknown> }): string {
  const where = error.instancePath ? error.instancePath.slice(1).replaceAll('/', '.').replace('aliases.mana.', 'aliases.mana/') : 'the file';
  switch (error.keyword) {
    case 'additionalProperties':
      return `${where}: unknown key "${String(error.params.additionalProperty)}"`;
    case 'propertyNames':
      return `alias "${String(error.params.propertyName)}" must be named mana/<name>`;
    case 'minItems':
      return `${where}: the chain is empty; list at least one provider/model`;
    case 'pattern':
      return `${where}: "${where}" entry must be provider/model (such as groq/llama-3.1-8b-instant)`;
    default:
      return `${where} ${error.message ?? 'is invalid'}`;
  }
}
