import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { InvalidRequestError } from '../../errors/invalid-request-error.ts';
import { nestsDeeperThan } from './nesting-depth.ts';

/** Far deeper than any real request (a tool's JSON Schema may nest a dozen levels); a guard for recursion. */
const MAX_DEPTH = 64;

// One Ajv for every request schema, compiled once at start. `verbose` keeps the failing schema node at
// hand so the message can say what the field should be (its `description`).
const ajv = new Ajv({ allErrors: true, verbose: true, strict: false, coerceTypes: false, useDefaults: false });

/** Compiles a request schema into a function that returns the typed body or throws a 400 naming the field. */
export function requestValidator<T>(schema: Record<string, unknown>): (body: unknown) => T {
  const validate: ValidateFunction = ajv.compile(schema);
  return (body: unknown): T => {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw new InvalidRequestError('The request body must be a JSON object.');
    }
    if (nestsDeeperThan(body, MAX_DEPTH)) throw new InvalidRequestError(`The request body nests deeper than ${MAX_DEPTH} levels.`);
    if (validate(body)) return body as T;
    throw toInvalidRequest(validate.errors ?? []);
  };
}

/** `/messages/0/content` → `messages[0].content`. */
export function paramPath(instancePath: string, missing?: string): string {
  const segments = instancePath.split('/').slice(1);
  if (missing !== undefined) segments.push(missing);
  let out = '';
  for (const raw of segments) {
    const segment = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    out += /^\d+$/.test(segment) ? `[${segment}]` : out === '' ? segment : `.${segment}`;
  }
  return out;
}

/**
 * Picks the most telling error: the deepest field wins (a bad part inside an array says more than "the
 * content is wrong"); at equal depth a summarizing anyOf/oneOf wins over its branches' noise.
 */
function toInvalidRequest(errors: ErrorObject[]): InvalidRequestError {
  const depth = (e: ErrorObject) => e.instancePath.split('/').length + (e.keyword === 'required' ? 1 : 0);
  const summarizing = (e: ErrorObject) => e.keyword === 'anyOf' || e.keyword === 'oneOf';
  const relevant = errors.filter((e) => e.keyword !== 'if');
  let best = relevant[0]!;
  for (const error of relevant) {
    if (depth(error) > depth(best) || (depth(error) === depth(best) && summarizing(error) && !summarizing(best))) best = error;
  }
  const missing = best.keyword === 'required' ? String((best.params as { missingProperty: string }).missingProperty) : undefined;
  const param = paramPath(best.instancePath, missing);
  return new InvalidRequestError(`${describe(best, param)}`, param || null);
}

function describe(error: ErrorObject, param: string): string {
  const field = param === '' ? 'The request body' : `\`${param}\``;
  const expected = (error.parentSchema as { description?: string } | undefined)?.description;
  switch (error.keyword) {
    case 'required':
      return `${field} is required.`;
    case 'additionalProperties':
      return `${field} has an unknown field "${String((error.params as { additionalProperty: string }).additionalProperty)}".`;
    case 'enum':
      return `${field} must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}.`;
    case 'const':
      return `${field} must be ${JSON.stringify((error.params as { allowedValue: unknown }).allowedValue)}.`;
    default:
      return expected ? `${field} must be ${expected}.` : `${field} ${error.message ?? 'is invalid'}.`;
  }
}
