/**
 * Compiles an agent's `returns` (calls.md → Structured results; validated by `returns.ts`) to the
 * JSON Schema the extraction model answers with and the result is validated against. Every key is
 * required and nullable, so "the caller never said" has one spelling (`null`) that the schema
 * allows and strict structured-output modes (OpenAI `strict`, Anthropic `output_config`) accept:
 * they require every property to be listed in `required` and `additionalProperties: false`.
 */
import type { JsonSchema } from '../providers/llm.ts';

/** `YYYY-MM-DD` with a real month and day range. */
export const DATE_PATTERN = '^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])$';
/** ISO 8601 date and time with seconds optional and a mandatory offset (`Z` or `±HH:MM`). */
export const DATETIME_PATTERN = '^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])T([01]\\d|2[0-3]):[0-5]\\d(:[0-5]\\d(\\.\\d{1,9})?)?(Z|[+-]([01]\\d|2[0-3]):[0-5]\\d)$';
/** E.164 (ITU-T E.164 §6: at most 15 digits, no leading zero in the country code). */
export const PHONE_PATTERN = '^\\+[1-9]\\d{1,14}$';

/** What a pattern means, for descriptions and for validation messages a model can act on. */
export const PATTERN_MEANING: Readonly<Record<string, string>> = {
  [DATE_PATTERN]: 'a date as YYYY-MM-DD (2026-11-24)',
  [DATETIME_PATTERN]: 'an ISO 8601 date and time with a UTC offset (2026-11-24T15:30:00+01:00)',
  [PHONE_PATTERN]: 'an E.164 phone number (+14155550123)',
};

export interface CompileOptions {
  /** The agent's IANA time zone: `datetime` values are asked for in it. */
  readonly timezone?: string | undefined;
}

/**
 * The JSON Schema of a `returns` object: `{type: "object", properties, required: [every key],
 * additionalProperties: false}`, each property nullable. `returns` must already be valid
 * (`findReturnsIssue`); an empty or null `returns` compiles to an object with no properties.
 */
export function compileReturns(returns: unknown, opts: CompileOptions = {}): JsonSchema {
  const fields = isPlainObject(returns) ? returns : {};
  return objectSchema(fields, opts, false);
}

function objectSchema(fields: Record<string, unknown>, opts: CompileOptions, nullable: boolean, description?: string): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const [name, spec] of Object.entries(fields)) properties[name] = compileSpec(spec, opts, true);
  return {
    type: nullable ? ['object', 'null'] : 'object',
    ...(description ? { description } : {}),
    properties,
    required: Object.keys(fields),
    additionalProperties: false,
  };
}

function compileSpec(spec: unknown, opts: CompileOptions, nullable: boolean): JsonSchema {
  if (typeof spec === 'string') return scalar(spec, opts, nullable);
  if (Array.isArray(spec)) return enumSchema(spec as string[], nullable);
  if (!isPlainObject(spec)) throw new Error(`invalid returns spec: ${JSON.stringify(spec)}`);
  const description = typeof spec.description === 'string' ? spec.description : undefined;
  const type = String(spec.type);
  if (type === 'object') return objectSchema(spec.properties as Record<string, unknown>, opts, nullable, description);
  if (type === 'array') {
    // Elements are values, not "not said": a list of phone numbers holds no nulls.
    return { type: nullable ? ['array', 'null'] : 'array', ...(description ? { description } : {}), items: compileSpec(spec.items, opts, false) };
  }
  if (Array.isArray(spec.enum)) return { ...enumSchema(spec.enum as string[], nullable), ...(description ? { description } : {}) };
  const s = scalar(type, opts, nullable);
  return description ? { ...s, description: s.description ? `${description} (${String(s.description)})` : description } : s;
}

function scalar(type: string, opts: CompileOptions, nullable: boolean): JsonSchema {
  const t = (base: string) => (nullable ? [base, 'null'] : base);
  switch (type) {
    case 'string':
    case 'boolean':
    case 'number':
    case 'integer':
      return { type: t(type) };
    case 'date':
      return { type: t('string'), pattern: DATE_PATTERN, description: PATTERN_MEANING[DATE_PATTERN] };
    case 'datetime':
      return { type: t('string'), pattern: DATETIME_PATTERN, description: `${PATTERN_MEANING[DATETIME_PATTERN]}${opts.timezone ? `, in the time zone ${opts.timezone}` : ''}` };
    case 'phone':
      return { type: t('string'), pattern: PHONE_PATTERN, description: PATTERN_MEANING[PHONE_PATTERN] };
    case 'email':
      return { type: t('string'), format: 'email', description: 'an e-mail address' };
    default:
      throw new Error(`invalid returns type: ${type}`);
  }
}

function enumSchema(values: readonly string[], nullable: boolean): JsonSchema {
  // JSON Schema: with `type: [string, null]` a null must also be listed in `enum` to be valid.
  return nullable ? { type: ['string', 'null'], enum: [...values, null] } : { type: 'string', enum: [...values] };
}

/** The top-level field names of a `returns` value (empty when there is none). */
export function returnsKeys(returns: unknown): string[] {
  return isPlainObject(returns) ? Object.keys(returns) : [];
}

/** True when a call has a `returns` schema with at least one field. */
export function hasReturns(returns: unknown): returns is Record<string, unknown> {
  return returnsKeys(returns).length > 0;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
