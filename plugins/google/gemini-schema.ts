import { InvalidRequestError } from '../../core/index.ts';

type Schema = Record<string, unknown>;

// The JSON Schema keywords the Gemini API documents for `parametersJsonSchema` and `responseJsonSchema`
// (plus its own `propertyOrdering`). Anything else (`$schema`, `default`, `pattern`, `if`/`then`, …) is
// dropped: the API either ignores it or answers 400, and a caller cannot fix what it cannot see.
const KEPT = new Set([
  '$id', '$anchor', '$ref', 'type', 'format', 'title', 'description', 'enum', 'items', 'prefixItems',
  'minItems', 'maxItems', 'minimum', 'maximum', 'anyOf', 'properties', 'additionalProperties',
  'required', 'propertyOrdering', '$defs',
]);

/**
 * Turns a caller's JSON Schema (an OpenAI tool's `parameters`, a `json_schema.schema`) into one the
 * Gemini API accepts. `param` is the request path of the schema, used in errors.
 */
export function toGeminiSchema(schema: unknown, param: string): Schema {
  if (!isObject(schema)) throw new InvalidRequestError(`${param} must be a JSON Schema object.`, param);
  return clean(schema, param);
}

function clean(input: Schema, param: string): Schema {
  const schema = mergeAllOf(input, param);
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    const path = `${param}.${key}`;
    switch (key) {
      case 'properties':
      case '$defs':
      case 'definitions':
        out[key === 'definitions' ? '$defs' : key] = mapValues(value, path);
        break;
      case 'items':
      case 'additionalProperties':
        out[key] = isObject(value) ? clean(value, path) : value;
        break;
      case 'prefixItems':
      case 'anyOf':
      case 'oneOf':
        // Gemini reads `oneOf` as `anyOf`; saying so keeps the request inside the documented subset.
        out[key === 'oneOf' ? 'anyOf' : key] = mapList(value, path);
        break;
      case 'const':
        out.enum = [value];
        break;
      case '$ref':
        out.$ref = localRef(value, path);
        break;
      default:
        if (KEPT.has(key)) out[key] = value;
    }
  }
  return out;
}

/** `allOf` has no Gemini counterpart; its members are folded into the schema that holds it. */
function mergeAllOf(schema: Schema, param: string): Schema {
  if (!Array.isArray(schema.allOf)) return schema;
  const { allOf, ...rest } = schema;
  const merged: Schema = { ...rest };
  (allOf as unknown[]).forEach((member, i) => {
    if (!isObject(member)) throw new InvalidRequestError(`${param}.allOf[${i}] must be a schema object.`, `${param}.allOf[${i}]`);
    const part = mergeAllOf(member, `${param}.allOf[${i}]`);
    for (const [key, value] of Object.entries(part)) {
      if (key === 'properties' && isObject(value)) merged.properties = { ...(merged.properties as Schema | undefined), ...value };
      else if (key === 'required' && Array.isArray(value)) merged.required = [...new Set([...((merged.required as unknown[]) ?? []), ...value])];
      else if (!(key in merged)) merged[key] = value;
    }
  });
  return merged;
}

function localRef(value: unknown, param: string): string {
  if (typeof value !== 'string' || !value.startsWith('#')) {
    throw new InvalidRequestError(`${param} must be a local reference ("#/$defs/…"); Gemini cannot fetch remote schemas.`, param);
  }
  return value.replace(/^#\/definitions\//, '#/$defs/');
}

function mapValues(value: unknown, param: string): unknown {
  if (!isObject(value)) return value;
  const out: Schema = {};
  for (const [name, member] of Object.entries(value)) out[name] = isObject(member) ? clean(member, `${param}.${name}`) : member;
  return out;
}

function mapList(value: unknown, param: string): unknown {
  if (!Array.isArray(value)) return value;
  return value.map((member, i) => (isObject(member) ? clean(member, `${param}[${i}]`) : member));
}

export function isObject(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
